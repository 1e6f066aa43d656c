/// What one direction (read or write) of one job did: counts and the latency histogram.
/// Lives on the worker thread during the run; crosses threads once, as a value, at the end.
public struct DirectionCounters: Sendable {
    public var ios: UInt64 = 0
    public var bytes: UInt64 = 0
    /// I/Os the kernel completed with fewer bytes than asked; each was resubmitted for the rest.
    public var shortIOs: UInt64 = 0
    public var latency = LatencyHistogram()

    public init() {}

    public mutating func reset() {
        ios = 0; bytes = 0; shortIOs = 0
        latency.reset()
    }

    public mutating func add(_ other: DirectionCounters) {
        ios += other.ios; bytes += other.bytes; shortIOs += other.shortIOs
        latency.add(other.latency)
    }

    /// The summary over a measured span of `spanNanoseconds`.
    public func summary(spanNanoseconds: UInt64) -> DirectionSummary {
        let seconds = Double(spanNanoseconds) / 1e9
        return DirectionSummary(
            ios: ios, bytes: bytes, shortIOs: shortIOs,
            iops: seconds > 0 ? Double(ios) / seconds : 0,
            bandwidthBytesPerSecond: seconds > 0 ? Double(bytes) / seconds : 0,
            latencyNanoseconds: LatencySummary(latency))
    }
}

/// Per-direction results, as reported.
public struct DirectionSummary: Codable, Sendable, Equatable {
    public var ios: UInt64
    public var bytes: UInt64
    public var shortIOs: UInt64
    public var iops: Double
    public var bandwidthBytesPerSecond: Double
    public var latencyNanoseconds: LatencySummary

    enum CodingKeys: String, CodingKey {
        case ios, bytes, iops, bandwidthBytesPerSecond, latencyNanoseconds
        case shortIOs = "short_ios"  // not "short_i_os", which the snake_case conversion would make
    }
}

/// Total latency (submission to completion) in nanoseconds.
public struct LatencySummary: Codable, Sendable, Equatable {
    public var count: UInt64
    public var min: UInt64
    public var mean: Double
    public var p50: UInt64
    public var p99: UInt64
    public var p99_9: UInt64
    public var max: UInt64

    public init(_ h: LatencyHistogram) {
        count = h.count; min = h.min; mean = h.mean
        p50 = h.value(atPercentile: 50); p99 = h.value(atPercentile: 99)
        p99_9 = h.value(atPercentile: 99.9); max = h.max
    }
}
