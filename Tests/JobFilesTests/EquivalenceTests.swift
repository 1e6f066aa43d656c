import Foundation
import Testing
import Workload
@testable import JobFiles
import TestSupport

/// One job written three ways (command-line flags, tierbench YAML, fio job file) resolves to the
/// same `[JobSpec]`.
@Suite struct EquivalenceTests {
    static let yaml = """
        global:
          size: 256k
          direct: 0
        jobs:
          - name: mix
            rw: randrw
            rwmixread: 70
            bs: 8k
            iodepth: 16
            iodepth-batch: 2
            numjobs: 2
            offset: 64k
            offset_increment: 256k
            randseed: 7
            norandommap: true
            ioengine: psync
            runtime: 20
            ramp-time: 1s
            time-based: true
        """

    static let fio = """
        [global]
        size=256k
        buffered=1

        [mix]
        readwrite=randrw
        rwmixwrite=30
        blocksize=8k
        iodepth=16
        iodepth_batch=2
        numjobs=2
        offset=64k
        offset_increment=256k
        randseed=7
        norandommap
        ioengine=sync
        runtime=20
        ramp_time=1
        time_based
        """

    static let flags = ["--name", "mix", "--rw", "randrw", "--rwmixread", "70", "--bs", "8k", "--iodepth", "16",
                        "--iodepth-batch", "2", "--numjobs", "2", "--size", "256k", "--offset", "64k",
                        "--offset-increment", "256k", "--direct", "0", "--randseed", "7", "--norandommap",
                        "--ioengine", "psync", "--runtime", "20", "--ramp-time", "1s", "--time-based"]

    /// What `JobFlags.raw` builds from `flags` (the CLI's struct lives in the executable).
    static var cliRaw: RawJobOptions {
        var r = RawJobOptions()
        r.name = "mix"; r.rw = "randrw"; r.rwmixread = "70"; r.bs = "8k"; r.iodepth = "16"; r.iodepthBatch = "2"
        r.numjobs = "2"; r.size = "256k"; r.offset = "64k"; r.offsetIncrement = "256k"; r.direct = "0"; r.randseed = "7"
        r.norandommap = true; r.ioengine = "psync"; r.runtime = "20"; r.rampTime = "1s"; r.timeBased = true
        return r
    }

    @Test func threeSpellingsResolveToTheSameJobSpecs() throws {
        let fromCLI = try Self.cliRaw.resolve()
        let fromYAML = try JobPlan.make([NativeJobFile.parse(text: Self.yaml, file: "mix.yaml")]).specs
        let fromFio = try JobPlan.make([FioJobFile.parse(text: Self.fio, file: "mix.fio")]).specs
        #expect(fromCLI.count == 1)
        #expect(fromYAML == fromCLI)
        #expect(fromFio == fromCLI)
        #expect(fromCLI.first?.rwmixread == 70)
        #expect(fromCLI.first?.runtimeNanoseconds == 20_000_000_000)
    }

    /// The same through the binary: `explain --output-format json` gives each file's JobSpec, and
    /// `run` with the flags reports its parameters in its JSON result.
    @Test func throughTheBinary() throws {
        let s = Scratch()
        let yamlPath = s.write("mix.yaml", Self.yaml), fioPath = s.write("mix.fio", Self.fio)
        func spec(_ path: String) throws -> JobSpec? {
            let out = try tierbench(["explain", path, "--output-format", "json"])
            #expect(out.status == 0, "\(out.stderr)")
            guard let job = (jsonObject(out.stdout)?["jobs"] as? [[String: Any]])?.first, let spec = job["spec"] else { return nil }
            return try JSONDecoder().decode(JobSpec.self, from: JSONSerialization.data(withJSONObject: spec))
        }
        let yamlSpec = try #require(try spec(yamlPath)), fioSpec = try #require(try spec(fioPath))
        #expect(yamlSpec == fioSpec)
        #expect(try [yamlSpec] == Self.cliRaw.resolve())

        // run with the flags (a short runtime: the job is time-based) reports the same parameters.
        var flags = Self.flags
        flags[flags.firstIndex(of: "20")!] = "300ms"
        flags[flags.firstIndex(of: "1s")!] = "0"
        let run = try tierbench(["run", "--target", s.file("data")] + flags + ["--output-format", "json", "--progress", "never"], cwd: s.path)
        #expect(run.status == 0, "\(run.stderr)")
        let p = try #require((jsonObject(run.stdout)?["jobs"] as? [[String: Any]])?.first?["parameters"] as? [String: Any])
        #expect(p["name"] as? String == yamlSpec.name)
        #expect(p["rw"] as? String == yamlSpec.rw.rawValue)
        #expect(p["rwmixread"] as? Int == yamlSpec.rwmixread)
        #expect(p["block_size_bytes"] as? Int == Int(yamlSpec.blockSizeBytes))
        #expect(p["iodepth"] as? Int == yamlSpec.iodepth)
        #expect(p["iodepth_batch"] as? Int == yamlSpec.iodepthBatch)
        #expect(p["numjobs"] as? Int == yamlSpec.numjobs)
        #expect(p["size_bytes"] as? Int == yamlSpec.sizeBytes.map { Int($0) })
        #expect(p["offset_bytes"] as? Int == Int(yamlSpec.offsetBytes))
        #expect(p["offset_increment_bytes"] as? Int == Int(yamlSpec.offsetIncrementBytes))
        #expect(p["direct"] as? Bool == yamlSpec.direct)
        #expect((p["randseed"] as? NSNumber)?.uint64Value == yamlSpec.randseed)
        #expect(p["random_map"] as? Bool == yamlSpec.randomMap)
        #expect(p["ioengine"] as? String == yamlSpec.ioengine.rawValue)
        #expect(p["time_based"] as? Bool == yamlSpec.timeBased)
    }
}
