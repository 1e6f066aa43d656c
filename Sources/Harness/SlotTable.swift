import Engine

/// The slots of one worker: an `InFlightIO` per slot, the free ones (a stack), the ones queued
/// since the last submit, and the ones waiting to be resubmitted (EAGAIN, short transfers).
/// Allocated once; nothing here allocates per I/O.
struct SlotTable: ~Copyable {
    /// Where the engine copies completions (one per slot at most).
    let completions: UnsafeMutableBufferPointer<Completion>
    let depth: Int
    private let ios: UnsafeMutableBufferPointer<InFlightIO>
    private let free: UnsafeMutableBufferPointer<Int32>
    private let queued: UnsafeMutableBufferPointer<Int32>
    private let retries: UnsafeMutableBufferPointer<Int32>
    private(set) var freeCount: Int
    private(set) var queuedCount = 0
    private(set) var retryCount = 0
    /// Slots holding an I/O that has not completed (queued, in the kernel or waiting for a retry).
    private(set) var inFlight = 0

    init(depth: Int, blockBytes: Int) {
        self.depth = depth
        ios = .allocate(capacity: depth)
        ios.initialize(repeating: InFlightIO(length: blockBytes))
        free = .allocate(capacity: depth)
        for i in 0..<depth { free[i] = Int32(depth - 1 - i) }
        queued = .allocate(capacity: depth)
        retries = .allocate(capacity: depth)
        freeCount = depth
        completions = .allocate(capacity: depth)
        completions.initialize(repeating: Completion())
    }

    deinit {
        ios.deallocate(); free.deallocate(); queued.deallocate(); retries.deallocate(); completions.deallocate()
    }

    subscript(slot: Int) -> InFlightIO {
        unsafeAddress { UnsafePointer(ios.baseAddress! + slot) }
        nonmutating unsafeMutableAddress { ios.baseAddress! + slot }
    }

    /// The slot the next new I/O goes to, if one is free (taken by `start`).
    var nextFree: Int? { freeCount > 0 ? Int(free[freeCount - 1]) : nil }

    /// The I/O on `nextFree` was queued: it is busy, and gets its submit time at the next `submitted`.
    mutating func start(write: Bool, file: Int = 0, offset: UInt64, length: Int, prepared: UInt64, sync: SyncOperation? = nil) {
        freeCount -= 1
        let slot = Int(free[freeCount])
        let io = ios.baseAddress! + slot
        io.pointee.write = write
        io.pointee.file = Int32(file)
        io.pointee.sync = sync
        io.pointee.offset = offset
        io.pointee.length = length
        io.pointee.done = 0
        io.pointee.busy = true
        io.pointee.prepared = prepared
        queued[queuedCount] = Int32(slot)
        queuedCount += 1
        inFlight += 1
    }

    /// Everything queued since the last call was submitted at `time`.
    mutating func submitted(at time: UInt64) {
        for i in 0..<queuedCount { ios[Int(queued[i])].issued = time }
        queuedCount = 0
    }

    /// The slot's I/O is over (completed or failed): the slot is free again.
    mutating func finish(_ slot: Int) {
        ios[slot].busy = false
        free[freeCount] = Int32(slot)
        freeCount += 1
        inFlight -= 1
    }

    /// The slot's I/O (the rest of it, from `done`) must be queued again.
    mutating func retryLater(_ slot: Int) {
        retries[retryCount] = Int32(slot)
        retryCount += 1
    }

    /// The slot to resubmit next, if any (taken by `retried`).
    var nextRetry: Int? { retryCount > 0 ? Int(retries[retryCount - 1]) : nil }

    mutating func retried() { retryCount -= 1 }

    /// A write to `offset` of `file` is in flight.
    func writeInFlight(at offset: UInt64, file: Int = 0) -> Bool {
        for s in 0..<depth where ios[s].busy && ios[s].write && ios[s].offset == offset && ios[s].file == Int32(file) { return true }
        return false
    }
}
