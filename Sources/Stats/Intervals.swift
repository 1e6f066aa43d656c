/// One direction's counts within one interval, with the interval's own total-latency measure.
public struct IntervalCounters: Sendable {
    public var ios: UInt64 = 0
    public var bytes: UInt64 = 0
    public var lat = LatencyStat()
    public init() {}

    public mutating func add(_ other: IntervalCounters) {
        ios += other.ios; bytes += other.bytes; lat.add(other.lat)
    }

    public func sample(durationNanoseconds: UInt64) -> IntervalDirection {
        let seconds = Double(durationNanoseconds) / 1e9
        return IntervalDirection(
            ios: ios, bytes: bytes,
            iops: seconds > 0 ? Double(ios) / seconds : 0,
            bandwidthBytesPerSecond: seconds > 0 ? Double(bytes) / seconds : 0,
            latMeanNs: lat.mean, latP99Ns: lat.value(atPercentile: 99))
    }
}

/// One direction within one interval, as reported.
public struct IntervalDirection: Codable, Sendable, Equatable {
    public var ios: UInt64
    public var bytes: UInt64
    public var iops: Double
    public var bandwidthBytesPerSecond: Double
    /// Mean and 99th percentile of the total latency of the I/Os completed in the interval.
    public var latMeanNs: Double
    public var latP99Ns: UInt64

    public init(ios: UInt64, bytes: UInt64, iops: Double, bandwidthBytesPerSecond: Double, latMeanNs: Double, latP99Ns: UInt64) {
        self.ios = ios; self.bytes = bytes; self.iops = iops
        self.bandwidthBytesPerSecond = bandwidthBytesPerSecond; self.latMeanNs = latMeanNs; self.latP99Ns = latP99Ns
    }

    enum CodingKeys: String, CodingKey {
        case ios, bytes, iops, bandwidthBytesPerSecond
        case latMeanNs = "latMeanNs", latP99Ns = "latP99Ns"
    }
}

/// One interval of one job clone (or of a job's clones together): an I/O belongs to the
/// interval in which it completed.
public struct IntervalSample: Codable, Sendable, Equatable {
    /// The clone, in a `--status-interval` record's `per_clone` list (absent elsewhere).
    public var clone: Int?
    /// 0-based position in the run's interval series.
    public var index: Int
    /// Start, from the start of the measured span.
    public var startNs: UInt64
    /// The interval's length: the nominal `--interval`, shorter for the last one.
    public var durationNs: UInt64
    public var read: IntervalDirection?
    public var write: IntervalDirection?

    public init(index: Int, startNs: UInt64, durationNs: UInt64, read: IntervalDirection?, write: IntervalDirection?) {
        self.index = index; self.startNs = startNs; self.durationNs = durationNs; self.read = read; self.write = write
    }

    enum CodingKeys: String, CodingKey {
        case clone, index, read, write
        case startNs = "startNs", durationNs = "durationNs"
    }
}

/// An interval as a worker hands it over: the counts with their histograms, so that clones'
/// intervals merge exactly (percentiles are never averaged).
public struct IntervalRecord: Sendable {
    public var index: Int
    public var startNs: UInt64
    public var durationNs: UInt64
    public var read: IntervalCounters
    public var write: IntervalCounters
    public init(index: Int, startNs: UInt64, durationNs: UInt64, read: IntervalCounters, write: IntervalCounters) {
        self.index = index; self.startNs = startNs; self.durationNs = durationNs; self.read = read; self.write = write
    }

    public func sample(reads: Bool, writes: Bool) -> IntervalSample {
        IntervalSample(index: index, startNs: startNs, durationNs: durationNs,
                       read: reads ? read.sample(durationNanoseconds: durationNs) : nil,
                       write: writes ? write.sample(durationNanoseconds: durationNs) : nil)
    }
}
