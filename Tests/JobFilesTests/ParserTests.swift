import Foundation
import Testing
import Workload
@testable import JobFiles
import TestSupport

/// The fio parser's features one by one, the plan's layering (defaults, global, job, command
/// line) and explain's origins.
@Suite struct ParserTests {
    func parse(_ text: String, environment: [String: String] = [:]) throws -> [JobEntries] {
        try FioJobFile.parse(text: text, file: "t.fio", environment: environment).jobs
    }

    @Test func severalGlobalSectionsAccumulateForTheJobsBelow() throws {
        let jobs = try parse("[global]\nbs=4k\nsize=1m\n[a]\nrw=read\n[global]\nbs=8k\niodepth=2\n[b]\nrw=write\n")
        #expect(jobs[0].value("bs") == "4096")
        #expect(jobs[0].value("iodepth") == nil)
        #expect(jobs[1].value("bs") == "8192")
        #expect(jobs[1].value("size") == "1048576")
        #expect(jobs[1].entry("iodepth")?.origin == .global(file: "t.fio", line: 8))
    }

    @Test func jobValuesOverrideGlobalOnesAndNameOverridesTheSection() throws {
        let jobs = try parse("[global]\nbs=4k\n[sec]\nbs=16k\nname=renamed\n")
        #expect(jobs[0].value("bs") == "16384")
        #expect(jobs[0].name == "renamed")
        #expect(jobs[0].entry("bs")?.origin == .job(file: "t.fio", line: 4))
    }

