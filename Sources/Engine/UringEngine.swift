import CURing
import Glibc
import URing

/// io_uring engine: one ring per worker thread, one SQE per slot, slot index in `user_data`,
/// registered buffers and files when the kernel allows, batched submit, then wait. A worker with
/// several files (fio's `nrfiles`, `filename=a:b`) registers them all; an SQE names its file by index.
public struct UringEngine: IOEngine, ~Copyable {
    let ring: Ring
    public let buffers: AlignedBuffers
    public let maxInFlight: Int
    public let description: EngineDescription
    /// What SQEs name per file: the fixed-file index, or the descriptor when registration was refused.
    let ringFds: [Int32]
    let fixedBuffers: Bool
    let fixedFile: Bool
    let reaped: UnsafeMutableBufferPointer<RingCompletion>

    /// Creates the ring on the calling thread (which must be the one that uses it).
    /// Registration failures (ENOMEM under RLIMIT_MEMLOCK, ...) fall back with a note.
    public init(fd: Int32, depth: Int, buffers: AlignedBuffers, registerBuffers: Bool = true,
                registerFile: Bool = true) throws(EngineError) {
        try self.init(fds: [fd], depth: depth, buffers: buffers, registerBuffers: registerBuffers, registerFiles: registerFile)
    }

    /// An engine over the files `fds` (index = the `file` of `queue`).
    public init(fds: [Int32], depth: Int, buffers: AlignedBuffers, registerBuffers: Bool = true,
                registerFiles: Bool = true) throws(EngineError) {
        precondition(!fds.isEmpty)
        do {
            ring = try Ring(entries: UInt32(depth))
        } catch {
            throw EngineError("io_uring_setup failed: \(Errno(error.errno))", errno: Errno(error.errno))
        }
        self.buffers = buffers
        self.maxInFlight = depth
        var notes: [String] = []
        var fixed = false
        if registerBuffers {
            let iovecs = UnsafeMutablePointer<iovec>.allocate(capacity: buffers.count)
            defer { iovecs.deallocate() }
            for i in 0..<buffers.count {
                iovecs[i] = iovec(iov_base: buffers.buffer(i), iov_len: buffers.slotBytes)
            }
            do {
                try ring.registerBuffers(iovecs, count: buffers.count)
                fixed = true
            } catch {
                let e = Errno(error.errno)
                let hint = e.rawValue == ENOMEM ? " (RLIMIT_MEMLOCK too low? see ulimit -l)" : ""
                notes.append("registered buffers unavailable: \(e.name)\(hint); using plain reads and writes")
            }
        }
        var fileRegistered = false
        if registerFiles {
            do {
                try ring.registerFiles(fds)
                fileRegistered = true
            } catch {
                notes.append("registered file unavailable: \(Errno(error.errno).name); using the plain descriptor")
            }
        }
        fixedBuffers = fixed
        fixedFile = fileRegistered
        ringFds = fileRegistered ? fds.indices.map { Int32($0) } : fds
        reaped = .allocate(capacity: max(depth, 1) * 2)
        reaped.initialize(repeating: RingCompletion())
        description = EngineDescription(
            name: "io_uring", registeredBuffers: fixed, registeredFile: fileRegistered, ringFlags: ring.setupFlags, notes: notes)
    }

    deinit { reaped.deallocate() }


    public mutating func queue(slot: Int, file: Int, write: Bool, offset: UInt64, length: Int, bufferOffset: Int) -> Bool {
        ring.prepare(
            write: write, fd: ringFds[file], fixedFile: fixedFile,
            buffer: buffers.buffer(slot) + bufferOffset, length: UInt32(length), offset: offset,
            bufferIndex: fixedBuffers ? Int32(slot) : -1, userData: UInt64(slot))
    }

    public mutating func queueSync(slot: Int, file: Int, dataOnly: Bool) -> Bool {
        ring.prepareSync(fd: ringFds[file], fixedFile: fixedFile, dataOnly: dataOnly, userData: UInt64(slot))
    }

    public mutating func submit() throws(EngineError) {
        guard ring.pendingSubmissions > 0 else { return }
        let rc = ring.submit()
        // EAGAIN/EBUSY leave the SQEs queued: the loop reaps, then submits them again.
        if rc < 0 && rc != -EINTR && rc != -EAGAIN && rc != -EBUSY {
            throw EngineError("io_uring_enter failed: \(Errno(-rc))", errno: Errno(-rc))
        }
    }

    public mutating func reap(waitFor: Int, timeoutNanoseconds: UInt64, into: UnsafeMutableBufferPointer<Completion>) throws(EngineError) -> Int {
        let room = UnsafeMutableBufferPointer(rebasing: reaped[0..<min(reaped.count, into.count)])
        var n = ring.reap(into: room)
        if n < waitFor {
            let rc = ring.wait(for: UInt32(waitFor - n), timeoutNanoseconds: timeoutNanoseconds)
            if rc < 0 && rc != -ETIME && rc != -EINTR && rc != -EAGAIN && rc != -EBUSY {
                throw EngineError("io_uring_enter failed: \(Errno(-rc))", errno: Errno(-rc))
            }
            n += ring.reap(into: UnsafeMutableBufferPointer(rebasing: room[n...]))
        }
        for i in 0..<n {
            into[i] = Completion(slot: Int32(truncatingIfNeeded: reaped[i].userData), result: reaped[i].result)
        }
        return n
    }
}
