import Foundation
import Testing
import TestSupport

/// fio's per-I/O logs (a write_*_log without log_avg_msec, or with 0): a line per read or write,
/// as fio 3.33 writes them, compared with fio's own logs of the same size-based job and read by
/// fio's fiologparser.py and fio-plot.
@Suite struct FioPerIOLogTests {
    static let corpusJob = "\(corpusDirectory)/54-per-io-logs.fio"
    static let names = ["perio_bw.1.log", "perio_iops.1.log", "perio_lat.1.log", "perio_clat.1.log", "perio_slat.1.log",
                        "perio-sync_lat.log", "perio-sync_clat.log", "perio-sync_slat.log"]

    static func lines(_ path: String) throws -> [[String]] { try FioLogTests.lines(path) }

    /// Runs `job` in a new scratch directory (a copy of it there); the directory and the JSON.
    static func runTierbench(_ job: String, environment: [String: String] = [:]) throws -> (Scratch, [String: Any]?) {
        let s = Scratch()
        let path = s.write("job.fio", try String(contentsOfFile: job, encoding: .utf8))
        let out = try tierbench(["run", path, "--progress", "never", "--output-format", "json"], environment: environment, cwd: s.path)
        #expect(out.status == 0, "\(out.stderr)")
        return (s, out.json)
    }

    static func ios(_ job: [String: Any]?, _ direction: String) -> Int { (job?[direction] as? [String: Any])?["ios"] as? Int ?? 0 }

    /// One line per read or write: the JSON's I/O counts, syncs none; the values of each line
    /// agree (lat = slat + clat, bw = bs x 10^6 / clat, iops 1) and the times are in completion order.
    @Test func aLinePerIOWithFiosValues() throws {
        let (s, json) = try Self.runTierbench(Self.corpusJob)
        let jobs = json?["jobs"] as? [[String: Any]] ?? []
        try #require(jobs.count == 3)
        let mixed = Self.ios(jobs[0], "read") + Self.ios(jobs[0], "write")
        #expect(mixed == 64)
        let synced = Self.ios(jobs[1], "write") + Self.ios(jobs[2], "write")
        #expect(synced == 32 && (jobs[1]["sync"] as? [String: Any])?["ios"] as? Int ?? 0 > 0, "the synced job syncs: \(jobs[1]["sync"] ?? "none")")
        let logs = try Dictionary(uniqueKeysWithValues: Self.names.map { ($0, try Self.lines(s.file($0))) })
        for (name, lines) in logs {
            #expect(lines.count == (name.hasPrefix("perio-sync") ? synced : mixed), "\(name): \(lines.count) lines")
            #expect(lines.allSatisfy { $0.count == (name.hasPrefix("perio-sync") ? 5 : 6) && $0.last == "0" }, "\(name): \(lines.prefix(2))")
        }
        let (lat, clat, slat) = (logs["perio_lat.1.log"]!, logs["perio_clat.1.log"]!, logs["perio_slat.1.log"]!)
        for i in lat.indices {
            #expect(Int(lat[i][1])! == Int(clat[i][1])! + Int(slat[i][1])!, "line \(i + 1): lat is slat + clat")
            #expect(lat[i][2...] == clat[i][2...] && lat[i][2...] == slat[i][2...], "line \(i + 1): the same I/O in every log")
        }
        let bw = logs["perio_bw.1.log"]!
        for (b, c) in zip(bw, clat) {
            let clatNs = Int(c[1])!
            #expect(Int(b[1])! == (clatNs > 0 ? Int(b[3])! * 1_000_000 / clatNs : 0), "\(b) vs \(c)")
        }
        #expect(logs["perio_iops.1.log"]!.allSatisfy { $0[1] == "1" })
        let times = bw.map { Int($0[0])! }
        #expect(times == times.sorted(), "completion order")
        #expect(Set(bw.map { $0[2] }) == ["0", "1"] && bw.filter { $0[2] == "0" }.count == Self.ios(jobs[0], "read"))
        #expect(Set(bw.map { Int($0[4])! }) == Set(stride(from: 0, to: 256 * 1024, by: 4096)), "every block once (fio's random map)")
    }

    /// fio 3.33 on the same job: the same files, line counts and columns; block sizes, offsets
    /// and directions as sets (the order of random offsets is each one's own).
    @Test func fioWritesTheSameLines() throws {
        guard let fio = fioPath else { try Test.cancel("fio is not installed: nothing to compare with") }
        let (mine, _) = try Self.runTierbench(Self.corpusJob)
        let theirs = Scratch()
        let f = try execute(fio, ["--output=/dev/null", Self.corpusJob], cwd: theirs.path)
        #expect(f.status == 0, "\(f.stderr)")
        let logNames = { (s: Scratch) in ((try? FileManager.default.contentsOfDirectory(atPath: s.path)) ?? []).filter { $0.hasSuffix(".log") }.sorted() }
        #expect(logNames(mine) == logNames(theirs) && logNames(theirs) == Self.names.sorted())
        // fio's psync takes no slat (its slat log is empty); tierbench's has its prepare-to-submit time.
        for name in Self.names where name != "perio-sync_slat.log" {
            let a = try Self.lines(mine.file(name)), b = try Self.lines(theirs.file(name))
            #expect(a.count == b.count && !b.isEmpty, "\(name): \(a.count) lines, fio \(b.count)")
            #expect(Set(a.map(\.count)) == Set(b.map(\.count)), "\(name): columns")
            for column in 2..<(b.first?.count ?? 0) {
                #expect(Set(a.map { $0[column] }) == Set(b.map { $0[column] }), "\(name): column \(column + 1)")
            }
        }
    }