    @Test func environmentKeywordsAndArithmetic() throws {
        let jobs = try parse("[j]\nrw=${RW}\nsize=(2+3)*4096\nbs=(1+2)k\niodepth=(2^3)\nnumjobs=${NOPE}2\nruntime=(2*1000000)\n",
                             environment: ["RW": "randread"])
        #expect(jobs[0].value("rw") == "randread")
        #expect(jobs[0].value("size") == "20480")
        #expect(jobs[0].value("bs") == "3072")
        #expect(jobs[0].value("iodepth") == "8")
        #expect(jobs[0].value("numjobs") == "2")
        // fio: a time in an expression is in microseconds.
        #expect(jobs[0].value("runtime") == "2000000us")
        if let e = #expect(throws: (any Error).self, performing: { try parse("[j]\nsize=(1+)\n") }) {
            #expect("\(e)".contains("t.fio:2: size=(1+): (1+) is not an arithmetic expression"), "\(e)")
        }
        #expect(try FioValues.evaluate("(2+3)*4-10/3%2^2") == 17)  // 20 - (10/3)%4
    }

    @Test func keywordsAreTheMachinesValues() throws {
        let jobs = try parse("[j]\niodepth=$ncpus\nbs=$pagesize\n")
        #expect(jobs[0].value("iodepth") == String(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #expect(jobs[0].value("bs") == String(sysconf(Int32(_SC_PAGESIZE))))
    }

    @Test func unitsKbBaseAndLists() throws {
        #expect(try FioValues.size("4k", kbBase: 1000) == 4000)
        #expect(try FioValues.size("4KiB", kbBase: 1000) == 4096)
        #expect(try FioValues.size("4k", kbBase: 1024) == 4096)
    }

    @Test func perDirectionEmptyElementIsTheDefaultAndTrimIsRefused() throws {
        // fio's HOWTO: an empty element is that direction's default (not the previous value).
        #expect(try FioValues.sizes("4k,", kbBase: 1024) == "4096,")
        #expect(try FioValues.sizes(",8k", kbBase: 1024) == ",8192")
        #expect(try FioValues.sizes("8k,32k,", kbBase: 1024) == "8192,32768")
        #expect(try FioValues.sizes("8k,,", kbBase: 1024) == "8192,")
        #expect(try FioValues.ranges(",1k-4k", kbBase: 1024) == ",1024-4096")
        #expect(try FioValues.bssplit("4k/100,,", kbBase: 1024) == "4096/100,")
        #expect(try FioValues.integers(",100") == ",100")
        #expect(throws: (any Error).self) { try FioValues.sizes("4k,8k,16k", kbBase: 1024) }
        #expect(throws: (any Error).self) { try FioValues.sizes(",", kbBase: 1024) }  // fio: failed parsing bs=,
        #expect(throws: (any Error).self) { try FioValues.sizes(",,", kbBase: 1024) }
    }

    /// What the engine makes of it: the empty direction runs at fio's default.
    @Test func perDirectionDefaultsReachTheJobSpec() throws {
        func spec(_ options: String) throws -> JobSpec {
            try #require(JobPlan.make([FioJobFile.parse(text: "[j]\nsize=1m\n" + options, file: "t.fio")]).specs.first)
        }
        #expect(try spec("rw=rw\nbs=8k,\n").blockSizes == BlockSizes(read: BlockSizeChoice(fixed: 8192), write: BlockSizeChoice(fixed: 4096)))
        #expect(try spec("rw=rw\nbs=,8k\n").blockSizes == BlockSizes(read: BlockSizeChoice(fixed: 4096), write: BlockSizeChoice(fixed: 8192)))
        #expect(try spec("rw=rw\nbs=8k,32k,\n").blockSizes == BlockSizes(read: BlockSizeChoice(fixed: 8192), write: BlockSizeChoice(fixed: 32768)))
        #expect(try spec("rw=write\nbs=8k,\n").blockSizeBytes == 4096)
        #expect(try spec("rw=rw\nrate=2m,\n").rate == DirectionLimits(read: 2 << 20, write: nil))
        #expect(try spec("rw=rw\nrate=,500k\n").rate == DirectionLimits(read: nil, write: 500 << 10))
        #expect(try spec("rw=rw\nrate_iops=100,\n").rateIops == DirectionLimits(read: 100, write: nil))
        #expect(try spec("rw=rw\nrate_iops=,100\n").rateIops == DirectionLimits(read: nil, write: 100))
        // Each direction limited once: bytes for reads, I/Os for writes.
        let both = try spec("rw=rw\nrate=1m,\nrate_iops=,100\n")
        #expect(both.rate == DirectionLimits(read: 1 << 20, write: nil))
        #expect(both.rateIops == DirectionLimits(read: nil, write: 100))
        if let e = #expect(throws: (any Error).self, performing: { try FioJobFile.parse(text: "[j]\nbs=,\n", file: "t.fio") }) {
            #expect("\(e)" == "t.fio:2: bs=, gives no value; give e.g. 4k, or read,write values")
        }
    }

    @Test func laterFilesStartWithAStonewallAndTheCommandLineWins() throws {
        let s = Scratch()
        let a = s.write("a.fio", "[global]\nsize=1m\n[one]\nrw=write\n")
        let b = s.write("b.fio", "[two]\nrw=read\nsize=2m\nbs=8k\n")
        let plan = try JobPlan.load(files: [a, b], commandLine: [("bs", "16k"), ("target", s.file("data"))])
        #expect(plan.jobs.map(\.name) == ["one", "two"])
        #expect(plan.jobs[0].value("stonewall") == nil)
        #expect(plan.jobs[1].value("stonewall") == "true")
        #expect(plan.specs.map(\.blockSizeBytes) == [16384, 16384])
        #expect(plan.jobs[1].entry("bs")?.origin == .commandLine)
        #expect(plan.target?.value == s.file("data"))
        #expect(plan.target?.origin == .commandLine)
        // fio's default for a fio file: buffered I/O.
        #expect(plan.specs.map(\.direct) == [false, false])
    }

    @Test func includeIsRelativeToTheIncludingFileAndCannotLoop() throws {
        let s = Scratch()
        try FileManager.default.createDirectory(atPath: s.file("sub"), withIntermediateDirectories: true)
        s.write("sub/common.inc", "bs=32k\n")
        let main = s.write("sub/main.fio", "[j]\nrw=read\ninclude common.inc\n")
        let jobs = try FioJobFile.parse(path: main).jobs
        #expect(jobs[0].value("bs") == "32768")
        #expect(jobs[0].entry("bs")?.origin == .job(file: s.file("sub/common.inc"), line: 1))
        s.write("sections.inc", "[other]\nrw=write\n")
        let withSections = s.write("s.fio", "[j]\ninclude sections.inc\n")
        if let e = #expect(throws: (any Error).self, performing: { try FioJobFile.parse(path: withSections) }) {
            #expect("\(e)" == "\(s.file("sections.inc")):1: [other]: an included file may not contain sections (fio); keep its options only")
        }
        let missing = s.write("m.fio", "[j]\ninclude nothere.inc\n")
        if let e = #expect(throws: (any Error).self, performing: { try FioJobFile.parse(path: missing) }) {
            #expect("\(e)" == "\(missing):2: option `include`: \(s.file("nothere.inc")): the job file does not exist")
        }
        let loop = s.write("loop.fio", "[j]\ninclude loop.fio\n")
        if let e = #expect(throws: (any Error).self, performing: { try FioJobFile.parse(path: loop) }) { #expect("\(e)".contains("includes itself"), "\(e)") }
    }

    @Test func nearestEngineNotes() throws {
        let parsed = try FioJobFile.parse(text: "[a]\nioengine=libaio\n[b]\nioengine=sync\n", file: "t.fio")
        #expect(parsed.jobs.map { $0.value("ioengine") } == ["io_uring", "psync"])
        #expect(parsed.notes == ["ioengine=libaio runs on tierbench's io_uring engine (the nearest)",
                                      "ioengine=sync runs on tierbench's psync engine (the nearest)"])
    }

    @Test func explainNamesEveryOrigin() throws {
        let parsed = try FioJobFile.parse(text: "[global]\nbs=4k\n[j]\nreadwrite=randread\nsize=1m\n", file: "t.fio")
        let plan = try JobPlan.make([parsed], commandLine: [("iodepth", "8")])
        let text = plan.explainText()
        for line in ["job j (t.fio:3)",
                     "  bs                   4096              global section (t.fio:2)",
                     "  rw                   randread          job section (t.fio:4) as readwrite",
                     "  iodepth              8                 command line",
                     "  numjobs              1                 default",
                     "  direct               0                 fio default",
                     // fio's engine defaults: psync (synchronous: depth 1), one I/O per submit.
                     "  ioengine             psync             fio default",
                     "  iodepth-batch        1                 fio default"] {
            #expect(text.contains(line + "\n"), "missing \(line.debugDescription) in\n\(text)")
        }
        let json = try #require(jsonObject(try plan.explainJSON()))
        let options = try #require((json["jobs"] as? [[String: Any]])?.first?["options"] as? [[String: Any]])
        let bs = try #require(options.first { $0["option"] as? String == "bs" })
        #expect(bs["origin"] as? String == "global")
        #expect(bs["line"] as? Int == 2)
        #expect(bs["value"] as? String == "4096")
    }

    /// fio's default engine is psync (queue depth 1) with iodepth_batch_submit=1; a fio file that
    /// names neither runs so, whatever iodepth it gives; one that names them, or the command line, wins.
    @Test func fioFilesGetFiosEngineDefaults() throws {
        let plan = try JobPlan.make([FioJobFile.parse(text: "[a]\nrw=randread\niodepth=32\n[b]\nrw=randread\nioengine=io_uring\niodepth=32\n", file: "t.fio")])
        #expect(plan.specs.map(\.ioengine) == [.psync, .ioUring])
        #expect(plan.specs.map(\.iodepthBatch) == [1, 1])
        #expect(plan.jobs[0].entry("ioengine")?.origin == .fioDefault)
        #expect(plan.jobs[0].entry("iodepth-batch")?.origin == .fioDefault)
        let cli = try JobPlan.make([FioJobFile.parse(text: "[a]\nrw=randread\niodepth_batch=8\n", file: "t.fio")],
                                   commandLine: [("ioengine", "io_uring")])
        #expect(cli.specs.map(\.ioengine) == [.ioUring])
        #expect(cli.specs.map(\.iodepthBatch) == [8])
        // tierbench's own format keeps tierbench's defaults.
        let native = try JobPlan.make([NativeJobFile.parse(text: "jobs:\n  - rw: randread\n", file: "t.yaml")])
        #expect(native.specs.map(\.ioengine) == [.auto])
        #expect(native.specs.map(\.iodepthBatch) == [4])
    }

    @Test func everyOptionUsersWriteMostIsSupportedOrRefusedByName() throws {
        // fio-compat.md's list of "the options our users write most".
        let most = ["rw", "rwmixread", "rwmixwrite", "bs", "bsrange", "bssplit", "iodepth", "numjobs", "size", "offset",
                    "offset_increment", "filename", "directory", "nrfiles", "runtime", "time_based", "ramp_time", "direct",
                    "buffered", "ioengine", "norandommap", "randrepeat", "randseed", "random_distribution", "rate",
                    "rate_iops", "thinktime", "verify", "do_verify", "fsync", "group_reporting", "percentile_list",
                    "stonewall", "name", "loops"]
        for name in most {
            #expect(FioOptionNames.all.contains(name), "\(name)")
            #expect(FioOptionTable.handled.contains(name), "\(name) is not in the option table")
        }
        // Unhandled valid options are refused, never ignored.
        guard case .unsupported = FioOptionTable.map("exitall", "1", .init(kbBase: 1024, isExpression: false)) else {
            Issue.record("exitall was not refused"); return
        }
    }

    @Test func optionNameTableIsFiosHowto() throws {
        #expect(FioOptionNames.all.count > 300)
        guard access("/usr/share/doc/fio/HOWTO.rst.gz", R_OK) == 0 else { try Test.cancel("fio's HOWTO is not installed") }
        let out = try execute("/bin/sh", ["-c", "zcat /usr/share/doc/fio/HOWTO.rst.gz | grep -E '^\\.\\. option::' | grep -v ':: --'"])
        for line in out.stdout.split(separator: "\n") {
            let first = line.dropFirst(".. option:: ".count).prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
            #expect(FioOptionNames.all.contains(String(first)), "\(first) is in fio's HOWTO but not in FioOptionNames")
        }
    }
}

/// The example files in `examples/` load (and fio accepts the fio ones).
@Suite struct ExamplesTests {
    @Test func examplesLoad() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: examplesDirectory)
            .filter { [".fio", ".yaml", ".json"].contains(where: $0.hasSuffix) }.sorted()
        #expect(files.filter { $0.hasSuffix(".fio") }.count >= 2)
        #expect(files.filter { !$0.hasSuffix(".fio") }.count >= 2)
        for name in files {
            let path = "\(examplesDirectory)/\(name)"
            #expect(throws: Never.self, "\(name)") { try JobPlan.load(files: [path], environment: ["TB_SIZE": "1g"]) }
            if name.hasSuffix(".fio"), let fio = fioPath {
                let out = try execute(fio, ["--showcmd", path], environment: ["TB_SIZE": "1g"])
                #expect(out.stderr == "", "\(name): \(out.stderr)")
            }
        }
    }
}
