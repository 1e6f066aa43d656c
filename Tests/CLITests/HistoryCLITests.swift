import Check
import Foundation
import Glibc
@testable import History
import Report
import Testing
import TestSupport

/// `--history`, `tierbench history` and `tierbench gate` through the real binary: imports of
/// tierbench and fio JSON, usage errors, concurrent writers, a writer killed mid-write, check's
/// verdicts, and real runs on a file that a cgroup v1 blkio throttle then slows down.

/// A short tierbench run on a small file; returns its JSON path.
private func shortRun(_ s: Scratch, name: String = "base.json", extra: [String] = []) throws -> String {
    let out = s.file(name)
    let o = try tierbench(["run", "--rw", "randread", "--bs", "4k", "--size", "8m", "--runtime", "1s", "--ramp-time", "0", "--target", s.file("data.bin"),
                           "--progress", "never", "--output-format", "json", "--output", out] + extra)
    #expect(o.status == 0, "\(o.stderr)")
    return out
}

/// Copies of a tierbench JSON that differ in their start time (hour i after the original's day).
private func copies(of path: String, count: Int, in s: Scratch, prefix: String) throws -> [String] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    return try (0..<count).map { i in
        object["start_time_utc"] = String(format: "2026-10-%02dT%02d:%02d:00Z", 1 + i / 24, i % 24, i % 60)
        let file = s.file("\(prefix)-\(i).json")
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]).write(to: URL(fileURLWithPath: file))
        return file
    }
}

/// Starts tierbench without waiting (stdout and stderr to files).
private func spawn(_ arguments: [String], environment extra: [String: String] = [:], log: String) throws -> Process {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: tierbenchPath)
    p.arguments = arguments
    p.environment = ProcessInfo.processInfo.environment.merging(extra) { _, new in new }
    _ = FileManager.default.createFile(atPath: log, contents: nil)
    let h = FileHandle(forWritingAtPath: log)!
    p.standardOutput = h
    p.standardError = h
    try p.run()
    return p
}

