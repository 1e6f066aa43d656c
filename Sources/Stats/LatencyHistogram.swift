import Histogram

/// Latencies in nanoseconds, 1 ns to 1 hour, with at most 1/128 (0.78%) relative error
/// (HdrHistogram at two significant digits, the same resolution as fio's buckets).
/// Merge by `add`, never by averaging percentiles.
public struct LatencyHistogram: Sendable, Codable {
    public static let highestTrackableNanoseconds: UInt64 = 3_600_000_000_000
    @usableFromInline var histogram: Histogram<UInt64>

    public init() {
        histogram = Histogram<UInt64>(
            lowestDiscernibleValue: 1, highestTrackableValue: Self.highestTrackableNanoseconds,
            numberOfSignificantValueDigits: .two)
    }

    /// Records one latency; values beyond one hour are recorded as one hour.
    @inlinable
    public mutating func record(_ nanoseconds: UInt64) {
        histogram.record(Swift.min(Swift.max(nanoseconds, 1), Self.highestTrackableNanoseconds))
    }

    public mutating func add(_ other: LatencyHistogram) { histogram.add(other.histogram) }
    public mutating func reset() { histogram.reset() }

    public var count: UInt64 { histogram.totalCount }
    public var min: UInt64 { count == 0 ? 0 : histogram.min }
    public var max: UInt64 { count == 0 ? 0 : histogram.max }
    public var mean: Double { count == 0 ? 0 : histogram.mean }
    public var stddev: Double { count == 0 ? 0 : histogram.stdDeviation }

    /// The value at `percentile` (0...100), or 0 for an empty histogram.
    public func value(atPercentile percentile: Double) -> UInt64 {
        count == 0 ? 0 : histogram.valueAtPercentile(percentile)
    }
}
