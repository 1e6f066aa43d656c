import Foundation
import Glibc
import Testing
import TestSupport

/// Over a long run, memory, file descriptors and threads stay flat: the real binary runs a 23 s
/// time-based mixed job with the features that hold state while a run goes (two clones, each with
/// its ring, buffers and interval series; 250 ms intervals merged across clones; JSON Lines
/// streamed to a file; the progress line; CSV at the end; read digests), and /proc/PID is sampled
/// when the progress line shows 4 s and 19 s into the run.
///
/// What may grow in between is the interval series: 152-byte `IntervalSample`s for each of the two
/// clones and for the clones merged, 60 more of each in 15 s; arrays grow by doubling, so from
/// about 20 (capacity 32) to about 80 (capacity 128): 3 x 96 x 152 B = 43 KiB. The bound is
/// 1 MiB: one byte per I/O at the ~100k IOPS this job gets on a virtio disk is 1.5 MB in those
/// 15 s, a latency histogram (35 KB) kept per interval, clone and direction is 8 MB, a 2 MiB
/// buffer per interval is 120 MiB. (A leak of one JSON Lines record per interval, ~1.5 KB, is 90 KB:
/// below this bound.)
@Suite struct LeakTests {
    static let rssGrowthLimitKiB = 1024

    /// Blocks this thread (not `await`: with 2 CPUs the test pool has 2 threads, and other suites
    /// hold them for minutes in synchronous waits on processes, so an awaiting test could resume
    /// after tierbench's run had ended) until the progress line in `errPath` shows the run
    /// `seconds` in, or tierbench has ended.
    static func wait(_ p: Process, errPath: String, runFor seconds: Int) {
        let moment = Moment.running("randrw", for: seconds)
        _ = waitUntil(timeout: 60) { !p.isRunning || moment.seen(Self.read(errPath)) }
    }
    static let vmSizeGrowthLimitKiB = 64 * 1024

    // No `.timeLimit`: Swift Testing counts it from when the test is scheduled, and with two
    // threads in the pool a synchronous test can wait minutes for one (the suite has 450 tests).
    // Every wait below is bounded (60 s, 60 s, 25 s).
    @Test func memoryFileDescriptorsAndThreadsStayFlatOverALongRun() throws {
        let s = Scratch()
        let target = s.file("target.dat"), lines = s.file("run.jsonl"), csv = s.file("run.csv")
        let outPath = s.file("stdout"), errPath = s.file("stderr")
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let out = FileHandle(forWritingAtPath: outPath), err = FileHandle(forWritingAtPath: errPath)
        defer { try? out?.close(); try? err?.close() }

        let p = Process()
        p.executableURL = URL(fileURLWithPath: tierbenchPath)
        p.arguments = [
            "run", "--target", target, "--rw", "randrw", "--size", "64m", "--bs", "4k", "--iodepth", "16", "--numjobs", "2",
            "--runtime", "23s", "--time-based", "--status-interval", "250ms", "--output-format", "json,csv",
            "--output", lines, "--output", csv, "--progress", "always", "--checksum-reads", "--percentiles", "50,99,99.9",
        ]
        p.currentDirectoryURL = URL(fileURLWithPath: s.path)
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let pid = p.processIdentifier
        defer { if p.isRunning { kill(pid, SIGKILL) } }

        Self.wait(p, errPath: errPath, runFor: 4)
        let early = try #require(ProcSample(pid: pid), "tierbench ended before 4 s into the run: \(Self.read(errPath))")
        Self.wait(p, errPath: errPath, runFor: 19)
        let late = try #require(ProcSample(pid: pid), "tierbench ended before 19 s into the run: \(Self.read(errPath))")
        _ = waitUntil(timeout: 25) { !p.isRunning }
        #expect(!p.isRunning, "still running 25 s after the 19 s sample")

        print("leak: at  4 s: \(early)")
        print("leak: at 19 s: \(late)")
        print("leak: open files at 4 s: \(early.fdTargets.joined(separator: " "))")
        #expect(p.terminationStatus == 0, "\(Self.read(errPath).suffix(600))")

        // The outputs: JSON Lines (interval records in order, then the result) and the CSV series.
        let records = try Self.read(lines).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let intervals = records.filter { $0["type"] as? String == "interval" }
        #expect(records.last?["type"] as? String == "result" && records.last?["schema"] as? String == "tierbench/1")
        #expect((90...94).contains(intervals.count), "\(intervals.count) interval records for 23 s at 250 ms")
        #expect(intervals.enumerated().allSatisfy { i, r in (r["index"] as? Int) == i })
        let rows = Self.read(csv).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows.first?.joined(separator: ",") == "job,clone,interval,start_ns,duration_ns,direction,ios,bytes,iops,bandwidth_bytes_per_second,lat_mean_ns,lat_p99_ns")
        #expect(rows.dropFirst().allSatisfy { $0.count == 12 })
        #expect(rows.count - 1 == intervals.count * 3 * 2, "CSV rows: each interval x (2 clones + all) x 2 directions")

        // I/Os done between the samples (both clones), from the merged series' mean rate.
        let all = rows.dropFirst().filter { $0[1] == "all" }
        let ios = all.compactMap { Double($0[6]) }.reduce(0, +)
        let seconds = all.filter { $0[5] == "read" }.compactMap { Double($0[4]) }.reduce(0, +) / 1e9
        let iosBetween = seconds > 0 ? ios / seconds * 15 : 0
        let growthBytes = (late.rssKiB - early.rssKiB) * 1024
        print("leak: \(Int(iosBetween)) I/Os between the samples (\(Int(ios / max(seconds, 1))) IOPS); RSS \(growthBytes >= 0 ? "+" : "")\(growthBytes) bytes (\(String(format: "%.4f", Double(growthBytes) / max(iosBetween, 1))) per I/O), expected about +44 KiB of interval series, limit \(Self.rssGrowthLimitKiB) KiB")

        #expect(late.rssKiB - early.rssKiB <= Self.rssGrowthLimitKiB, "RSS grew from \(early.rssKiB) to \(late.rssKiB) KiB")
        #expect(late.vmSizeKiB - early.vmSizeKiB <= Self.vmSizeGrowthLimitKiB, "VmSize grew from \(early.vmSizeKiB) to \(late.vmSizeKiB) KiB")
        #expect(late.threads == early.threads, "threads: \(early.threads) -> \(late.threads)")
        #expect(late.fdTargets == early.fdTargets, "file descriptors: \(early.fdTargets) -> \(late.fdTargets)")
    }

    static func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
}

/// Memory, threads and open files of a process, from /proc.
struct ProcSample: CustomStringConvertible {
    var rssKiB: Int
    var vmSizeKiB: Int
    var threads: Int
    /// What each open descriptor points at (fd -> target), sorted by fd.
    var fdTargets: [String]

    /// Nil when the process is gone (or a zombie: no VmRSS any more).
    init?(pid: Int32) {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        // "VmRSS:\t   25344 kB"
        func field(_ name: String) -> Int? {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return nil }
            return line.dropFirst(name.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap { Int($0) }
        }
        guard let rss = field("VmRSS"), let vm = field("VmSize"), let threads = field("Threads") else { return nil }
        let fds = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []).compactMap(Int.init).sorted()
        rssKiB = rss; vmSizeKiB = vm; self.threads = threads
        fdTargets = fds.map { fd in
            "\(fd)->\((try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(fd)")) ?? "?")"
        }
    }

    var description: String { "VmRSS \(rssKiB) KiB, VmSize \(vmSizeKiB) KiB, Threads \(threads), fds \(fdTargets.count)" }
}