@Suite struct HistoryCLITests {
    @Test func importsTierbenchAndFioJSON() throws {
        let s = Scratch()
        let db = s.file("h.sqlite")
        let run = try shortRun(s)
        var files = [run]
        if let fio = which("fio") {
            let f = try execute(fio, ["--name=fio-rr", "--filename=\(s.file("data.bin"))", "--rw=randread", "--bs=4k", "--size=8m", "--runtime=1", "--time_based",
                                      "--ioengine=psync", "--direct=1", "--output-format=json+", "--output=\(s.file("fio.json"))"])
            #expect(f.status == 0, "\(f.stderr)")
            files.append(s.file("fio.json"))
        } else {
            print("fio is not installed: the fio import is not exercised here (apt-get install fio)")
        }
        let o = try tierbench(["history", "import", "--history", db, "--label", "pipeline=nightly"] + files)
        #expect(o.status == 0, "\(o.stderr)")
        #expect(o.stdout.split(separator: "\n").filter { $0.contains("recorded as run") }.count == files.count, "\(o.stdout)")
        // The same file again is skipped, not doubled.
        let again = try tierbench(["history", "import", "--history", db, run])
        #expect(again.status == 0 && again.stdout.contains("already in the history as run 1"), "\(again.stdout)")
        let list = try tierbench(["history", "list", "--history", db, "--output-format", "json"])
        let runs = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]], "\(list.stdout)\(list.stderr)")
        #expect(runs.count == files.count)
        #expect(runs.allSatisfy { ($0["labels"] as? [String: String])?["pipeline"] == "nightly" })
        #expect(runs.first?["tool"] as? String == "tierbench")
        if files.count == 2 {
            #expect(runs[1]["tool"] as? String == "fio")
            let show = try tierbench(["history", "show", "--history", db, "2"])
            #expect(show.status == 0 && show.stdout.contains("job fio-rr: randread, engine psync"), "\(show.stdout)")
            // json+ bins: the histogram is kept.
            #expect(show.stdout.contains("clat "), "\(show.stdout)")
        }
        let show = try tierbench(["history", "show", "--history", db, "1", "--output-format", "json"])
        let detail = try #require(show.json, "\(show.stdout)")
        let metrics = try #require(detail.at("jobs", "0", "directions", "0", "metrics") as? [String: Any])
        #expect(metrics["iops"] != nil && metrics["lat_p99.9_ns"] != nil && metrics["iops_interval_stddev"] != nil)
        #expect((detail.at("jobs", "0", "directions", "0", "histogram_buckets", "lat") as? Int ?? 0) > 0)
        let csv = try tierbench(["history", "export", "--history", db, "--metric", "iops"])
        let lines = csv.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("run_id,started_at,series_id,series,job,direction,metric,value") == true)
        #expect(lines.count == 1 + files.count, "\(csv.stdout)")
        let json = try tierbench(["history", "export", "--history", db, "--format", "json", "--metric", "iops"])
        #expect((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [Any])?.count == files.count)
        let gate = try tierbench(["gate", "--history", db])
        #expect(gate.status == 0 && gate.stdout.contains("too little history"), "\(gate.stdout)")
    }

    /// fio's `sync` section (counted in `lat_ns.N`) becomes the direction `sync`, as a tierbench
    /// run's syncs do: a nightly gate can watch an imported etcd check's fdatasync p99.
    @Test func fioSyncsAreImportedAsTheSyncDirection() throws {
        guard let fio = which("fio") else { try Test.cancel("fio is not installed: nothing to import") }
        let s = Scratch()
        let f = try execute(fio, ["--name=etcd", "--filename=\(s.file("data.bin"))", "--rw=write", "--ioengine=sync", "--fdatasync=1", "--bs=2300",
                                  "--size=460k", "--output-format=json", "--output=\(s.file("fio.json"))"])
        #expect(f.status == 0, "\(f.stderr)")
        let fioSync = try #require(jsonObject(try String(contentsOfFile: s.file("fio.json"), encoding: .utf8))?.at("jobs", "0", "sync", "lat_ns") as? [String: Any])
        let db = s.file("h.sqlite")
        let o = try tierbench(["history", "import", "--history", db, s.file("fio.json")])
        #expect(o.status == 0, "\(o.stderr)")
        let show = try tierbench(["history", "show", "--history", db, "1", "--output-format", "json"])
        let directions = try #require(show.json?.at("jobs", "0", "directions") as? [[String: Any]], "\(show.stdout)")
        let sync = try #require(directions.first { $0["direction"] as? String == "sync" }, "\(directions.map { $0["direction"] ?? "?" })")
        #expect(sync["ios"] as? Int == fioSync["N"] as? Int && (sync["ios"] as? Int ?? 0) > 0, "\(sync)")
        let metrics = try #require(sync["metrics"] as? [String: Any])
        let p99 = (fioSync["percentile"] as? [String: Any])?["99.000000"] as? Double
        #expect(metrics["lat_p99_ns"] as? Double == p99 && p99 != nil, "\(metrics)")
        #expect((metrics["iops"] as? Double ?? 0) > 0)
    }

    @Test func badInputIsOneLineAndAUsageError() throws {
        let s = Scratch()
        let db = s.file("h.sqlite")
        func usage(_ args: [String], _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            let o = try tierbench(args)
            #expect(o.status == 2, "\(args): \(o.status) \(o.stderr)", sourceLocation: sourceLocation)
            #expect(o.stderr.contains(fragment), "\(args): \(o.stderr)", sourceLocation: sourceLocation)
            #expect(o.stderr.split(separator: "\n").count == 1, "\(args): \(o.stderr)", sourceLocation: sourceLocation)
        }
        try usage(["gate"], "--history")
        try usage(["gate", "--history", db], "no such file")
        try usage(["run", "--label", "zone=a", "--rw", "read"], "--label goes with --history")
        try usage(["run", "--history", db, "--label", "zone", "--rw", "read"], "give key=value")
        try usage(["history", "list", "--history", s.file("nodir/h.sqlite")], "no such file")
        let run = try shortRun(s)
        #expect(try tierbench(["history", "import", "--history", db, run]).status == 0)
        try usage(["gate", "--history", db, "--window", "0"], "--window 0")
        try usage(["gate", "--history", db, "--p-value", "2"], "not a p-value")
        try usage(["gate", "--history", db, "--output-format", "xml"], "not a format of gate")
        try usage(["gate", "--history", db, "--results", s.file("nope.json")], "cannot read the file")
        try usage(["history", "ack", "--history", db, "zzz-no-such", "--since", "1", "--reason", "x"], "no series matches")
        try usage(["history", "ack", "--history", db, "iops", "--since", "99", "--reason", "x"], "no run 99")
        try usage(["history", "prune", "--history", db], "--older-than")
        try usage(["history", "import", "--history", db, s.file("data.bin")], "not a JSON object")
        // A history written by a newer tierbench: user_version (bytes 60-63 of the header) above ours.
        let fd = open(db, O_RDWR)
        var version = UInt32(99).bigEndian
        #expect(pwrite(fd, &version, 4, 60) == 4)
        close(fd)
        try usage(["gate", "--history", db], "written by a newer tierbench")
        try usage(["run", "--history", db, "--rw", "read", "--target", s.file("x.bin")], "written by a newer tierbench")
        #expect(!FileManager.default.fileExists(atPath: s.file("x.bin")))  // refused before anything ran
    }

    @Test func fourWritersAtOnceLoseNoRun() throws {
        let s = Scratch()
        let db = s.file("h.sqlite")
        let base = try shortRun(s)
        let writers = try (0..<4).map { w in
            let files = try copies(of: base, count: 50, in: s, prefix: "w\(w)").enumerated().map { i, f -> String in
                // Distinct start times across writers too.
                let moved = s.file("w\(w)-m\(i).json")
                let text = try String(contentsOfFile: f, encoding: .utf8).replacingOccurrences(of: "2026-10-", with: "2026-0\(w + 1)-")
                try text.write(toFile: moved, atomically: true, encoding: .utf8)
                return moved
            }
            return try spawn(["history", "import", "--history", db] + files, log: s.file("w\(w).log"))
        }
        for w in writers { w.waitUntilExit() }
        for (i, w) in writers.enumerated() {
            #expect(w.terminationStatus == 0, "writer \(i): \((try? String(contentsOfFile: s.file("w\(i).log"), encoding: .utf8)) ?? "")")
        }
        let store = try HistoryStore(path: db, create: false)
        #expect(try store.runCount() == 200)
        #expect(try store.integrityCheck() == "ok")
        #expect(try store.series().first { $0.metric == "iops" }?.points == 200)
    }

    @Test func aWriterKilledMidWriteLeavesTheDatabaseConsistent() throws {
        let s = Scratch()
        let db = s.file("h.sqlite")
        let base = try shortRun(s)
        let files = try copies(of: base, count: 6, in: s, prefix: "run")
        #expect(try tierbench(["history", "import", "--history", db] + Array(files[0..<3])).status == 0)
        let before = try tierbench(["history", "export", "--history", db, "--format", "json"]).stdout
        // The writer stops inside its transaction (everything inserted, nothing committed) and says so in the marker.
        let marker = s.file("stalled")
        let writer = try spawn(["history", "import", "--history", db] + Array(files[3...]), environment: ["TIERBENCH_TEST_HISTORY_STALL": marker], log: s.file("w.log"))
        _ = waitUntil(timeout: 60) { FileManager.default.fileExists(atPath: marker) || !writer.isRunning }
        #expect(FileManager.default.fileExists(atPath: marker), "the writer never reached the middle of its transaction")
        kill(writer.processIdentifier, SIGKILL)
        writer.waitUntilExit()
        #expect(writer.terminationReason == .uncaughtSignal)
        let store = try HistoryStore(path: db, create: false)
        #expect(try store.integrityCheck() == "ok")
        #expect(try store.runCount() == 3)
        #expect(try store.read { db in
            try Int.fetchOne(db, sql: "SELECT (SELECT count(*) FROM jobs WHERE run_id NOT IN (SELECT id FROM runs)) + (SELECT count(*) FROM points WHERE run_id NOT IN (SELECT id FROM runs))")
        } == 0)
        #expect(try tierbench(["history", "export", "--history", db, "--format", "json"]).stdout == before)
        // And the next writer goes on where it stopped.
        #expect(try tierbench(["history", "import", "--history", db] + Array(files[3...])).status == 0)
        #expect(try store.runCount() == 6)
    }

    @Test func checkRecordsItsVerdicts() throws {
        let s = Scratch()
        let db = s.file("h.sqlite")
        let run = try shortRun(s)
        let o = try tierbench(["check", "--tier", "gp3", "--size", "100Gi", "--results", run, "--history", db, "--label", "zone=us-east-1a"])
        #expect(o.status == 0 || o.status == 3, "\(o.stderr)")
        #expect(o.stderr.contains("recorded as run 1"), "\(o.stderr)")
        let show = try tierbench(["history", "show", "--history", db, "1", "--output-format", "json"])
        let detail = try #require(show.json, "\(show.stdout)")
        #expect(detail.at("run", "tier") as? String == "gp3")
        #expect(detail.at("run", "zone") as? String == "us-east-1a")
        #expect(((detail["verdicts"] as? [Any])?.count ?? 0) > 0, "\(show.stdout)")
        let series = try tierbench(["history", "series", "--history", db, "--metric", "iops"])
        #expect(series.stdout.contains("tier=gp3 zone=us-east-1a"), "\(series.stdout)")
    }
}