    /// A ramp's I/Os have no line (fio logs the measured span), and the time column counts from
    /// the measured span's start.
    @Test func theRampIsNotLogged() throws {
        let s = Scratch()
        let job = s.write("job.fio", "[r]\nfilename=ramp.dat\nrw=randwrite\nbs=4k\nsize=1m\nioengine=psync\nrate_iops=400\ntime_based\nramp_time=300ms\nruntime=500ms\nwrite_iops_log=ramp\n")
        let out = try tierbench(["run", job, "--progress", "never", "--output-format", "json"], cwd: s.path)
        #expect(out.status == 0, "\(out.stderr)")
        let lines = try Self.lines(s.file("ramp_iops.1.log"))
        #expect(lines.count == out.json?.int("jobs", "0", "write", "ios") && lines.count > 50, "\(lines.count) lines")
        let last = lines.last.flatMap { Int($0[0]) } ?? 0
        #expect(last <= 600, "times since the measured span's start, not the ramp's: \(last) ms")
    }

    /// fio's fiologparser.py (with the fix FioLogTests applies) reads a per-I/O log as it reads
    /// fio's own: I/Os paced every 5 ms, one I/O's IOPS value over each 5 ms, so each full 100 ms
    /// interval sums to 1 when the lines are in time order from the span's start; fio's log too.
    @Test func fiologparserReadsThePerIOLog() throws {
        let shipped = "/usr/share/doc/fio/fiologparser.py.gz"
        guard access(shipped, R_OK) == 0 else { try Test.cancel("fio's fiologparser.py is not installed (Debian's fio package ships it)") }
        let s = Scratch()
        let unpacked = try execute("/usr/bin/zcat", [shipped])
        let old = "(time, value, foo, bar) = line.rstrip('\\r\\n').rsplit(', ')"
        let script = s.write("fiologparser.py", unpacked.stdout.replacingOccurrences(of: old, with: "(time, value) = line.rstrip('\\r\\n').rsplit(', ')[:2]"))
        let job = s.write("job.fio", "[p]\nfilename=paced.dat\nrw=randwrite\nbs=4k\nsize=1m\nioengine=psync\nrate_iops=200\ntime_based\nruntime=1\nwrite_iops_log=paced\n")
        let out = try tierbench(["run", job, "--progress", "never"], cwd: s.path)
        #expect(out.status == 0, "\(out.stderr)")
        var logs = [s.file("paced_iops.1.log")]
        let theirs = Scratch()  // removed when it goes: it must outlive the parsing
        if let fio = fioPath {
            let f = try execute(fio, ["--output=/dev/null", job], cwd: theirs.path)
            #expect(f.status == 0, "\(f.stderr)")
            logs.append(theirs.file("paced_iops.1.log"))
        }
        for log in logs {
            let parsed = try execute("/usr/bin/python3", [script, "-i", "100", "-s", log])
            #expect(parsed.status == 0, "\(log): \(parsed.stderr)")
            let rows = parsed.stdout.split(separator: "\n").map { $0.components(separatedBy: ", ") }
            let full = rows.filter { Int($0[0]).map { $0 % 100 == 0 && $0 < 900 } ?? false }
            #expect(full.count == 8, "\(log): \(parsed.stdout)")
            #expect(full.allSatisfy { $0.count == 2 && $0[1] == "1.000" }, "\(log): \(parsed.stdout)")
        }
    }

    /// fio-plot's time-series chart (-g) draws per-I/O logs, fio's as well.
    @Test func fioPlotDrawsThePerIOLogs() throws {
        let fioPlot = "/opt/tierbench-venv/bin/fio-plot"
        guard access(fioPlot, X_OK) == 0 else { try Test.cancel("fio-plot is not installed (make test-setup installs it in /opt/tierbench-venv)") }
        let s = Scratch()
        let prefix = "randrw-iodepth-4-numjobs-1"
        let job = s.write("job.fio", "[\(prefix)]\nfilename=plot.dat\nrw=randrw\nbs=4k\nsize=1m\niodepth=4\nioengine=io_uring\nrate_iops=2000\ntime_based\nruntime=500ms\nwrite_bw_log=\(prefix)\nwrite_lat_log=\(prefix)\n")
        let out = try tierbench(["run", job, "--progress", "never"], cwd: s.path)
        #expect(out.status == 0, "\(out.stderr)")
        try FileManager.default.removeItem(atPath: s.file("job.fio"))
        let png = s.file("chart.png")
        let plot = try execute(fioPlot, ["-i", s.path, "-T", "tierbench", "-g", "-t", "bw", "lat", "-r", "randrw", "-d", "4", "-n", "1", "-o", png])
        #expect(plot.status == 0, "fio-plot: \(plot.stdout) \(plot.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: png))
        #expect(Array(data.prefix(4)) == [0x89, 0x50, 0x4E, 0x47], "not a PNG")
        #expect(data.count > 20_000)
    }

    /// A histogram log beside per-I/O logs: log_hist_msec is the run's interval, the others
    /// still log every I/O.
    @Test func aHistogramLogBesidePerIOLogs() throws {
        let s = Scratch()
        let job = s.write("job.fio", "[h]\nfilename=hist.dat\nrw=randread\nbs=4k\nsize=256k\nwrite_lat_log=both\nwrite_hist_log=both\nlog_hist_msec=100\n")
        let out = try tierbench(["run", job, "--progress", "never", "--output-format", "json"], cwd: s.path)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.json?.int("settings", "interval_ns") == 100_000_000)
        #expect(try Self.lines(s.file("both_lat.1.log")).count == 64)
        #expect(!(try Self.lines(s.file("both_clat_hist.1.log")).isEmpty))
    }
}
