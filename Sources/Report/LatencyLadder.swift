import Stats

/// Latency percentiles at a fixed ladder (p50 ... p99.99), whatever `--percentiles` listed: from
/// the histogram's bins when the result has them (every tierbench result does), else from the
/// reported percentiles that are on the ladder.
public enum LatencyLadder {
    public static let percentiles: [Double] = [50, 90, 99, 99.9, 99.99]

    /// (percentile 0-100, nanoseconds) for each ladder step that can be told.
    public static func values(_ report: LatencyReport, at percentiles: [Double] = percentiles) -> [(percentile: Double, nanoseconds: UInt64)] {
        guard report.count > 0 else { return [] }
        if let bins = report.bins, !bins.isEmpty {
            var h = LatencyHistogram()
            for b in bins where b.count == 2 { h.record(b[0], count: b[1]) }
            return percentiles.map { p in (p, min(max(h.value(atPercentile: p), report.min), report.max)) }
        }
        return percentiles.compactMap { p in report.value(at: p).map { (p, $0) } }
    }
}
