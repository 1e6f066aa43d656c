enum SyncKind { case fsync, fdatasync }

/// pread/pwrite engine: synchronous, one I/O in flight; the fallback when io_uring is unavailable.
public struct PsyncEngine: IOEngine, ~Copyable {
    public let buffers: AlignedBuffers
    public let description: EngineDescription
    public var maxInFlight: Int { 1 }
    /// The descriptors of the worker's files (index = the `file` of `queue`).
    let fds: [Int32]
    var pending: (slot: Int, fd: Int32, write: Bool, offset: UInt64, length: Int, bufferOffset: Int, sync: SyncKind?)?

    public init(fds: [Int32], buffers: AlignedBuffers, notes: [String] = []) {
        precondition(!fds.isEmpty)
        self.fds = fds
        self.buffers = buffers
        self.description = EngineDescription(name: "psync", notes: notes)
    }

    public init(fd: Int32, buffers: AlignedBuffers, notes: [String] = []) { self.init(fds: [fd], buffers: buffers, notes: notes) }

    public mutating func queue(slot: Int, file: Int, write: Bool, offset: UInt64, length: Int, bufferOffset: Int) -> Bool {
        if pending != nil { return false }
        pending = (slot, fds[file], write, offset, length, bufferOffset, nil)
        return true
    }

    public mutating func queueSync(slot: Int, file: Int, dataOnly: Bool) -> Bool {
        if pending != nil { return false }
        pending = (slot, fds[file], false, 0, 0, 0, dataOnly ? .fdatasync : .fsync)
        return true
    }

    /// Nothing to hand over: the I/O is done synchronously in `reap`, so its whole time is
    /// completion latency and submission latency is the bookkeeping before it.
    public mutating func submit() throws(EngineError) {}

    public mutating func reap(waitFor: Int, timeoutNanoseconds: UInt64, into: UnsafeMutableBufferPointer<Completion>) throws(EngineError) -> Int {
        guard let io = pending, into.count > 0 else { return 0 }
        pending = nil
        let p = buffers.buffer(io.slot) + io.bufferOffset
        let result: Int32
        do {
            switch io.sync {
            case .fsync?: try syncFile(io.fd); result = 0
            case .fdatasync?: try dataSyncFile(io.fd); result = 0
            case nil: result = Int32(io.write ? try pwriteFile(io.fd, p, io.length, io.offset) : try preadFile(io.fd, p, io.length, io.offset))
            }
        } catch {
            result = -error.rawValue
        }
        into[0] = Completion(slot: Int32(io.slot), result: result)
        return 1
    }
}