/// `zones run --history` without a cluster: a volume's result recorded as the zones command
/// does (RunImport.record(zoneVolume:)) is a run of source zones whose series keys name the
/// volume's zone, class and tier; the volume's own zone wins over a --label zone, other labels stay.
@Suite struct ZoneVolumeHistoryTests {
    @Test func aZoneVolumeIsOneRunInItsZonesSeries() throws {
        let s = Scratch()
        let run = try shortRun(s)
        // Each volume's pod measured its own result.
        let results = try [run, shortRun(s, name: "second.json")].map { try JSONReport.decode(Data(contentsOf: URL(fileURLWithPath: $0))) }
        let result = results[0]
        let checkFile = s.file("check.json")
        let c = try tierbench(["check", "--tier", "gp3", "--size", "100Gi", "--results", run, "--output-format", "json", "--output", checkFile])
        #expect(c.status == 0 || c.status == 3, "\(c.stderr)")
        let verdict = try #require(try CheckReport.decode(Data(contentsOf: URL(fileURLWithPath: checkFile))).subjects.first)
        let db = s.file("h.sqlite")
        let store = try HistoryStore(path: db, create: true)
        for (k, (zone, node)) in [("us-east-1a", "ip-10-0-1-5"), ("us-east-1b", "ip-10-0-2-7")].enumerated() {
            let record = RunImport.record(zoneVolume: results[k], zone: zone, node: node, instanceType: zone == "us-east-1a" ? "m6i.large" : nil,
                                          storageClass: "fast", tier: "gp3", verdict: verdict, labels: ["team": "storage", "zone": "elsewhere"])
            #expect(record.source == "zones" && record.zone == zone && record.node == node && record.storageClass == "fast" && record.tier == "gp3")
            #expect(record.labels["zone"] == zone && record.labels["team"] == "storage")
            #expect(record.verdicts.count == verdict.metrics.count && !record.verdicts.isEmpty)
            let points = record.seriesPoints
            #expect(!points.isEmpty)
            #expect(points.allSatisfy { $0.key.identity == "class=fast tier=gp3 zone=\(zone)" && $0.key.labels == "team=storage" }, "\(points.map(\.key.name))")
            guard case .recorded = try store.record(record) else { Issue.record("\(zone): not recorded"); continue }
        }
        #expect(RunImport.record(zoneVolume: result, zone: "z", node: nil, instanceType: nil, storageClass: "fast", tier: "gp3", verdict: nil,
                                 labels: ["node": "user-given"]).node == nil, "a volume without a known node has none")
        let series = try store.series()
        let zonesOf = Set(series.map { $0.identity.components(separatedBy: "zone=").last ?? "" })
        #expect(zonesOf == ["us-east-1a", "us-east-1b"], "\(series.map(\.name))")
        #expect(series.count % 2 == 0 && series.filter { $0.identity.hasSuffix("us-east-1a") }.count == series.count / 2)
        let list = try tierbench(["history", "list", "--history", db, "--output-format", "json"])
        let runs = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]], "\(list.stdout)\(list.stderr)")
        #expect(runs.map { $0["source"] as? String } == ["zones", "zones"])
        #expect(runs.map { $0["instance_type"] as? String } == ["m6i.large", nil])
    }
}

