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

    /// Records `count` latencies of `nanoseconds` (rebuilding a histogram from its bins).
    public mutating func record(_ nanoseconds: UInt64, count: UInt64) {
        guard count > 0 else { return }
        histogram.record(Swift.min(Swift.max(nanoseconds, 1), Self.highestTrackableNanoseconds), count: count)
    }

    public mutating func add(_ other: LatencyHistogram) { histogram.add(other.histogram) }
    public mutating func reset() { histogram.reset() }

    public var count: UInt64 { histogram.totalCount }
    public var min: UInt64 { count == 0 ? 0 : histogram.min }
    public var max: UInt64 { count == 0 ? 0 : histogram.max }
    /// The mean of the bucket midpoints (`LatencyStat` keeps the exact mean).
    public var mean: Double { count == 0 ? 0 : histogram.mean }

    /// The value at `percentile` (0...100): the midpoint of the bucket holding that rank, clamped
    /// to the recorded min and max (fio reports bucket midpoints too); 0 for an empty histogram.
    public func value(atPercentile percentile: Double) -> UInt64 {
        guard count > 0 else { return 0 }
        let v = histogram.valueAtPercentile(percentile)
        return Swift.min(Swift.max(histogram.medianEquivalentForValue(v), min), max)
    }

    /// Every non-empty bucket as (midpoint in ns, count), ascending: enough to rebuild the
    /// histogram (`record(_:count:)`) and merge it with others, and what fio's json+ `bins` hold.
    public var bins: [(nanoseconds: UInt64, count: UInt64)] {
        histogram.recordedValues().map { (histogram.medianEquivalentForValue($0.value), $0.count) }
    }
}
