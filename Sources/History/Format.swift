import Foundation

/// Numbers, percentages, p-values, dates and metric values as the reports write them.
enum Format {
    static func number(_ v: Double, digits: Int = 3) -> String {
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
        var s = String(format: "%.\(digits)g", v)
        if s.contains("e") { s = String(format: "%.\(digits)f", v) }
        return s
    }

    static func percent(_ fraction: Double) -> String { number(fraction * 100, digits: 3) + "%" }

    static func signedPercent(_ fraction: Double) -> String {
        String(format: "%+.1f%%", fraction * 100)
    }

    static func p(_ p: Double) -> String {
        if p < 1e-6 { return "< 1e-6" }
        return p < 0.001 ? String(format: "%.1e", p) : String(format: "%.3f", p)
    }

    static func date(_ epoch: Double) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: Date(timeIntervalSince1970: epoch))
    }

    /// A metric's value in its unit: IOPS, bytes per second, nanoseconds.
    static func value(_ v: Double, _ metric: String) -> String {
        if metric.hasSuffix("_ns") {
            if v >= 1e9 { return String(format: "%.2f s", v / 1e9) }
            if v >= 1e6 { return String(format: "%.2f ms", v / 1e6) }
            if v >= 1e3 { return String(format: "%.1f us", v / 1e3) }
            return String(format: "%.0f ns", v)
        }
        if metric.hasPrefix("bw") {
            if v >= 1_073_741_824 { return String(format: "%.2f GiB/s", v / 1_073_741_824) }
            if v >= 1_048_576 { return String(format: "%.1f MiB/s", v / 1_048_576) }
            return String(format: "%.1f KiB/s", v / 1024)
        }
        if v >= 100 { return grouped(v.rounded()) }
        return String(format: "%.2f", v)
    }

    static func grouped(_ v: Double) -> String {
        let digits = String(Int64(abs(v)))
        var out = ""
        for (i, c) in digits.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (v < 0 ? "-" : "") + String(out.reversed())
    }
}
