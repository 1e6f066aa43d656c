import Foundation

/// Metric names in the history (units in the names, as in tierbench's JSON), which way is
/// better, and which form series.
public enum MetricNames {
    public static let iops = "iops"
    public static let bandwidth = "bw_bytes_per_second"
    public static let latMean = "lat_mean_ns"
    public static let latP99 = "lat_p99_ns"

    /// Percentiles that form series (those a run reported): the median and the tail.
    public static let seriesPercentiles: [Double] = [50, 90, 95, 99, 99.9, 99.99]

    /// `lat_p99.9_ns` for measure "lat" and percentile 99.9.
    public static func percentile(_ measure: String, _ p: Double) -> String { "\(measure)_p\(format(p))_ns" }

    static func format(_ p: Double) -> String {
        p == p.rounded() ? String(Int(p)) : String(p)
    }

    /// The metrics that form series: IOPS, bandwidth, latency mean and percentiles (total
    /// latency, and completion latency for fio results that have only that).
    public static func isSeriesMetric(_ name: String) -> Bool {
        if name == iops || name == bandwidth || name == latMean || name == "clat_mean_ns" { return true }
        for measure in ["lat", "clat"] {
            for p in seriesPercentiles where name == percentile(measure, p) { return true }
        }
        return false
    }

    /// Higher is better for rates, lower for latencies.
    public static func higherIsBetter(_ name: String) -> Bool {
        !(name.hasSuffix("_ns"))
    }

    /// The percentile of a latency percentile metric (`lat_p99.9_ns` -> 99.9), else nil.
    public static func percentileOf(_ name: String) -> Double? {
        guard name.hasSuffix("_ns"), let r = name.range(of: "_p") else { return nil }
        return Double(name[r.upperBound..<name.index(name.endIndex, offsetBy: -3)])
    }

    /// p99 and above: the tail, which gets the larger minimum change.
    public static func isTail(_ name: String) -> Bool { (percentileOf(name) ?? 0) >= 99 }
}