// MARK: - Real runs on a file, then a blkio throttle at 70% of the measured IOPS

private let canThrottleFile = isRoot && access("/sys/fs/cgroup/blkio", W_OK) == 0 && which("losetup") != nil && which("mkfs.ext4") != nil
    && which("mount") != nil

/// An ext4 file system on a loop device over /dev/shm, mounted in a scratch directory, and a
/// blkio cgroup (cgroup v1) whose read IOPS limit on that device can be set.
final class ThrottledFileSystem {
    let backing: String
    let device: String
    let mountPoint: String
    let cgroup: String
    let deviceNumber: String

    init?(scratch: Scratch) {
        backing = "/dev/shm/tierbench-history-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).img"
        cgroup = "/sys/fs/cgroup/blkio/tierbench-history-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        mountPoint = scratch.file("mnt")
        let fd = open(backing, O_CREAT | O_WRONLY, 0o600)
        guard fd >= 0, ftruncate(fd, 256 << 20) == 0 else { if fd >= 0 { close(fd) }; return nil }
        close(fd)
        guard let out = try? execute(which("losetup")!, ["--find", "--show", backing]), out.status == 0 else { unlink(backing); return nil }
        device = out.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        var st = stat()
        stat(device, &st)
        deviceNumber = "\((st.st_rdev >> 8) & 0xfff | ((st.st_rdev >> 32) & ~0xfff)):\((st.st_rdev & 0xff) | ((st.st_rdev >> 12) & ~0xff))"
        mkdir(mountPoint, 0o755)
        mkdir(cgroup, 0o755)
        guard (try? execute(which("mkfs.ext4")!, ["-q", "-F", device]))?.status == 0,
              (try? execute(which("mount")!, [device, mountPoint]))?.status == 0 else { print("mkfs.ext4 or mount failed"); return nil }
    }

