import Engine

/// A worker's view of the monotonic clock: the latest read, and how many reads it took.
struct WorkerClock {
    private(set) var now: UInt64
    var reads: UInt64 = 1

    init(at start: UInt64) { now = start }

    /// Reads the clock.
    @discardableResult
    @inline(__always) mutating func read() -> UInt64 {
        now = monotonicNanoseconds()
        reads &+= 1
        return now
    }
}
