import Engine
import Workload

/// `--verify-backlog N`: the offsets of the last writes completed; once N have, issuing stops,
/// what is in flight completes, and those blocks are read back and checked.
struct VerifyBacklog: ~Copyable {
    /// N; 0: no backlog.
    let every: Int
    private let blockBytes: Int
    /// Room for N, and the writes still in flight when the backlog falls due.
    private let offsets: UnsafeMutableBufferPointer<UInt64>
    private(set) var count = 0
    private let buffer: AlignedBuffers?
    private var template = PatternTemplate()
    private(set) var result: VerifyResult

    /// - Throws: when the read-back buffer cannot be had (without it the backlog could never be
    ///   checked and issuing would stop for good).
    init(every: Int, depth: Int, blockBytes: Int, alignment: Int, mode: VerifyMode?, allocator: BufferAllocator) throws {
        self.every = every
        self.blockBytes = blockBytes
        result = VerifyResult(mode: mode)
        buffer = every > 0 ? try allocator.buffers(for: .verifyBacklog, count: 1, bytesPerSlot: blockBytes, alignment: alignment) : nil
        offsets = .allocate(capacity: every > 0 ? every + depth : 0)
    }

    deinit { offsets.deallocate() }

    /// New I/Os may be issued: no check is due.
    var allowsIssuing: Bool { every == 0 || count < every }

    /// The check is due (issuing has stopped; it runs once nothing is in flight).
    var isDue: Bool { every > 0 && count >= every }

    /// A write to `offset` completed.
    @inline(__always) mutating func add(_ offset: UInt64) {
        guard every > 0 else { return }
        offsets[count] = offset
        count += 1
    }

    /// Reads back each block of the backlog whose last write is still `verifier`'s record and checks it.
    mutating func check(fd: Int32, verifier: VerifyRecorder) {
        guard let buffer = buffer?.buffer(0) else { return }
        let bs = blockBytes
        for i in 0..<count {
            let offset = offsets[i]
            let sequence = verifier.last[Int((offset &- verifier.rangeStart) / verifier.blockSize)]
            if sequence == 0 { continue }
            result.blocksChecked += 1
            result.backlogBlocksChecked += 1
            let (got, error) = preadUpTo(fd, buffer, bs, offset)
            if got < bs {
                let what = error?.description ?? "end of file or device"
                result.add(VerifyFailure(offsetBytes: offset, kind: .readError, expected: "\(bs) bytes", found: what,
                                         message: "read_error at offset \(offset): \(what)"))
            } else if let failure = BlockVerify.check(buffer, length: bs, offset: offset,
                                                      expected: Generation(run: verifier.run, sequence: UInt64(sequence)),
                                                      template: &template) {
                result.add(failure)
            }
        }
        count = 0
    }
}
