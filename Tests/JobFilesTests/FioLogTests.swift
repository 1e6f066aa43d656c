import Foundation
import Testing
import TestSupport

/// fio's log files from tierbench: names and line format as fio's, lines that are the run's
/// interval series, read by fio-plot's time-series charts (`-g`) and fio's fiologparser.py.
@Suite struct FioLogTests {
    /// fio-plot wants bench-fio's prefixes: RW-iodepth-D-numjobs-N.
    static let job = """
        [global]
        filename=${TB_FILE}
        rw=randrw
        bs=4k
        size=4m
        iodepth=4
        ioengine=io_uring
        time_based
        runtime=1200ms
        log_avg_msec=100

        [randrw-iodepth-4-numjobs-2]
        numjobs=2
        write_bw_log=randrw-iodepth-4-numjobs-2
        write_iops_log=randrw-iodepth-4-numjobs-2
        write_lat_log=randrw-iodepth-4-numjobs-2

        [second]
        stonewall
        rw=write
        write_bw_log
        log_offset=1
        per_job_logs=0
        """

    static let prefix = "randrw-iodepth-4-numjobs-2"

    func run(_ s: Scratch, _ text: String = FioLogTests.job, extra: [String] = []) throws -> (Outcome, [String: Any]?) {
        let job = s.write("job.fio", text)
        let out = try tierbench(["run", job, "--progress", "never", "--output-format", "json", "--output", s.file("result.json")] + extra,
                                environment: ["TB_FILE": s.file("target.data")], cwd: s.path)
        let json = (try? String(contentsOfFile: s.file("result.json"), encoding: .utf8)).flatMap(jsonObject)
        return (out, json)
    }

    static func lines(_ path: String) throws -> [[String]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { $0.components(separatedBy: ", ") }
    }

    @Test func logsAreTheIntervalSeriesInFiosFormat() throws {
        let s = Scratch()
        let (out, json) = try run(s)
        #expect(out.status == 0, "\(out.stderr)")
        let logs = try FileManager.default.contentsOfDirectory(atPath: s.path).filter { $0.hasSuffix(".log") }.sorted()
        let expected = ["\(Self.prefix)_bw.1.log", "\(Self.prefix)_bw.2.log", "\(Self.prefix)_clat.1.log", "\(Self.prefix)_clat.2.log",
                        "\(Self.prefix)_iops.1.log", "\(Self.prefix)_iops.2.log", "\(Self.prefix)_lat.1.log", "\(Self.prefix)_lat.2.log",
                        "\(Self.prefix)_slat.1.log", "\(Self.prefix)_slat.2.log", "second_bw.log"]
        #expect(logs == expected)
        let jobs = json?["jobs"] as? [[String: Any]] ?? []
        #expect(jobs.count == 3)
        #expect((json?["settings"] as? [String: Any])?["interval_ns"] as? Int == 100_000_000, "log_avg_msec sets the run's interval")
        for (clone, job) in jobs.prefix(2).enumerated() {
            let intervals = job["intervals"] as? [[String: Any]] ?? []
            #expect(intervals.count >= 11)
            // (time, value, direction, block size, priority) per direction per interval.
            var expectedLines: [String: [[String]]] = [:]
            for i in intervals {
                let ms = ((i["start_ns"] as! Int) + (i["duration_ns"] as! Int)) / 1_000_000
                for (ddir, key) in [(0, "read"), (1, "write")] {
                    let d = i[key] as! [String: Any]
                    func line(_ v: Double) -> [String] { ["\(ms)", "\(Int(v))", "\(ddir)", "0", "0"] }
                    expectedLines["bw", default: []].append(line((d["bandwidth_bytes_per_second"] as! Double) / 1024))
                    expectedLines["iops", default: []].append(line(d["iops"] as! Double))
                    expectedLines["lat", default: []].append(line(d["lat_mean_ns"] as! Double))
                    expectedLines["clat", default: []].append(line(d["clat_mean_ns"] as! Double))
                    expectedLines["slat", default: []].append(line(d["slat_mean_ns"] as! Double))
                }
            }
            for (kind, lines) in expectedLines {
                let got = try Self.lines(s.file("\(Self.prefix)_\(kind).\(clone + 1).log"))
                #expect(got == lines, "\(kind) log of clone \(clone)")
            }
        }
        // per_job_logs=0 and log_offset=1: one file, six columns, writes only.
        let second = try Self.lines(s.file("second_bw.log"))
        let secondIntervals = (jobs[2]["intervals"] as? [[String: Any]] ?? []).count
        #expect(second.count == secondIntervals)
        #expect(second.allSatisfy { $0.count == 6 && $0[2] == "1" && $0[4] == "0" }, "\(second.prefix(2))")
        #expect((second.map { Int($0[1]) ?? 0 }.reduce(0, +)) > 0)
    }