    /// Read IOPS limit of the device for processes in the cgroup (0: none).
    func limitReadIOPS(_ iops: Int) {
        try? "\(deviceNumber) \(iops)".write(toFile: "\(cgroup)/blkio.throttle.read_iops_device", atomically: false, encoding: .utf8)
    }

    func tierbench(_ arguments: [String]) throws -> Outcome {
        let quoted = ([tierbenchPath] + arguments).map { "'\($0)'" }.joined(separator: " ")
        return try execute("/bin/sh", ["-c", "echo $$ > \(cgroup)/cgroup.procs && exec \(quoted)"])
    }

    deinit {
        _ = try? execute(which("umount")!, [mountPoint])
        _ = try? execute(which("losetup")!, ["-d", device])
        unlink(backing)
        rmdir(cgroup)
    }
}

@Suite(.serialized, .enabled(if: canThrottleFile, "needs root, cgroup v1 blkio (/sys/fs/cgroup/blkio), losetup, mkfs.ext4 and mount"))
struct HistoryThrottledTests {
    @Test func aThrottledRunIsARegressionAndAnUnthrottledOnePasses() throws {
        let s = Scratch()
        let fs = try #require(ThrottledFileSystem(scratch: s))
        let db = s.file("h.sqlite")
        let target = "\(fs.mountPoint)/data.bin"
        // An existing file, so no run lays one out. The rate cap keeps the workload the same every night.
        let fill = try execute("/bin/dd", ["if=/dev/urandom", "of=\(target)", "bs=1M", "count=64", "conv=fsync", "status=none"])
        #expect(fill.status == 0, "\(fill.stderr)")
        func run(_ i: Int) throws -> Double {
            let out = s.file("r\(i).json")
            let o = try fs.tierbench(["run", "--rw", "randread", "--bs", "4k", "--iodepth", "4", "--rate-iops", "3000", "--runtime", "2s", "--ramp-time", "0",
                                      "--interval", "200ms", "--target", target, "--progress", "never", "--output-format", "json", "--output", out,
                                      "--history", db, "--label", "pipeline=test"])
            #expect(o.status == 0, "\(o.stderr)")
            let doc = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
            return try #require(doc.at("aggregates", "0", "read", "iops") as? Double)
        }
        let measured = try (1...10).map(run)
        let mean = measured.reduce(0, +) / Double(measured.count)
        print("10 runs on \(target) (\(fs.device)): \(measured.map { Int($0) }) IOPS, mean \(Int(mean))")
        // The IOPS metric only: latency on a machine shared with the rest of the suite varies from
        // run to run with what else runs (seen: one run's p99 15x the others'), not with the disk.
        let first = try tierbench(["gate", "--history", db, "--metric", "iops"])
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")

        fs.limitReadIOPS(Int(mean * 0.7))
        _ = try run(11)
        let gate = try tierbench(["gate", "--history", db, "--metric", "iops", "--junit", s.file("gate.xml")])
        #expect(gate.status == 3, "\(gate.stdout)\(gate.stderr)")
        let regressions = gate.stdout.split(separator: "\n").filter { $0.hasPrefix("REGRESSION") }
        #expect(regressions.contains { $0.contains("read iops") }, "\(gate.stdout)")
        #expect(gate.stdout.contains("regression: randread read iops"), "\(gate.stdout)")
        #expect(try String(contentsOfFile: s.file("gate.xml"), encoding: .utf8).contains("<failure"))

        fs.limitReadIOPS(0)
        _ = try run(12)
        let after = try tierbench(["gate", "--history", db, "--metric", "iops"])
        #expect(after.status == 0, "\(after.stdout)\(after.stderr)")
        #expect(!after.stdout.contains("REGRESSION"), "\(after.stdout)")
    }
}
