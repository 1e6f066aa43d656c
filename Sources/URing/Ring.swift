import CURing

/// An io_uring instance (liburing's `struct io_uring`) at a stable heap address.
///
/// Owned by exactly one thread: create it on the worker thread that uses it. `deinit` calls
/// `io_uring_queue_exit`, which also unregisters buffers and files.
public struct Ring: ~Copyable {
    @usableFromInline let ring: UnsafeMutablePointer<io_uring>
    /// Preallocated CQE pointer array for `io_uring_peek_batch_cqe`, sized to the CQ.
    @usableFromInline let cqeScratch: UnsafeMutablePointer<UnsafeMutablePointer<io_uring_cqe>?>
    @usableFromInline let cqEntries: Int
    public let entries: UInt32
    /// The set-up flags the kernel accepted, by name ("SINGLE_ISSUER|DEFER_TASKRUN", "COOP_TASKRUN", "none").
    public let setupFlags: String

    /// `io_uring_queue_init_params`, asking for single-issuer, deferred task running (Linux 6.1+):
    /// completions are then run when this thread enters the kernel to wait, with no
    /// inter-processor interrupt per completion. Older kernels (EINVAL) get cooperative task
    /// running (5.19+), then plain flags.
    /// - Throws: the errno of `io_uring_setup` (ENOSYS, EPERM under seccomp or
    ///   `kernel.io_uring_disabled`, ENOMEM).
    public init(entries: UInt32) throws(RingError) {
        let ring = UnsafeMutablePointer<io_uring>.allocate(capacity: 1)
        ring.initialize(to: io_uring())
        var rc: Int32 = -EINVAL
        var accepted = "none"
        for (flags, name) in [(IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN, "SINGLE_ISSUER|DEFER_TASKRUN"),
                              (IORING_SETUP_COOP_TASKRUN, "COOP_TASKRUN"), (0, "none")] {
            var params = io_uring_params()
            params.flags = UInt32(flags)
            rc = io_uring_queue_init_params(entries, ring, &params)
            accepted = name
            if rc != -EINVAL { break }
        }
        if rc < 0 {
            ring.deallocate()
            throw RingError(operation: "io_uring_setup", errno: -rc)
        }
        self.ring = ring
        self.entries = entries
        self.setupFlags = accepted
        self.cqEntries = Int(ring.pointee.cq.ring_entries)
        self.cqeScratch = .allocate(capacity: Int(ring.pointee.cq.ring_entries))
        self.cqeScratch.initialize(repeating: nil, count: Int(ring.pointee.cq.ring_entries))
    }

    deinit {
        io_uring_queue_exit(ring)
        ring.deallocate()
        cqeScratch.deallocate()
    }

    /// `io_uring_register_buffers`: pins `count` iovecs. Fails with ENOMEM under a low RLIMIT_MEMLOCK.
    public func registerBuffers(_ iovecs: UnsafePointer<iovec>, count: Int) throws(RingError) {
        let rc = io_uring_register_buffers(ring, iovecs, UInt32(count))
        if rc < 0 { throw RingError(operation: "io_uring_register_buffers", errno: -rc) }
    }

    /// `io_uring_register_files`: SQEs then name `fds[i]` as fixed file index `i`.
    public func registerFiles(_ fds: [Int32]) throws(RingError) {
        var fds = fds
        let rc = io_uring_register_files(ring, &fds, UInt32(fds.count))
        if rc < 0 { throw RingError(operation: "io_uring_register_files", errno: -rc) }
    }

    /// Prepares a read or write SQE. Returns false when the submission queue is full.
    /// - Parameters:
    ///   - fd: the file descriptor, or the fixed-file index when `fixedFile` is true.
    ///   - bufferIndex: the registered buffer index, or -1 for a plain read/write.
    @inlinable
    public func prepare(
        write: Bool, fd: Int32, fixedFile: Bool, buffer: UnsafeMutableRawPointer, length: UInt32,
        offset: UInt64, bufferIndex: Int32, userData: UInt64
    ) -> Bool {
        guard let sqe = io_uring_get_sqe(ring) else { return false }
        if bufferIndex >= 0 {
            if write {
                io_uring_prep_write_fixed(sqe, fd, buffer, length, offset, bufferIndex)
            } else {
                io_uring_prep_read_fixed(sqe, fd, buffer, length, offset, bufferIndex)
            }
        } else {
            if write {
                io_uring_prep_write(sqe, fd, buffer, length, offset)
            } else {
                io_uring_prep_read(sqe, fd, buffer, length, offset)
            }
        }
        if fixedFile { sqe.pointee.flags |= tb_iosqe_fixed_file() }
        sqe.pointee.user_data = userData
        return true
    }

    /// Prepares an `IORING_OP_FSYNC` SQE (with `IORING_FSYNC_DATASYNC` when `dataOnly`). Returns
    /// false when the submission queue is full.
    @inlinable
    public func prepareSync(fd: Int32, fixedFile: Bool, dataOnly: Bool, userData: UInt64) -> Bool {
        guard let sqe = io_uring_get_sqe(ring) else { return false }
        io_uring_prep_fsync(sqe, fd, dataOnly ? UInt32(IORING_FSYNC_DATASYNC) : 0)
        if fixedFile { sqe.pointee.flags |= tb_iosqe_fixed_file() }
        sqe.pointee.user_data = userData
        return true
    }

    /// SQEs prepared but not yet submitted.
    @inlinable public var pendingSubmissions: UInt32 { io_uring_sq_ready(ring) }

    /// `io_uring_submit_and_get_events`: one `io_uring_enter` that submits everything prepared and
    /// flushes completions that are already done, without waiting. Returns the number submitted,
    /// or `-errno` (EAGAIN, EINTR, EBUSY are the caller's to retry after reaping).
    @inlinable
    public func submit() -> Int32 {
        io_uring_submit_and_get_events(ring)
    }

    /// Waits until at least `count` completions are ready or `timeoutNanoseconds` pass (one
    /// `io_uring_enter`, or none when they are ready already). Returns 0, `-ETIME` on timeout,
    /// or another `-errno`.
    @inlinable
    public func wait(for count: UInt32, timeoutNanoseconds: UInt64) -> Int32 {
        var cqe: UnsafeMutablePointer<io_uring_cqe>?
        var ts = __kernel_timespec(tv_sec: Int64(timeoutNanoseconds / 1_000_000_000), tv_nsec: Int64(timeoutNanoseconds % 1_000_000_000))
        return io_uring_wait_cqes(ring, &cqe, count, &ts, nil)
    }

    /// Copies up to `into.count` ready completions as (user_data, res) and advances the CQ.
    @inlinable
    public func reap(into: UnsafeMutableBufferPointer<RingCompletion>) -> Int {
        let n = Int(io_uring_peek_batch_cqe(ring, cqeScratch, UInt32(min(into.count, cqEntries))))
        for i in 0..<n {
            let cqe = cqeScratch[i]!
            into[i] = RingCompletion(userData: cqe.pointee.user_data, result: cqe.pointee.res)
        }
        if n > 0 { io_uring_cq_advance(ring, UInt32(n)) }
        return n
    }
}

/// One completion copied out of the CQ.
public struct RingCompletion: Sendable {
    public var userData: UInt64
    public var result: Int32
    public init(userData: UInt64 = 0, result: Int32 = 0) {
        self.userData = userData
        self.result = result
    }
}

/// A failed io_uring call, with its errno.
public struct RingError: Error, Sendable {
    public let operation: String
    public let errno: Int32
}
