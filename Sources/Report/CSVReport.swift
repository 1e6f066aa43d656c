import Harness
import Stats

/// The interval time series as CSV: one row per interval, job clone (or `all` for a job's clones
/// together) and direction (read, write, and sync: the fsync=N/fdatasync=N syncs completed in the
/// interval, 0 bytes, their duration as the latency), with a header. Times in ns, rates per second.
public enum CSVReport {
    public static let header = "job,clone,interval,start_ns,duration_ns,direction,ios,bytes,iops,bandwidth_bytes_per_second,lat_mean_ns,lat_p99_ns\n"

    public static func render(_ result: RunResult) -> String {
        var out = header
        for aggregate in result.aggregates {
            for job in result.jobs where job.jobIndex == aggregate.jobIndex { out += rows(job.name, "\(job.clone)", job.intervals) }
            if aggregate.clones > 1 { out += rows(aggregate.name, "all", aggregate.intervals) }
        }
        return out
    }

    static func rows(_ name: String, _ clone: String, _ intervals: [IntervalSample]) -> String {
        var out = ""
        for s in intervals {
            for (dir, d) in [("read", s.read), ("write", s.write), ("sync", s.sync)] {
                guard let d else { continue }
                out += [field(name), clone, "\(s.index)", "\(s.startNs)", "\(s.durationNs)", dir, "\(d.ios)", "\(d.bytes)",
                        number(d.iops), number(d.bandwidthBytesPerSecond), number(d.latMeanNs), "\(d.latP99Ns)"].joined(separator: ",") + "\n"
            }
        }
        return out
    }

    /// RFC 4180: a field holding a comma, quote or line break is quoted, its quotes doubled. By
    /// Unicode scalar, not by Character: `"\r\n"` is one Character, equal to neither `"\r"` nor
    /// `"\n"`, and a quote followed by a combining mark (`"\u{301}`) is one Character that is not
    /// a quote, yet a CSV reader sees the quote.
    static func field(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        var quoted = String.UnicodeScalarView()
        quoted.append("\"")
        for scalar in s.unicodeScalars {
            if scalar == "\"" { quoted.append(scalar) }
            quoted.append(scalar)
        }
        quoted.append("\"")
        return String(quoted)
    }

    static func number(_ v: Double) -> String { HumanReport.fixed(v, 3) }
}
