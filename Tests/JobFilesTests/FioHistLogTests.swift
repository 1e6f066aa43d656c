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