    /// The same job under fio: the same file names, the same columns in each.
    @Test func fioWritesTheSameFiles() throws {
        guard let fio = fioPath else { try Test.cancel("fio is not installed: nothing to compare with") }
        let mine = Scratch(), theirs = Scratch()
        let (out, _) = try run(mine)
        #expect(out.status == 0, "\(out.stderr)")
        let job = theirs.write("job.fio", Self.job)
        let f = try execute(fio, ["--output=/dev/null", job], environment: ["TB_FILE": theirs.file("target.data")], cwd: theirs.path)
        #expect(f.status == 0, "\(f.stderr)")
        let names = { (s: Scratch) in ((try? FileManager.default.contentsOfDirectory(atPath: s.path)) ?? []).filter { $0.hasSuffix(".log") }.sorted() }
        #expect(names(mine) == names(theirs))
        for name in names(theirs) where !name.contains("slat") {  // fio's slat log is empty for psync-like completions only
            let a = try Self.lines(mine.file(name)), b = try Self.lines(theirs.file(name))
            #expect(!b.isEmpty, "\(name)")
            #expect(Set(a.map(\.count)) == Set(b.map(\.count)), "\(name): columns")
            #expect(Set(a.map { $0[2] }) == Set(b.map { $0[2] }), "\(name): directions")
        }
    }

    @Test func fioPlotDrawsTheLogs() throws {
        let fioPlot = "/opt/tierbench-venv/bin/fio-plot"
        guard access(fioPlot, X_OK) == 0 else { try Test.cancel("fio-plot is not installed (make test-setup installs it in /opt/tierbench-venv)") }
        let s = Scratch()
        let (out, _) = try run(s)
        #expect(out.status == 0, "\(out.stderr)")
        try FileManager.default.removeItem(atPath: s.file("target.data"))
        for types in [["bw", "iops", "lat"], ["lat"]] {
            let png = s.file("chart-\(types.joined()).png")
            let plot = try execute(fioPlot, ["-i", s.path, "-T", "tierbench", "-g", "-t"] + types + ["-r", "randrw", "-d", "4", "-n", "2", "-o", png])
            #expect(plot.status == 0, "fio-plot: \(plot.stdout) \(plot.stderr)")
            let data = try Data(contentsOf: URL(fileURLWithPath: png))
            #expect(Array(data.prefix(4)) == [0x89, 0x50, 0x4E, 0x47], "not a PNG")
            #expect(data.count > 20_000)
        }
    }

    /// fio's tools/fiologparser.py as Debian ships it (fio 3.33), with upstream's fix for the
    /// five-column format (fio commit 5f2a90b8: it failed on fio's own logs) applied here.
    @Test func fiologparserReadsTheLogs() throws {
        let shipped = "/usr/share/doc/fio/fiologparser.py.gz"
        guard access(shipped, R_OK) == 0 else { try Test.cancel("fio's fiologparser.py is not installed (Debian's fio package ships it)") }
        let s = Scratch()
        let (out, json) = try run(s)
        #expect(out.status == 0, "\(out.stderr)")
        let unpacked = try execute("/usr/bin/zcat", [shipped])
        #expect(unpacked.status == 0, "\(unpacked.stderr)")
        let old = "(time, value, foo, bar) = line.rstrip('\\r\\n').rsplit(', ')"
        let fixed = "(time, value) = line.rstrip('\\r\\n').rsplit(', ')[:2]"
        #expect(unpacked.stdout.contains(old) || unpacked.stdout.contains(fixed), "fiologparser.py changed: the test's fix no longer applies")
        let script = s.write("fiologparser.py", unpacked.stdout.replacingOccurrences(of: old, with: fixed))
        // A one-direction log (fiologparser gives a second line at the same time no duration, so
        // on mixed logs it counts the first direction only, fio's logs as well as these).
        let parsed = try execute("/usr/bin/python3", [script, "-i", "100", "-s", s.file("second_bw.log")])
        #expect(parsed.status == 0, "\(parsed.stderr)")
        let rows = parsed.stdout.split(separator: "\n").compactMap { row -> (Double, Double)? in
            let p = row.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            return p.count == 2 ? (p[0], p[1]) : nil
        }
        let intervals = ((json?["jobs"] as? [[String: Any]])?.last?["intervals"] as? [[String: Any]]) ?? []
        let full = intervals.filter { $0["duration_ns"] as? Int == 100_000_000 }
        #expect(full.count >= 10)
        #expect(rows.count >= full.count, "\(parsed.stdout)")
        // Per 100 ms, the interval's bandwidth in KiB/s, at the interval's end.
        for (i, interval) in full.enumerated() {
            let kib = Int(((interval["write"] as! [String: Any])["bandwidth_bytes_per_second"] as! Double) / 1024)
            let end = ((interval["start_ns"] as! Int) + 100_000_000) / 1_000_000
            #expect(rows[i].0 == Double(end), "interval \(i): \(parsed.stdout)")
            #expect(abs((rows[i].1) - (Double(kib))) <= 0.5, "\(rows[i].1) vs \(Double(kib))")
        }
    }

