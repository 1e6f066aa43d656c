import Text

/// One latency measure (submission, completion or total) of one direction: exact count, sum and
/// sum of squares for mean and standard deviation, and the histogram for percentiles.
public struct LatencyStat: Sendable {
    public var histogram = LatencyHistogram()
    public var sum: UInt64 = 0
    public var sumOfSquares: Double = 0
    /// Exact extremes (the histogram's are rounded to its buckets).
    public var minimum: UInt64 = .max
    public var maximum: UInt64 = 0

    public init() {}

    @inlinable
    public mutating func record(_ nanoseconds: UInt64) {
        histogram.record(nanoseconds)
        sum &+= nanoseconds
        let v = Double(nanoseconds)
        sumOfSquares += v * v
        if nanoseconds < minimum { minimum = nanoseconds }
        if nanoseconds > maximum { maximum = nanoseconds }
    }

    public mutating func add(_ other: LatencyStat) {
        histogram.add(other.histogram)
        sum &+= other.sum
        sumOfSquares += other.sumOfSquares
        minimum = Swift.min(minimum, other.minimum)
        maximum = Swift.max(maximum, other.maximum)
    }

    public mutating func reset() { self = LatencyStat() }

    /// A stat rebuilt from a report written elsewhere (another volume, another machine), so that
    /// reports merge exactly: the histogram from its `bins`, count, mean, deviation and extremes
    /// from its exact values. Nil when the report has no bins.
    public init?(report: LatencyReport) {
        guard let bins = report.bins else { return nil }
        for bin in bins where bin.count == 2 { histogram.record(bin[0], count: bin[1]) }
        let n = Double(report.count)
        sum = UInt64((report.mean * n).rounded())
        sumOfSquares = n > 1 ? report.stddev * report.stddev * (n - 1) + Double(sum) * Double(sum) / n : Double(sum) * Double(sum)
        minimum = report.count == 0 ? .max : report.min
        maximum = report.max
    }

    public var count: UInt64 { histogram.count }
    public var mean: Double { count == 0 ? 0 : Double(sum) / Double(count) }
    /// Sample standard deviation (n - 1), as fio reports it.
    public var stddev: Double {
        let n = Double(count)
        guard n > 1 else { return 0 }
        let variance = (sumOfSquares - Double(sum) * Double(sum) / n) / (n - 1)
        return variance > 0 ? variance.squareRoot() : 0
    }

    /// The histogram's value at `percentile`, kept within the exact min and max.
    public func value(atPercentile percentile: Double) -> UInt64 {
        count == 0 ? 0 : Swift.min(Swift.max(histogram.value(atPercentile: percentile), minimum), maximum)
    }

    public func report(_ percentiles: PercentileList, bins: Bool = true) -> LatencyReport {
        LatencyReport(
            count: count, min: count == 0 ? 0 : minimum, max: maximum, mean: mean, stddev: stddev,
            percentiles: percentiles.values.map { PercentileValue(percentile: $0, nanoseconds: value(atPercentile: $0)) },
            bins: bins ? histogram.bins.map { [$0.nanoseconds, $0.count] } : nil)
    }
}

/// A latency measure as reported, in nanoseconds.
public struct LatencyReport: Codable, Sendable, Equatable {
    public var count: UInt64
    public var min: UInt64
    public var max: UInt64
    public var mean: Double
    public var stddev: Double
    public var percentiles: [PercentileValue]
    /// The histogram: `[bucket midpoint ns, count]` per non-empty bucket (merge by adding counts).
    public var bins: [[UInt64]]?

    /// The reported value at `percentile`, if it was in the list.
    public func value(at percentile: Double) -> UInt64? {
        percentiles.first { $0.percentile == percentile }?.nanoseconds
    }
}

public struct PercentileValue: Codable, Sendable, Equatable {
    public var percentile: Double
    public var nanoseconds: UInt64
    enum CodingKeys: String, CodingKey {
        case percentile
        case nanoseconds = "valueNs"
    }
}

/// The percentiles to report: fio's default list unless the user gives one.
public struct PercentileList: Sendable, Equatable, Codable {
    public static let fioDefault = PercentileList(unchecked: [1, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 99, 99.5, 99.9, 99.95, 99.99])
    public let values: [Double]

    init(unchecked values: [Double]) { self.values = values }

    /// Parses `50,99,99.9` (also `:` separated, as fio's `percentile_list`): each in (0, 100],
    /// sorted, duplicates dropped. Throws a one-line message naming the bad entry.
    public init(parsing text: String, option: String = "--percentiles") throws(PercentileListError) {
        var list: [Double] = []
        for part in text.split(whereSeparator: { $0 == "," || $0 == ":" }) {
            let s = part.trimmingBlanks
            guard let v = Double(s), v.isFinite, v > 0, v <= 100 else {
                throw PercentileListError(message: "\(option) \(text): '\(s)' is not a percentile; give numbers above 0 and at most 100, e.g. 50,99,99.9")
            }
            list.append(v)
        }
        guard !list.isEmpty else {
            throw PercentileListError(message: "\(option) is empty; give numbers above 0 and at most 100, e.g. 50,99,99.9")
        }
        values = Array(Set(list)).sorted()
    }
}

public struct PercentileListError: Error, Sendable { public let message: String }

