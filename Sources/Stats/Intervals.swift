/// One direction's counts within one interval, with the interval's own total-latency measure.
public struct IntervalCounters: Sendable {
    public var ios: UInt64 = 0
    public var bytes: UInt64 = 0
    public var lat = LatencyStat()
    /// Sums of the completion (issued to completed) and submission (prepared to issued)
    /// latencies, for their means (fio's clat and slat logs).
    public var clatSumNs: UInt64 = 0
    public var slatSumNs: UInt64 = 0
    public init() {}

    /// One completed I/O: its bytes and its three times.
    @inlinable
    public mutating func record(bytes: UInt64, prepared: UInt64, issued: UInt64, completed: UInt64) {
        ios &+= 1; self.bytes &+= bytes
        lat.record(completed &- prepared)
        clatSumNs &+= completed &- issued
        slatSumNs &+= issued &- prepared
    }

    public mutating func add(_ other: IntervalCounters) {
        ios += other.ios; bytes += other.bytes; lat.add(other.lat)
        clatSumNs &+= other.clatSumNs; slatSumNs &+= other.slatSumNs
    }

    public func sample(durationNanoseconds: UInt64) -> IntervalDirection {
        let seconds = Double(durationNanoseconds) / 1e9
        return IntervalDirection(
            ios: ios, bytes: bytes,
            iops: seconds > 0 ? Double(ios) / seconds : 0,
            bandwidthBytesPerSecond: seconds > 0 ? Double(bytes) / seconds : 0,
            latMeanNs: lat.mean, latP99Ns: lat.value(atPercentile: 99),
            clatMeanNs: ios > 0 ? Double(clatSumNs) / Double(ios) : 0,
            slatMeanNs: ios > 0 ? Double(slatSumNs) / Double(ios) : 0)
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
    /// Mean completion latency (submitted to completed) and submission latency (prepared to
    /// submitted) of those I/Os, ns (fio's clat and slat logs); absent in documents from before.
    public var clatMeanNs: Double?
    public var slatMeanNs: Double?
    /// The interval's latencies in fio's bins as (bin, count) pairs (`FioLatencyBins.sparse`),
    /// kept only for a job that writes fio's histogram log; not part of the JSON document.
    public var fioBins: [[UInt64]] = []

    public init(ios: UInt64, bytes: UInt64, iops: Double, bandwidthBytesPerSecond: Double, latMeanNs: Double, latP99Ns: UInt64,
                clatMeanNs: Double? = nil, slatMeanNs: Double? = nil) {
        self.ios = ios; self.bytes = bytes; self.iops = iops
        self.bandwidthBytesPerSecond = bandwidthBytesPerSecond; self.latMeanNs = latMeanNs; self.latP99Ns = latP99Ns
        self.clatMeanNs = clatMeanNs; self.slatMeanNs = slatMeanNs
    }

    enum CodingKeys: String, CodingKey {
        case ios, bytes, iops, bandwidthBytesPerSecond
        case latMeanNs = "latMeanNs", latP99Ns = "latP99Ns", clatMeanNs = "clatMeanNs", slatMeanNs = "slatMeanNs"
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
    /// The syncs (fio's fsync=N, fdatasync=N) completed in the interval, no bytes, their
    /// duration as the latency; absent when none completed in it.
    public var sync: IntervalDirection?

    public init(index: Int, startNs: UInt64, durationNs: UInt64, read: IntervalDirection?, write: IntervalDirection?) {
        self.index = index; self.startNs = startNs; self.durationNs = durationNs; self.read = read; self.write = write
    }

    enum CodingKeys: String, CodingKey {
        case clone, index, read, write, sync
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
    /// The syncs completed in the interval (no bytes; latency submitted -> completed).
    public var sync = IntervalCounters()
    public init(index: Int, startNs: UInt64, durationNs: UInt64, read: IntervalCounters, write: IntervalCounters) {
        self.index = index; self.startNs = startNs; self.durationNs = durationNs; self.read = read; self.write = write
    }

    public func sample(reads: Bool, writes: Bool) -> IntervalSample {
        var s = IntervalSample(index: index, startNs: startNs, durationNs: durationNs,
                               read: reads ? read.sample(durationNanoseconds: durationNs) : nil,
                               write: writes ? write.sample(durationNanoseconds: durationNs) : nil)
        if sync.ios > 0 { s.sync = sync.sample(durationNanoseconds: durationNs) }
        return s
    }

    /// Another clone's record of the same interval, added in.
    public mutating func add(_ other: IntervalRecord) {
        read.add(other.read); write.add(other.write); sync.add(other.sync)
    }
}
