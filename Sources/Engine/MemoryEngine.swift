import Glibc

/// An engine over memory instead of a file: a write copies its slot's buffer into a region of
/// `capacityBytes`, a read copies out of it, and each I/O completes at the next reap. The I/O loop
/// over it costs what tierbench itself costs per I/O, without a kernel (benchmarks, tests).
/// Every file index is the one region. An I/O past the end of the region completes with -EINVAL; allocates nothing per I/O.
public struct MemoryEngine: IOEngine, ~Copyable {
    public let buffers: AlignedBuffers
    public let maxInFlight: Int
    public var description: EngineDescription { EngineDescription(name: "memory", reason: "in-memory engine") }
    public let capacityBytes: Int
    private let storage: AlignedBuffers
    private let ready: UnsafeMutableBufferPointer<Completion>
    private var readyCount = 0
    /// I/Os queued and submitted so far.
    public private(set) var queuedIOs: UInt64 = 0
    public private(set) var submits: UInt64 = 0

    /// - Throws: `Errno(ENOMEM)` when the slots or the region cannot be had.
    public init(depth: Int, blockBytes: Int, capacityBytes: Int) throws(Errno) {
        let buffers = try AlignedBuffers(count: depth, bytesPerSlot: blockBytes, alignment: 4096)
        let storage = try AlignedBuffers(count: 1, bytesPerSlot: capacityBytes, alignment: 4096)
        self.buffers = buffers
        self.storage = storage
        maxInFlight = depth
        self.capacityBytes = capacityBytes
        ready = .allocate(capacity: depth)
        ready.initialize(repeating: Completion())
    }

    deinit { ready.deallocate() }

    public mutating func queue(slot: Int, file: Int, write: Bool, offset: UInt64, length: Int, bufferOffset: Int) -> Bool {
        guard readyCount < maxInFlight else { return false }
        var result = Int32(length)
        if offset > UInt64(capacityBytes) || UInt64(capacityBytes) - offset < UInt64(length) {
            result = -EINVAL
        } else {
            let region = storage.base + Int(offset), buffer = buffers.buffer(slot) + bufferOffset
            if write { region.copyMemory(from: buffer, byteCount: length) } else { buffer.copyMemory(from: region, byteCount: length) }
        }
        ready[readyCount] = Completion(slot: Int32(slot), result: result)
        readyCount += 1
        queuedIOs &+= 1
        return true
    }

    /// Memory is always durable: the sync completes at the next reap.
    public mutating func queueSync(slot: Int, file: Int, dataOnly: Bool) -> Bool {
        guard readyCount < maxInFlight else { return false }
        ready[readyCount] = Completion(slot: Int32(slot), result: 0)
        readyCount += 1
        queuedIOs &+= 1
        return true
    }

    public mutating func submit() throws(EngineError) { submits &+= 1 }

    public mutating func reap(waitFor: Int, timeoutNanoseconds: UInt64, into: UnsafeMutableBufferPointer<Completion>) throws(EngineError) -> Int {
        let n = min(readyCount, into.count)
        for i in 0..<n { into[i] = ready[readyCount - n + i] }
        readyCount -= n
        return n
    }
}
