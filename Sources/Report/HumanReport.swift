import Harness
import Stats
import Workload

/// The human table: one row per job clone and direction, units in the header.
public enum HumanReport {
    public static func render(_ result: RunResult) -> String {
        var out = ""
        let t = result.target
        out += "target: \(t.path) (\(t.kind == .blockDevice ? "block device" : "file"), \(Units.formatSize(t.sizeBytes))"
        out += t.directIOAlignmentBytes > 1 ? ", direct-I/O alignment \(t.directIOAlignmentBytes) B)" : ")"
        out += t.scratch ? ", temporary\n" : "\n"
        if let l = result.layout {
            out += "layout: wrote \(Units.formatSize(l.bytes)) in \(fixed(Double(l.nanoseconds) / 1e9, 2)) s (\(fixed(l.bandwidthBytesPerSecond / 1_048_576, 1)) MiB/s), not part of the results\n"
        }
        let header = ["job", "dir", "bs", "qd", "engine", "runtime s", "IOPS", "MiB/s", "lat min us", "mean us", "p50 us", "p99 us", "p99.9 us", "max us", "I/Os"]
        var rows: [[String]] = []
        for job in result.jobs {
            let p = job.parameters
            let name = p.numjobs > 1 ? "\(job.name).\(job.clone)" : job.name
            for (dir, s) in [("read", job.read), ("write", job.write)] {
                guard let s else { continue }
                let l = s.latencyNanoseconds
                rows.append([
                    name, dir, Units.formatSize(p.blockSizeBytes), "\(job.engine.name == "psync" ? 1 : p.iodepth)",
                    job.engine.name, fixed(Double(job.runtimeNanoseconds) / 1e9, 2), fixed(s.iops, 0),
                    fixed(s.bandwidthBytesPerSecond / 1_048_576, 1), micro(l.min), micro(l.mean), micro(l.p50),
                    micro(l.p99), micro(l.p99_9), micro(l.max), "\(s.ios)",
                ])
            }
        }
        out += table(header: header, rows: rows)
        for job in result.jobs {
            if let e = job.firstError {
                let counts = job.errors.sorted { $0.key < $1.key }.map { "\($0.key) x\($0.value)" }.joined(separator: ", ")
                out += "\(job.name): \(counts.isEmpty ? "" : counts + "; ")first error: \(e)\n"
            }
            let short = (job.read?.shortIOs ?? 0) + (job.write?.shortIOs ?? 0)
            if short > 0 { out += "\(job.name): \(short) short I/Os, each completed by resubmitting the rest\n" }
        }
        if result.interrupted { out += "interrupted: the figures cover the time measured before the signal\n" }
        return out
    }

    static func table(header: [String], rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                let pad = String(repeating: " ", count: widths[i] - c.count)
                return i < 2 || i == 4 ? c + pad : pad + c  // text left, numbers right
            }.joined(separator: "  ") + "\n"
        }
        return line(header) + rows.map(line).joined()
    }

    static func micro(_ ns: UInt64) -> String { micro(Double(ns)) }
    static func micro(_ ns: Double) -> String {
        let us = ns / 1000
        return us >= 100 ? fixed(us, 0) : us >= 10 ? fixed(us, 1) : fixed(us, 2)
    }

    static func fixed(_ v: Double, _ digits: Int) -> String {
        guard v.isFinite else { return "-" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let rounded = (v * scale).rounded() / scale
        var s = "\(Int64(rounded.rounded(.towardZero)))"
        if digits > 0 {
            let frac = Int64(((abs(rounded) - abs(rounded.rounded(.towardZero))) * scale).rounded())
            let f = String(frac)
            s += "." + String(repeating: "0", count: max(0, digits - f.count)) + f
        }
        return s
    }
}
