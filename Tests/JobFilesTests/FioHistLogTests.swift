import Foundation
import Testing
import TestSupport

/// fio's histogram log (`write_hist_log`, `log_hist_msec`, `log_hist_coarseness`): fio's bins
/// of each interval's latencies, as many columns as fio's own log of the same job.
@Suite struct FioHistLogTests {
    static func job(_ extra: String = "") -> String {
        """
        [h]
        filename=${TB_FILE}
        rw=randread
        bs=4k
        size=4m
        ioengine=io_uring
        write_hist_log=h
        log_hist_msec=10
        \(extra)
        """
    }

    static func lines(_ s: Scratch, _ name: String) throws -> [[UInt64]] {
        try String(contentsOfFile: s.file(name), encoding: .utf8).split(separator: "\n")
            .map { $0.components(separatedBy: ", ").map { UInt64($0) ?? .max } }
    }

    func run(_ s: Scratch, _ text: String) throws -> Outcome {
        try tierbench(["run", s.write("job.fio", text), "--progress", "never", "--output", s.file("result.txt")],
                      environment: ["TB_FILE": s.file("target.data")], cwd: s.path)
    }

    /// Bins that hold every I/O of the job once, in lines of fio's width.
    @Test func binsCountEveryIOInFiosColumns() throws {
        let s = Scratch()
        let out = try run(s, Self.job())
        #expect(out.status == 0, "\(out.stderr)")
        let rows = try Self.lines(s, "h_clat_hist.1.log")
        #expect(!rows.isEmpty)
        #expect(Set(rows.map(\.count)) == [3 + 1856])
        #expect(rows.map { $0.dropFirst(3).reduce(0, +) }.reduce(0, +) == 1024, "4 MiB in 4 KiB reads")
        #expect(Set(rows.map { $0[1] }) == [0] && Set(rows.map { $0[2] }) == [4096])
        #expect(rows.map { $0[0] } == rows.map { $0[0] }.sorted())
    }

    /// fiologparser_hist.py's bin value (_plat_idx_to_val, edge 0.5), ns.
    static func binValue(_ idx: Int) -> Double {
        if idx < 128 { return Double(idx) }
        let errorBits = (idx >> 6) - 1
        return Double(1 << (errorBits + 6)) + (Double(idx % 64) + 0.5) * Double(1 << errorBits)
    }

    /// The log's bins, summed over the run, give the percentiles of tierbench's own report
    /// (fio's bins are 1/64 of a power of two wide), as fiologparser_hist.py reads them.
    @Test func binsGiveTheReportsPercentiles() throws {
        let s = Scratch()
        let out = try tierbench(["run", s.write("job.fio", Self.job()), "--progress", "never", "--output-format", "json", "--output", s.file("r.json")],
                                environment: ["TB_FILE": s.file("target.data")], cwd: s.path)
        #expect(out.status == 0, "\(out.stderr)")
        var bins = [UInt64](repeating: 0, count: 1856)
        for row in try Self.lines(s, "h_clat_hist.1.log") { for (i, c) in row.dropFirst(3).enumerated() { bins[i] += c } }
        let json = (try? String(contentsOfFile: s.file("r.json"), encoding: .utf8)).flatMap(jsonObject)
        let lat = ((json?["jobs"] as? [[String: Any]])?.first?["read"] as? [String: Any])?["lat_ns"] as? [String: Any]
        let reported = (lat?["percentiles"] as? [[String: Any]] ?? []).filter { [50.0, 90.0, 99.0].contains($0["percentile"] as? Double ?? -1) }
        #expect(reported.count == 3)
        for p in reported {
            let rank = UInt64(((p["percentile"] as! Double) / 100 * 1024).rounded(.up)), value = Double(p["value_ns"] as! Int)
            var seen: UInt64 = 0
            let idx = bins.firstIndex { seen += $0; return seen >= rank } ?? 0
            #expect(abs(Self.binValue(idx) - value) <= value / 32 + 2, "p\(p["percentile"]!): bins \(Self.binValue(idx)) vs \(value)")
        }
    }

    @Test func coarsenessHalvesTheColumnsPerStep() throws {
        let s = Scratch()
        let out = try run(s, Self.job("log_hist_coarseness=2"))
        #expect(out.status == 0, "\(out.stderr)")
        let rows = try Self.lines(s, "h_clat_hist.1.log")
        #expect(Set(rows.map(\.count)) == [3 + 464])
        #expect(rows.map { $0.dropFirst(3).reduce(0, +) }.reduce(0, +) == 1024)
    }

    /// fio's log of the same job: the same file name and columns; its bins count the I/Os of
    /// its full windows (fio drops the last partial one), so no more than tierbench's.
    @Test func fioWritesTheSameColumns() throws {
        guard let fio = fioPath else { try Test.cancel("fio is not installed: nothing to compare with") }
        for extra in ["", "log_hist_coarseness=3"] {
            let mine = Scratch(), theirs = Scratch()
            #expect(try run(mine, Self.job(extra)).status == 0)
            let f = try execute(fio, ["--output=/dev/null", theirs.write("job.fio", Self.job(extra))],
                                environment: ["TB_FILE": theirs.file("target.data")], cwd: theirs.path)
            #expect(f.status == 0, "\(f.stderr)")
            let a = try Self.lines(mine, "h_clat_hist.1.log"), b = try Self.lines(theirs, "h_clat_hist.1.log")
            #expect(Set(a.map(\.count)) == Set(b.map(\.count)), "\(extra)")
            #expect(Set(a.map { $0[1] }) == Set(b.map { $0[1] }) && Set(a.map { $0[2] }) == Set(b.map { $0[2] }))
            #expect(b.map { $0.dropFirst(3).reduce(0, +) }.reduce(0, +) <= 1024)
        }
    }

    @Test(arguments: [
        ("log_hist_msec=10\nlog_hist_coarseness=7", "log_hist_coarseness"),
        ("log_hist_msec=5", "log_hist_msec=10"),
        ("log_hist_msec=10\nlog_avg_msec=20\nwrite_bw_log", "same value"),
    ])
    func refusals(_ options: String, _ expected: String) throws {
        let s = Scratch()
        let text = Self.job().replacingOccurrences(of: "log_hist_msec=10\n", with: "") + options + "\n"
        let out = try run(s, text)
        #expect(out.status != 0)
        #expect(out.stderr.contains(expected), "\(out.stderr)")
        #expect(!FileManager.default.fileExists(atPath: s.file("h_clat_hist.1.log")))
    }

    @Test func histLogWithoutItsWindowIsRefused() throws {
        let s = Scratch()
        let out = try run(s, Self.job().replacingOccurrences(of: "log_hist_msec=10\n", with: ""))
        #expect(out.status != 0)
        #expect(out.stderr.contains("log_hist_msec=N"), "\(out.stderr)")
    }
}
