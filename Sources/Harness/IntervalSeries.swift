import Stats

/// The interval series of one worker: completions go to the open interval, which closes at its
/// boundary and is handed to the watcher (`WorkerLive.publish`). Times are kept relative to
/// `origin`, where measurement started.
struct IntervalSeries {
    let length: UInt64
    private let reads: Bool
    private let writes: Bool
    private let live: WorkerLive?
    /// Keep each interval's latencies in fio's bins (the job writes fio's histogram log).
    private let fioBins: Bool
    private(set) var origin: UInt64
    private(set) var start: UInt64
    private(set) var nextBoundary: UInt64
    private var index = 0
    private var read = IntervalCounters()
    private var write = IntervalCounters()
    private var sync = IntervalCounters()
    private(set) var samples: [IntervalSample] = []

    /// `length` is at least 1 ms.
    init(length: UInt64, reads: Bool, writes: Bool, live: WorkerLive?, start: UInt64, fioBins: Bool = false) {
        self.length = max(length, 1_000_000)
        self.reads = reads; self.writes = writes; self.live = live; self.fioBins = fioBins
        origin = start; self.start = start; nextBoundary = start &+ self.length
    }

    /// Something completed in the open interval.
    @inline(__always) mutating func record(write isWrite: Bool, bytes: Int, prepared: UInt64, issued: UInt64, completed: UInt64) {
        if isWrite {
            write.record(bytes: UInt64(bytes), prepared: prepared, issued: issued, completed: completed)
        } else {
            read.record(bytes: UInt64(bytes), prepared: prepared, issued: issued, completed: completed)
        }
    }

    /// A sync (fsync=N, fdatasync=N) completed in the open interval.
    @inline(__always) mutating func recordSync(issued: UInt64, completed: UInt64) {
        sync.record(bytes: 0, prepared: issued, issued: issued, completed: completed)
    }

    /// Closes every interval whose boundary `now` has reached.
    @inline(__always) mutating func closeEnded(at now: UInt64) {
        while now >= nextBoundary {
            close(end: nextBoundary)
            nextBoundary &+= length
        }
    }

    /// Measurement starts (again) at `now`: what was counted is dropped.
    mutating func restart(at now: UInt64) {
        read = IntervalCounters(); write = IntervalCounters(); sync = IntervalCounters()
        origin = now; start = now; nextBoundary = now &+ length
    }

    /// The rest after the last boundary (I/Os reaped exactly on a boundary belong to it too).
    mutating func finish(lastCompletion: UInt64) {
        if lastCompletion > start || read.ios + write.ios + sync.ios > 0 { close(end: max(lastCompletion, start &+ 1)) }
    }

    private mutating func close(end: UInt64) {
        var record = IntervalRecord(index: index, startNs: start &- origin, durationNs: end &- start, read: read, write: write)
        record.sync = sync
        var sample = record.sample(reads: reads, writes: writes)
        if fioBins {
            sample.read?.fioBins = FioLatencyBins.sparse(read.lat.histogram)
            sample.write?.fioBins = FioLatencyBins.sparse(write.lat.histogram)
        }
        samples.append(sample)
        live?.publish(record)
        read = IntervalCounters(); write = IntervalCounters(); sync = IntervalCounters()
        index += 1
        start = end
    }
}