    @Test func refusedBeforeTheRun() throws {
        let s = Scratch()
        // Worded as the file writes them, at the option's line (the options start at line 6).
        let cases: [(String, String)] = [
            ("write_lat_log=x\nlog_avg_msec=5\n", "bad.fio:7: log_avg_msec=5 is shorter than tierbench's shortest interval, 10 ms; give log_avg_msec=10 or more"),
            ("write_hist_log=x\nlog_avg_msec=100\n", "bad.fio:6: write_hist_log without log_hist_msec: fio then writes an empty histogram log; give log_hist_msec=N"),
            ("write_hist_log=x\nlog_hist_msec=5\n", "bad.fio:7: log_hist_msec=5 is shorter than tierbench's shortest interval, 10 ms; give log_hist_msec=10"),
            ("write_bw_log=x\nlog_avg_msec=100\nwrite_hist_log=x\nlog_hist_msec=200\n", "bad.fio:9: log_hist_msec=200 differs from log_avg_msec=100"),
        ]
        for (options, message) in cases {
            let job = s.write("bad.fio", "[bad]\nfilename=\(s.file("x.data"))\nrw=write\nbs=4k\nsize=1m\n\(options)")
            let tb = try tierbench(["run", job, "--progress", "never"], cwd: s.path)
            #expect(tb.status == 2, "\(options): \(tb.stderr)")
            #expect(tb.stderr.contains(message), "\(options): \(tb.stderr)")
            #expect(tb.stderr.contains("bad.fio:"), "the message names the file and line: \(tb.stderr)")
        }
        let two = s.write("two.fio", "[a]\nfilename=\(s.file("x.data"))\nrw=write\nsize=1m\nwrite_bw_log=a\nlog_avg_msec=100\n[b]\nrw=write\nfilename=\(s.file("x.data"))\nsize=1m\nwrite_bw_log=b\nlog_avg_msec=200\n")
        let tb = try tierbench(["run", two, "--progress", "never"], cwd: s.path)
        #expect(tb.status == 2, "\(tb.stderr)")
        #expect(tb.stderr.contains("give every job the same"), "\(tb.stderr)")
        #expect(!(FileManager.default.fileExists(atPath: s.file("x.data"))), "a refused run wrote its target")
    }

    /// A log that exists is the user's: refused before anything runs, replaced with --overwrite.
    @Test func anExistingLogIsNotOverwrittenUnlessAsked() throws {
        let s = Scratch()
        let job = """
            [w]
            filename=${TB_FILE}
            rw=write
            size=1m
            write_bw_log=mine
            write_iops_log=mine
            log_avg_msec=100
            """
        s.write("mine_iops.1.log", "keep me\n")
        let (refused, _) = try run(s, job)
        #expect(refused.status == 2, "\(refused.stderr)")
        #expect(refused.stderr.contains("mine_iops.1.log exists and tierbench did not write it") && refused.stderr.contains("--overwrite"), "\(refused.stderr)")
        #expect(try String(contentsOfFile: s.file("mine_iops.1.log"), encoding: .utf8) == "keep me\n")
        #expect(!(FileManager.default.fileExists(atPath: s.file("mine_bw.1.log"))), "nothing written when refused")
        #expect(!(FileManager.default.fileExists(atPath: s.file("target.data"))), "the job did not run")
        let (replaced, _) = try run(s, job, extra: ["--overwrite"])
        #expect(replaced.status == 0, "\(replaced.stderr)")
        let lines = try Self.lines(s.file("mine_iops.1.log"))
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { $0.count == 5 && $0[2] == "1" }, "\(lines)")
    }

    /// fio overwrites its own logs: a rerun replaces the logs tierbench wrote, without --overwrite,
    /// but not one someone changed since.
    @Test func aRerunReplacesTheLogsTierbenchWrote() throws {
        let s = Scratch()
        let job = """
            [w]
            filename=${TB_FILE}
            rw=write
            size=1m
            write_bw_log=again
            log_avg_msec=100
            """
        let (first, _) = try run(s, job)
        #expect(first.status == 0, "\(first.stderr)")
        let log = s.file("again_bw.1.log")
        // Edited in place (the inode and its attribute stay).
        let h = try #require(FileHandle(forWritingAtPath: log))
        try h.truncate(atOffset: 0)
        try h.write(contentsOf: Data("not fio's\n".utf8))
        try h.close()
        let (changed, _) = try run(s, job)
        #expect(changed.status == 2, "\(changed.stderr)")
        #expect(changed.stderr.contains("again_bw.1.log was written by tierbench but changed since") && changed.stderr.contains("--overwrite"), "\(changed.stderr)")
        #expect(try String(contentsOfFile: log, encoding: .utf8) == "not fio's\n")
        let (replaced, _) = try run(s, job, extra: ["--overwrite"])
        #expect(replaced.status == 0, "\(replaced.stderr)")
        let (rerun, _) = try run(s, job)
        #expect(rerun.status == 0, "the log the last run wrote is replaced without --overwrite: \(rerun.stderr)")
        let lines = try Self.lines(log)
        #expect(!lines.isEmpty && lines.allSatisfy { $0.count == 5 && $0[2] == "1" }, "\(lines)")
    }
}
