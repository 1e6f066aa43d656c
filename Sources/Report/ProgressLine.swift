import Harness

/// The one-line progress shown on a terminal: job, phase, percent done, elapsed and ETA,
/// current IOPS and MiB/s per direction.
public enum ProgressLine {
    public static func render(_ p: Progress) -> String {
        var parts: [String] = []
        if p.phase == .layout {
            parts.append("layout")
        } else {
            let position = p.jobCount > 1 ? "[\(p.jobIndex + 1)/\(p.jobCount)] " : ""
            parts.append("\(position)\(p.job) \(p.phase.rawValue)")
        }
        if let f = p.fraction { parts.append("\(HumanReport.fixed(f * 100, 0))%") }
        parts.append("\(clock(p.elapsedNs)) elapsed" + (p.etaNs.map { ", ETA \(clock($0))" } ?? ""))
        if p.reads { parts.append("read \(count(p.readIOPS)) IOPS \(HumanReport.fixed(p.readBytesPerSecond / 1_048_576, 1)) MiB/s") }
        if p.writes {
            parts.append(p.phase == .layout
                ? "write \(HumanReport.fixed(p.writeBytesPerSecond / 1_048_576, 1)) MiB/s"
                : "write \(count(p.writeIOPS)) IOPS \(HumanReport.fixed(p.writeBytesPerSecond / 1_048_576, 1)) MiB/s")
        }
        return parts.joined(separator: "  ")
    }

    /// 75 s -> "1:15", 3725 s -> "1:02:05".
    static func clock(_ ns: UInt64) -> String {
        let s = ns / 1_000_000_000
        let two = { (v: UInt64) in v < 10 ? "0\(v)" : "\(v)" }
        return s >= 3600 ? "\(s / 3600):\(two(s / 60 % 60)):\(two(s % 60))" : "\(s / 60):\(two(s % 60))"
    }

    /// 12345 -> "12.3k".
    static func count(_ v: Double) -> String {
        v >= 1_000_000 ? HumanReport.fixed(v / 1_000_000, 2) + "M" : v >= 10_000 ? HumanReport.fixed(v / 1000, 1) + "k" : HumanReport.fixed(v, 0)
    }
}
