/// What one direction (read or write) of one job did: counts and the three latency measures.
/// Lives on the worker thread during the run; crosses threads as a value.
public struct DirectionCounters: Sendable {
    public var ios: UInt64 = 0
    public var bytes: UInt64 = 0
    /// I/Os the kernel completed with fewer bytes than asked; each was resubmitted for the rest.
    public var shortIOs: UInt64 = 0
    /// Submission latency: prepared -> accepted by the kernel (fio's slat).
    public var slat = LatencyStat()
    /// Completion latency: submitted -> completed (fio's clat).
    public var clat = LatencyStat()
    /// Total latency: prepared -> completed (fio's lat).
    public var lat = LatencyStat()

    public init() {}

    public mutating func reset() { self = DirectionCounters() }

    /// Accounts one finished I/O of `bytes` with its three timestamps.
    @inlinable
    public mutating func record(bytes: UInt64, prepared: UInt64, issued: UInt64, completed: UInt64) {
        ios &+= 1
        self.bytes &+= bytes
        slat.record(issued &- prepared)
        clat.record(completed &- issued)
        lat.record(completed &- prepared)
    }

    public mutating func add(_ other: DirectionCounters) {
        ios += other.ios; bytes += other.bytes; shortIOs += other.shortIOs
        slat.add(other.slat); clat.add(other.clat); lat.add(other.lat)
    }

    /// The summary over a measured span of `spanNanoseconds`, with interval statistics from
    /// `intervals` (this direction's per-interval rates).
    public func summary(spanNanoseconds: UInt64, percentiles: PercentileList, intervals: [IntervalDirection] = []) -> DirectionSummary {
        let seconds = Double(spanNanoseconds) / 1e9
        return DirectionSummary(
            ios: ios, bytes: bytes, shortIOs: shortIOs,
            iops: seconds > 0 ? Double(ios) / seconds : 0,
            bandwidthBytesPerSecond: seconds > 0 ? Double(bytes) / seconds : 0,
            slatNs: slat.report(percentiles), clatNs: clat.report(percentiles), latNs: lat.report(percentiles),
            iopsOverIntervals: RateSpread(intervals.map(\.iops)),
            bandwidthBytesPerSecondOverIntervals: RateSpread(intervals.map(\.bandwidthBytesPerSecond)))
    }
}

/// Per-direction results, as reported.
public struct DirectionSummary: Codable, Sendable, Equatable {
    public var ios: UInt64
    public var bytes: UInt64
    public var shortIOs: UInt64
    public var iops: Double
    public var bandwidthBytesPerSecond: Double
    public var slatNs: LatencyReport
    public var clatNs: LatencyReport
    public var latNs: LatencyReport
    /// min, max, mean and stddev of the per-interval IOPS (fio's iops_min ... iops_stddev).
    public var iopsOverIntervals: RateSpread
    /// The same for bandwidth (fio's bw_min ... bw_dev, here in bytes per second).
    public var bandwidthBytesPerSecondOverIntervals: RateSpread

    enum CodingKeys: String, CodingKey {
        case ios, bytes, iops, bandwidthBytesPerSecond, iopsOverIntervals, bandwidthBytesPerSecondOverIntervals
        case shortIOs = "shortIos"  // snake_case: "short_ios" (not "short_i_os"), and back
        case slatNs = "slatNs", clatNs = "clatNs", latNs = "latNs"
    }
}

/// The spread of a rate over the intervals of a run.
public struct RateSpread: Codable, Sendable, Equatable {
    public var min: Double
    public var max: Double
    public var mean: Double
    /// Sample standard deviation (n - 1), as fio's iops_stddev and bw_dev.
    public var stddev: Double
    public var samples: Int

    public init(_ values: [Double]) {
        samples = values.count
        min = values.min() ?? 0
        max = values.max() ?? 0
        mean = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
        let m = mean
        stddev = values.count > 1 ? (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)).squareRoot() : 0
    }
}
