/// What one job's sync operations (fio's `fsync=N` and `fdatasync=N`) did: how many of each and
/// how long each took, from its submit to its completion. Lives on the worker thread; crosses
/// threads as a value. A sync moves no bytes and is not a read or a write.
public struct SyncCounters: Sendable {
    /// fsync(2) / `IORING_OP_FSYNC` operations.
    public var fsyncs: UInt64 = 0
    /// fdatasync(2) / `IORING_OP_FSYNC` with `IORING_FSYNC_DATASYNC`.
    public var fdatasyncs: UInt64 = 0
    /// Submitted -> completed, of both kinds (fio's `sync.lat_ns`).
    public var lat = LatencyStat()

    public init() {}

    public var ios: UInt64 { fsyncs &+ fdatasyncs }

    @inlinable
    public mutating func record(dataOnly: Bool, issued: UInt64, completed: UInt64) {
        if dataOnly { fdatasyncs &+= 1 } else { fsyncs &+= 1 }
        lat.record(completed &- issued)
    }

    public mutating func add(_ other: SyncCounters) {
        fsyncs += other.fsyncs; fdatasyncs += other.fdatasyncs; lat.add(other.lat)
    }

    public func summary(percentiles: PercentileList) -> SyncSummary {
        SyncSummary(ios: ios, fsyncs: fsyncs, fdatasyncs: fdatasyncs, latNs: lat.report(percentiles))
    }
}

/// The sync operations of a job, as reported (`sync` in tierbench's JSON).
public struct SyncSummary: Codable, Sendable, Equatable {
    /// fsyncs plus fdatasyncs.
    public var ios: UInt64
    public var fsyncs: UInt64
    public var fdatasyncs: UInt64
    /// Each sync's duration, submitted -> completed.
    public var latNs: LatencyReport

    public init(ios: UInt64, fsyncs: UInt64, fdatasyncs: UInt64, latNs: LatencyReport) {
        self.ios = ios; self.fsyncs = fsyncs; self.fdatasyncs = fdatasyncs; self.latNs = latNs
    }

    /// `fdatasync` or `fsync` when the syncs are of one kind, else `sync`.
    public var kind: String { Self.kind(fsyncs: fsyncs, fdatasyncs: fdatasyncs) }

    public static func kind(fsyncs: UInt64, fdatasyncs: UInt64) -> String {
        fsyncs == 0 ? "fdatasync" : fdatasyncs == 0 ? "fsync" : "sync"
    }

    enum CodingKeys: String, CodingKey {
        case ios, fsyncs, fdatasyncs
        case latNs = "latNs"
    }
}
