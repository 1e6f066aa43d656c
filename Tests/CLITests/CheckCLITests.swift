import Foundation
import Glibc
import Testing
import TestSupport

/// `tierbench expect` and `tierbench check` through the real binary: StorageClass files, usage
/// errors, judging tierbench and fio results, and end to end on a loop device throttled with
/// cgroup v1 blkio to a tier's numbers (tierbench's own process inside the cgroup).

private let manifests = """
    apiVersion: v1
    kind: Namespace
    metadata: {name: storage}
    ---
    apiVersion: storage.k8s.io/v1
    kind: StorageClass
    metadata:
      name: fast
    provisioner: ebs.csi.aws.com
    parameters:
      type: gp3
      iops: "16000"
      throughput: "1000"
      colour: blue
    ---
    apiVersion: storage.k8s.io/v1
    kind: StorageClass
    metadata: {name: legacy}
    provisioner: kubernetes.io/aws-ebs
    parameters: {type: gp2}
    ---
    apiVersion: storage.k8s.io/v1
    kind: StorageClass
    metadata: {name: ceph}
    provisioner: rbd.csi.ceph.com
    parameters: {pool: fast-pool}
    """

private func usageError(_ arguments: [String], _ fragments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
    let o = try tierbench(arguments)
    #expect(o.status == 2, "exit status for \(arguments): \(o.status), stderr: \(o.stderr)", sourceLocation: sourceLocation)
    #expect(o.stderr.split(separator: "\n").count == 1, "one line, got: \(o.stderr)", sourceLocation: sourceLocation)
    for f in fragments { #expect(o.stderr.contains(f), "'\(f)' not in: \(o.stderr)", sourceLocation: sourceLocation) }
    #expect(o.stdout.isEmpty, sourceLocation: sourceLocation)
}

/// A profile directory with fixed numbers, made from the template (`--profiles DIR`).
private func fixedProfile(_ scratch: Scratch, name: String, iops: Double, throughputMiBps: Double, p50Ms: Double) -> String {
    let dir = scratch.file("profiles-\(name)")
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let yaml = """
        name: \(name)
        provider: fixed
        provisioners:
          - {name: example.com/local, parameter: tier, value: \(name)}
        parameters:
          - {name: tier, meaning: the tier, kind: string}
        throughput_unit: MiB/s
        iops: {baseline: "\(iops)"}
        throughput: {baseline: "\(throughputMiBps)"}
        burst:
          - {model: none}
        io_accounting: not published
        latency: {typical: test, p50_ms: \(p50Ms)}
        consistency: {share_of_provisioned: 0.9, share_of_time: 0.5, metric: iops_and_throughput}
        sources: ["a test"]
        checked: 2026-11-21
        """
    _ = FileManager.default.createFile(atPath: "\(dir)/\(name).yaml", contents: Data(yaml.utf8))
    return dir
}

@Suite struct ExpectCLITests {
    @Test func manifestsWithOtherKindsGiveOneBlockPerClass() throws {
        let s = Scratch()
        let file = s.file("classes.yaml")
        _ = FileManager.default.createFile(atPath: file, contents: Data(manifests.replacingOccurrences(of: "\n---\napiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: ceph}\nprovisioner: rbd.csi.ceph.com\nparameters: {pool: fast-pool}", with: "").utf8))
        let o = try tierbench(["expect", "--storageclass", file, "--size", "500Gi"])
        #expect(o.status == 0, "\(o.stderr)")
        #expect(o.stdout.contains("StorageClass `fast` (\(file):5): provisioner ebs.csi.aws.com, tier gp3 (aws), 500Gi"))
        #expect(o.stdout.contains("16,000"))
        #expect(o.stdout.contains("1000 MiB/s"))
        #expect(o.stdout.contains("parameter `colour` is unknown to ebs.csi.aws.com"))
        // gp2 at 500 GiB: 1,500 baseline, bursts to 3,000 on a 5.4M bucket for 60 minutes.
        #expect(o.stdout.contains("StorageClass `legacy`"))
        #expect(o.stdout.contains("baseline 1500, maximum 3000"))
        #expect(o.stdout.contains("a full bucket lasts 60 min at 3000 IOPS"))
        #expect(!o.stdout.contains("Namespace"))

        let j = try tierbench(["expect", "--storageclass", file, "--size", "500Gi", "--class", "legacy", "--output-format", "json"])
        #expect(j.status == 0)
        let doc = try #require(j.json)
        #expect(doc["schema"] as? String == "tierbench-expect/1")
        let classes = try #require(doc["classes"] as? [[String: Any]])
        #expect(classes.count == 1)
        #expect(classes[0].at("profile") as? String == "gp2")
        #expect(classes[0].int("iops", "read", "baseline") == 1500)
        #expect(classes[0].int("burst", "buckets", "0", "full_bucket_seconds") == 3600)
        #expect(classes[0].int("counted_io_size_kib") == 256)
    }

    @Test func kubectlListOutput() throws {
        let s = Scratch()
        let file = s.file("list.yaml")
        let list = """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: storage.k8s.io/v1
              kind: StorageClass
              metadata: {name: balanced}
              provisioner: pd.csi.storage.gke.io
              parameters: {type: pd-balanced}
            - apiVersion: storage.k8s.io/v1
              kind: StorageClass
              metadata: {name: premium}
              provisioner: kubernetes.io/azure-disk
              parameters: {skuname: Premium_LRS}
            """
        _ = FileManager.default.createFile(atPath: file, contents: Data(list.utf8))
        let o = try tierbench(["expect", "--storageclass", file, "--size", "100Gi", "--output-format", "json"])
        #expect(o.status == 0, "\(o.stderr)")
        let classes = try #require(o.json?["classes"] as? [[String: Any]])
        #expect(classes.map { $0["profile"] as? String } == ["pd-balanced", "Premium_LRS"])
        #expect(classes[1]["size_tier"] as? String == "P10")
    }

    @Test func lintFindingsTheCloudWouldRejectExitThree() throws {
        let o = try tierbench(["expect", "--tier", "gp3", "--size", "100Gi", "--iops", "90000"])
        #expect(o.status == 3)
        #expect(o.stdout.contains("lint: rejected: gp3 IOPS are 3,000-80,000"))
        #expect(o.stdout.contains("[gp3-iops-per-gib]"))
        let ok = try tierbench(["expect", "--tier", "gp3", "--size", "500Gi", "--iops", "16000", "--throughput", "1000"])
        #expect(ok.status == 0)
        #expect(!ok.stdout.contains("lint:"))
    }

    @Test func usageErrors() throws {
        let s = Scratch()
        let file = s.file("classes.yaml")
        _ = FileManager.default.createFile(atPath: file, contents: Data(manifests.utf8))
        try usageError(["expect", "--tier", "gp3"], ["--size is missing", "--size 500Gi"])
        try usageError(["expect", "--size", "1Ti"], ["give --storageclass FILE", "--tier NAME"])
        try usageError(["expect", "--tier", "gp4", "--size", "1Ti"], ["no profile is named `gp4`", "gp3"])
        try usageError(["expect", "--tier", "GP3", "--size", "1Ti"], ["did you mean gp3?"])
        try usageError(["expect", "--tier", "gp3", "--size", "lots"], ["--size lots", "Kubernetes quantity"])
        try usageError(["expect", "--tier", "gp2", "--size", "1Ti", "--iops", "5000"], ["--iops: tier gp2 has no provisioned IOPS"])
        try usageError(["expect", "--storageclass", file, "--size", "1Ti", "--iops", "5000"], ["--iops goes with --tier"])
        try usageError(["expect", "--storageclass", file, "--size", "1Ti", "--class", "nope"], ["no StorageClass named `nope`", "ceph, fast, legacy"])
        try usageError(["expect", "--tier", "gp3", "--size", "1Ti", "--profiles", s.file("nodir")], ["--profiles", "not a directory"])
        try usageError(["expect", "--storageclass", file, "--size", "1Ti", "--kubernetes-version", "latest"], ["--kubernetes-version latest", "1.22"])
        // A tier whose numbers need a provisioned value that nobody gave.
        try usageError(["expect", "--tier", "io2", "--size", "1Ti"], ["--tier io2 needs a provisioned IOPS: give --iops N"])
        try usageError(["expect", "--tier", "hyperdisk-throughput", "--size", "4Ti"], ["needs a provisioned throughput: give --throughput N (in MiB/s)"])
        try usageError(["check", "--tier", "gp3", "--size", "1Ti"], ["give --target", "--results FILE"])
        try usageError(["check", "--storageclass", file, "--size", "1Ti", "--target", s.path], ["3 classes", "--class NAME or --claim NAME"])
        try usageError(["check", "--tier", "gp3", "--size", "1Ti", "--target", s.path, "--claim", "data"], ["--claim", "with --tier leave it out"])
        try usageError(["check", "--tier", "gp3", "--size", "1Ti", "--target", s.path, "--share-of-time", "1.5"], ["--share-of-time 1.5"])
        try usageError(["check", "--tier", "gp3", "--size", "1Ti", "--results", s.file("none.json")], ["--results", "none.json"])
    }

    @Test func profilesDirectoryAddsATier() throws {
        let s = Scratch()
        let dir = fixedProfile(s, name: "local-nvme", iops: 50_000, throughputMiBps: 1000, p50Ms: 0.2)
        let o = try tierbench(["expect", "--tier", "local-nvme", "--size", "1Ti", "--profiles", dir])
        #expect(o.status == 0, "\(o.stderr)")
        #expect(o.stdout.contains("50,000"))
        #expect(o.stdout.contains("p50 0.2 ms"))
    }
}

@Suite struct CheckResultsCLITests {
    /// A real tierbench run (random reads at QD4 for 2 s), judged against two fixed tiers: one it
    /// beats, one it cannot reach.
    @Test func judgesATierbenchResult() throws {
        let s = Scratch()
        let target = s.dataFile("target.dat", bytes: 64 << 20)
        let result = s.file("run.json")
        let run = try tierbench(["run", "--target", target, "--rw", "randread", "--bs", "16k", "--iodepth", "4", "--runtime", "2",
                                 "--time-based", "--output-format", "json", "--output", result, "--progress", "never"])
        #expect(run.status == 0, "\(run.stderr)")
        let low = fixedProfile(s, name: "slow-tier", iops: 50, throughputMiBps: 1, p50Ms: 100)
        let pass = try tierbench(["check", "--tier", "slow-tier", "--size", "100Gi", "--profiles", low, "--results", result, "--output-format", "json"])
        // 50 IOPS is far below what a page-cached file gives: suspicious, which is not a failure.
        #expect(pass.status == 0, "\(pass.stdout) \(pass.stderr)")
        let metrics = try #require(pass.json?.at("subjects", "0", "metrics") as? [[String: Any]])
        #expect(metrics.count == 1)
        #expect(metrics[0]["metric"] as? String == "randread read IOPS")
        #expect(metrics[0]["verdict"] as? String == "suspicious")
        #expect((metrics[0]["intervals_judged"] as? Int ?? 0) >= 1)

        let high = fixedProfile(s, name: "fast-tier", iops: 1e9, throughputMiBps: 1e9, p50Ms: 0.001)
        let junit = s.file("junit.xml")
        let fail = try tierbench(["check", "--tier", "fast-tier", "--size", "100Gi", "--profiles", high, "--results", result, "--junit", junit])
        #expect(fail.status == 3)
        #expect(fail.stdout.contains("randread read IOPS"))
        #expect(fail.stdout.contains("FAIL"))
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(xml.contains("<failure message="))
        try validateJUnit(junit, failures: 1, tests: 1)
    }

    /// A job of several block sizes is expected at its mean I/O size: with gp3's 125 MiB/s, 64 KiB
    /// blocks alone would be expected at 2,000 IOPS; half 4 KiB, half 64 KiB (34 KiB mean) at 3,000.
    @Test func severalBlockSizesAreExpectedAtTheMeanSize() throws {
        let s = Scratch()
        let target = s.dataFile("t.dat", bytes: 32 << 20)
        let result = s.file("run.json")
        let run = try tierbench(["run", "--target", target, "--rw", "randread", "--bssplit", "4k/50:64k/50", "--iodepth", "4", "--runtime", "1",
                                 "--time-based", "--output-format", "json", "--output", result, "--progress", "never"])
        #expect(run.status == 0, "\(run.stderr)")
        let o = try tierbench(["check", "--tier", "gp3", "--size", "100Gi", "--results", result, "--output-format", "json"])
        let metric = try #require(o.json?.at("subjects", "0", "metrics", "0") as? [String: Any], "\(o.stdout)\(o.stderr)")
        #expect(metric["expected"] as? Double == 3000)
        let only64 = s.file("run64.json")
        _ = try tierbench(["run", "--target", target, "--rw", "randread", "--bs", "64k", "--iodepth", "4", "--runtime", "1",
                           "--time-based", "--output-format", "json", "--output", only64, "--progress", "never"])
        let o64 = try tierbench(["check", "--tier", "gp3", "--size", "100Gi", "--results", only64, "--output-format", "json"])
        #expect(o64.json?.at("subjects", "0", "metrics", "0", "expected") as? Double == 2000)
    }

    /// A real fio JSON result: no 1-second series, so each job's mean is judged.
    @Test(.enabled(if: which("fio") != nil, "needs fio")) func judgesAFioResult() throws {
        let s = Scratch()
        let target = s.dataFile("target.dat", bytes: 64 << 20)
        let result = s.file("fio.json")
        let fio = try execute(which("fio")!, ["--name=rr", "--filename=\(target)", "--rw=randread", "--bs=16k", "--iodepth=4", "--ioengine=psync",
                                              "--runtime=1", "--time_based", "--output-format=json", "--output=\(result)"])
        #expect(fio.status == 0, "\(fio.stderr)")
        let high = fixedProfile(s, name: "fast-tier", iops: 1e9, throughputMiBps: 1e9, p50Ms: 0.001)
        let o = try tierbench(["check", "--tier", "fast-tier", "--size", "1Ti", "--profiles", high, "--results", result, "--output-format", "json"])
        #expect(o.status == 3, "\(o.stderr)")
        let subject = try #require(o.json?.at("subjects", "0") as? [String: Any])
        let metrics = try #require(subject["metrics"] as? [[String: Any]])
        #expect(metrics.first?["metric"] as? String == "rr read IOPS")
        #expect((metrics.first?["reason"] as? String)?.contains("the run's mean") == true)
        #expect((subject["notes"] as? [String])?.contains { $0.contains("fio JSON has no 1-second series") } == true)
    }
}

/// Validates a JUnit file with junitparser (PyPI, in the test virtualenv) and checks its counts.
func validateJUnit(_ path: String, failures: Int, tests: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let python = "/opt/tierbench-venv/bin/python"
    guard access(python, X_OK) == 0 else {
        print("skipping junitparser validation: \(python) is missing (make test-setup installs it)")
        return
    }
    let script = """
        import sys
        from junitparser import JUnitXml, Failure
        xml = JUnitXml.fromfile(sys.argv[1])
        cases = [c for s in xml for c in s]
        failed = [c.name for c in cases if any(isinstance(r, Failure) for r in c.result)]
        print(len(cases), len(failed), ";".join(failed))
        """
    let o = try execute(python, ["-c", script, path])
    #expect(o.status == 0, "junitparser: \(o.stderr)", sourceLocation: sourceLocation)
    let parts = o.stdout.split(separator: " ", maxSplits: 2)
    #expect(parts.count >= 2 && Int(parts[0]) == tests && Int(parts[1]) == failures, "junitparser read: \(o.stdout)", sourceLocation: sourceLocation)
}

// MARK: - End to end on a throttled device

private let canThrottle = isRoot && access("/sys/fs/cgroup/blkio", W_OK) == 0 && which("losetup") != nil
private let throttleReason: Comment = "needs root, cgroup v1 blkio (/sys/fs/cgroup/blkio) and losetup"

/// A loop device over a file in /dev/shm, and a blkio cgroup throttling it.
final class ThrottledDevice {
    let backing: String
    let device: String
    let cgroup: String

    init?(iops: Int?, bytesPerSecond: Int?, sizeBytes: Int = 1 << 30) {
        backing = "/dev/shm/tierbench-throttle-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).img"
        cgroup = "/sys/fs/cgroup/blkio/tierbench-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(backing, O_CREAT | O_WRONLY, 0o600)
        guard fd >= 0 else { return nil }
        let sized = ftruncate(fd, off_t(sizeBytes)) == 0
        close(fd)
        guard sized else { unlink(backing); return nil }
        let out = try? execute(which("losetup")!, ["--find", "--show", backing])
        guard let out, out.status == 0 else { unlink(backing); print("losetup failed: \(out?.stderr ?? "")"); return nil }
        device = out.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        var st = stat()
        stat(device, &st)
        let mm = "\(major(st.st_rdev)):\(minor(st.st_rdev))"
        mkdir(cgroup, 0o755)
        func set(_ file: String, _ value: Int?) {
            guard let value else { return }
            _ = FileManager.default.createFile(atPath: "\(cgroup)/\(file)", contents: nil)
            try? "\(mm) \(value)".write(toFile: "\(cgroup)/\(file)", atomically: false, encoding: .utf8)
        }
        set("blkio.throttle.read_iops_device", iops); set("blkio.throttle.write_iops_device", iops)
        set("blkio.throttle.read_bps_device", bytesPerSecond); set("blkio.throttle.write_bps_device", bytesPerSecond)
    }

    /// Runs tierbench inside the cgroup.
    func tierbench(_ arguments: [String]) throws -> Outcome {
        let quoted = ([tierbenchPath] + arguments).map { "'\($0)'" }.joined(separator: " ")
        return try execute("/bin/sh", ["-c", "echo $$ > \(cgroup)/cgroup.procs && exec \(quoted)"])
    }

    deinit {
        _ = try? execute(which("losetup")!, ["-d", device])
        unlink(backing)
        rmdir(cgroup)
    }
}

private func major(_ dev: UInt) -> UInt { (dev >> 8) & 0xfff | ((dev >> 32) & ~0xfff) }
private func minor(_ dev: UInt) -> UInt { (dev & 0xff) | ((dev >> 12) & ~0xff) }

@Suite(.serialized, .enabled(if: canThrottle, throttleReason)) struct CheckThrottledTests {
    let quick = ["--runtime", "3s", "--ramp-time", "1s", "--step-time", "2s", "--allow-device-writes", "--progress", "never"]

    @Test func gp3BaselinePasses() throws {
        let d = try #require(ThrottledDevice(iops: 3000, bytesPerSecond: 125 << 20))
        let s = Scratch()
        let junit = s.file("gp3.xml")
        // gp3 promises 90% in 99% of a year; in 3 s, while other tests compete for the 2 CPUs, one
        // starved interval would fail a metric, so 2 of 3 intervals must reach 90% here.
        let o = try d.tierbench(["check", "--tier", "gp3", "--size", "100Gi", "--target", d.device, "--junit", junit, "--output-format", "json",
                                 "--share-of-time", "0.66"] + quick)
        #expect(o.status == 0, "\(o.stdout)\n\(o.stderr)")
        let subject = try #require(o.json?.at("subjects", "0") as? [String: Any])
        let metrics = try #require(subject["metrics"] as? [[String: Any]])
        let verdicts = Dictionary(metrics.map { ($0["metric"] as! String, $0["verdict"] as! String) }, uniquingKeysWith: { a, _ in a })
        #expect(metrics.filter { $0["verdict"] as? String == "pass" }.count == 6, "\(verdicts)")
        // The depth search started from Little's law: 3,000 IOPS x 10 ms.
        #expect(subject.int("depth_search", "little_depth") == 30)
        try validateJUnit(junit, failures: 0, tests: metrics.count)
    }

    @Test func gp3At2000IOPSFailsAndNamesTheMetric() throws {
        let d = try #require(ThrottledDevice(iops: 2000, bytesPerSecond: 125 << 20))
        let s = Scratch()
        let junit = s.file("gp3-slow.xml")
        let o = try d.tierbench(["check", "--tier", "gp3", "--size", "100Gi", "--target", d.device, "--iodepth", "30", "--junit", junit,
                                 "--share-of-time", "0.66"] + quick)  // see gp3BaselinePasses
        #expect(o.status == 3, "\(o.stdout)\n\(o.stderr)")
        let failed = o.stdout.split(separator: "\n").filter { $0.contains("  FAIL  ") }
        #expect(failed.contains { $0.contains("randread-16k-qd30 read IOPS") && $0.contains("reached 2700 IOPS") }, "\(o.stdout)")
        #expect(failed.contains { $0.contains("randwrite-16k-qd30 write IOPS") })
        // (The 70/30 mix is left out: per-direction throttles give it 2,000 reads + 857 writes, at the edge of 2,700.)
        #expect(!failed.contains { $0.contains("throughput") }, "\(o.stdout)")
        try validateJUnit(junit, failures: failed.count, tests: 8)
    }

    @Test func sc1LikeBandwidthPassesAndFails() throws {
        // sc1 at 2 TiB: a 24 MiB/s baseline, 160 MiB/s burst. 30 MiB/s passes the baseline.
        let fast = try #require(ThrottledDevice(iops: nil, bytesPerSecond: 30 << 20))
        let ok = try fast.tierbench(["check", "--tier", "sc1", "--size", "2Ti", "--target", fast.device] + quick)
        #expect(ok.status == 0, "\(ok.stdout)\n\(ok.stderr)")
        #expect(ok.stdout.contains("seqread-1m-qd4 read throughput"))
        #expect(ok.stdout.contains("seqread-1m-qd4 burst"))
        #expect(ok.stdout.contains("INFO"))
        let slow = try #require(ThrottledDevice(iops: nil, bytesPerSecond: 10 << 20))
        let bad = try slow.tierbench(["check", "--tier", "sc1", "--size", "2Ti", "--target", slow.device] + quick)
        #expect(bad.status == 3, "\(bad.stdout)\n\(bad.stderr)")
        let failed = bad.stdout.split(separator: "\n").filter { $0.contains("  FAIL  ") }
        #expect(failed.count == 2, "\(bad.stdout)")
        #expect(failed.allSatisfy { $0.contains("throughput") && $0.contains("21.6 MiB/s") })
    }
}

@Suite struct CheckInterruptTests {
    /// SIGINT during the suite: the report covers what was measured, exit 130, the temporary file
    /// in the directory target is gone.
    @Test func ctrlCReportsWhatWasMeasured() throws {
        let s = Scratch()
        let o = try tierbench(["check", "--tier", "gp3", "--size", "100Gi", "--target", s.path, "--runtime", "30s", "--ramp-time", "0",
                               "--iodepth", "8", "--file-size", "32m", "--output-format", "json", "--progress", "always"],
                              cues: [.signal(SIGINT, when: .running("randread-16k-qd8", for: 2))])
        #expect(o.status == 130, "\(o.stderr)")
        let doc = try #require(o.json, "\(o.stdout)")
        #expect(doc["interrupted"] as? Bool == true)
        let metrics = try #require(doc.at("subjects", "0", "metrics") as? [[String: Any]])
        #expect(metrics.first?["metric"] as? String == "randread-16k-qd8 read IOPS")
        #expect((metrics.first?["intervals_judged"] as? Int ?? 0) >= 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.path).isEmpty)
    }

    /// A target path that does not exist: check creates the file for the depth steps, runs the
    /// suite's writes on it (its own file, no --overwrite needed) and removes it.
    @Test func aNewFilePathIsCreatedUsedAndRemoved() throws {
        let s = Scratch()
        let path = s.file("new.dat")
        let o = try tierbench(["check", "--tier", "gp3", "--size", "100Gi", "--target", path, "--runtime", "1s", "--ramp-time", "0",
                               "--step-time", "1s", "--file-size", "32m", "--output-format", "json", "--progress", "never"])
        // The verdict depends on this machine's disk (0 pass, 3 an SLA failed); the suite must have run whole.
        #expect(o.status == 0 || o.status == 3, "\(o.stderr)")
        let metrics = try #require(o.json?.at("subjects", "0", "metrics") as? [[String: Any]], "\(o.stdout)")
        #expect(metrics.contains { $0["metric"] as? String == "randread-4k-qd1 read latency p50" })
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}

/// `tierbench-expect/1` and `tierbench-check/1` against their schemas (schema/*.schema.json).
@Suite(needsJSONSchema) struct CheckSchemaTests {
    func validate(_ schema: String, _ files: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let python = try #require(jsonschemaPython)
        let o = try execute(python, [schemaValidatorScript, "\(schemaPackageDirectory)/schema/\(schema)"] + files)
        #expect(o.status == 0, "not valid against \(schema):\n\(o.stdout)\(o.stderr)", sourceLocation: sourceLocation)
    }

    /// Every shipped tier at three sizes; tiers that need a provisioned value say which, and get one.
    @Test func expectOfEveryTierIsValid() throws {
        let s = Scratch()
        let names = try FileManager.default.contentsOfDirectory(atPath: "\(schemaPackageDirectory)/profiles")
            .filter { $0.hasSuffix(".yaml") && !$0.hasPrefix("template") }.map { String($0.dropLast(5)) }.sorted()
        #expect(names.count == 19)
        var files: [String] = []
        for name in names {
            for size in ["10Gi", "500Gi", "8Ti"] {
                var o = try tierbench(["expect", "--tier", name, "--size", size, "--output-format", "json"])
                if o.status == 2 && o.stderr.contains("needs a provisioned") {
                    #expect(o.stderr.contains("--iops N") || o.stderr.contains("--throughput N"), "\(o.stderr)")
                    o = try tierbench(["expect", "--tier", name, "--size", size, "--output-format", "json", "--iops", "10000", "--throughput", "500"])
                    if o.status == 2 && o.stderr.contains("has no provisioned") {
                        let flag = o.stderr.contains("--iops:") ? "--iops" : "--throughput"
                        let keep = flag == "--iops" ? ["--throughput", "500"] : ["--iops", "10000"]
                        o = try tierbench(["expect", "--tier", name, "--size", size, "--output-format", "json"] + keep)
                    }
                }
                #expect(o.status == 0 || o.status == 3, "\(name) \(size): \(o.stderr)")
                let file = s.file("\(name)-\(size).json")
                try o.stdout.write(toFile: file, atomically: false, encoding: .utf8)
                files.append(file)
            }
        }
        try validate("tierbench-expect-1.schema.json", files)
    }

    @Test func checkOfAResultIsValid() throws {
        let s = Scratch()
        let target = s.dataFile("t.dat", bytes: 32 << 20)
        let result = s.file("run.json")
        let run = try tierbench(["run", "--target", target, "--overwrite", "--rw", "randrw", "--bs", "8k", "--iodepth", "4", "--runtime", "2", "--time-based",
                                 "--output-format", "json", "--output", result, "--progress", "never"])
        #expect(run.status == 0, "\(run.stderr)")
        var files: [String] = []
        for tier in ["gp2", "sc1", "Premium_LRS", "pd-balanced"] {
            let o = try tierbench(["check", "--tier", tier, "--size", "1Ti", "--results", result, "--output-format", "json"])
            #expect(o.status == 0 || o.status == 3, "\(tier): \(o.stderr)")
            let file = s.file("check-\(tier).json")
            try o.stdout.write(toFile: file, atomically: false, encoding: .utf8)
            files.append(file)
        }
        try validate("tierbench-check-1.schema.json", files)
    }
}
