import Engine
import Glibc
import Testing
@testable import Harness
import Workload

/// An allocator that refuses one use (as the system's does when memory is short) and counts calls.
final class FailingAllocator: @unchecked Sendable {
    let refuse: BufferAllocator.Use?
    var calls: [BufferAllocator.Use] = []
    init(refuse: BufferAllocator.Use?) { self.refuse = refuse }
    var allocator: BufferAllocator {
        BufferAllocator { use, count, bytes, alignment in
            self.calls.append(use)
            if use == self.refuse { throw Errno(ENOMEM) }
            return try AlignedBuffers(count: count, bytesPerSlot: bytes, alignment: alignment)
        }
    }
}

@Suite struct VerifyBacklogTests {
    @Test func withoutABacklogNothingIsAllocatedAndIssuingNeverStops() throws {
        let a = FailingAllocator(refuse: .verifyBacklog)
        var b = try VerifyBacklog(every: 0, depth: 4, blockBytes: 4096, alignment: 4096, mode: .crc32c, allocator: a.allocator)
        for i in 0..<100 { b.add(UInt64(i) * 4096) }
        #expect(a.calls.isEmpty && b.allowsIssuing && !b.isDue && b.count == 0)
    }

    @Test func fallsDueAfterNWritesAndStopsIssuing() throws {
        var b = try VerifyBacklog(every: 3, depth: 2, blockBytes: 4096, alignment: 4096, mode: .crc32c, allocator: .system)
        b.add(0); b.add(4096)
        #expect(b.allowsIssuing && !b.isDue)
        b.add(8192)
        #expect(!b.allowsIssuing && b.isDue)
        b.add(12288)  // a write that was still in flight when it fell due
        #expect(b.count == 4)
    }

    @Test func aRefusedBufferIsAnError() {
        let a = FailingAllocator(refuse: .verifyBacklog)
        #expect(throws: Errno.self) {
            _ = try VerifyBacklog(every: 4, depth: 4, blockBytes: 4096, alignment: 4096, mode: .crc32c, allocator: a.allocator)
        }
    }

    @Test func checksTheBlocksWrittenAndReportsTheCorruptOne() throws {
        let bs = 4096, blocks = 4
        var path = Array("/tmp/tierbench-backlog-XXXXXX".utf8CString)
        let fd = mkstemp(&path)
        try #require(fd >= 0)
        defer { close(fd); unlink(path) }
        let recorder = try #require(VerifyRecorder(mode: .crc32c, run: 42, rangeStart: 0, blockSize: UInt64(bs), blocks: blocks))
        let stamper = WriteStamper(blockBytes: bs, seed: 7, writes: true)
        let buffers = try AlignedBuffers(count: 1, bytesPerSlot: bs, alignment: 4096)
        var hasPattern = false
        var backlog = try VerifyBacklog(every: 3, depth: 1, blockBytes: bs, alignment: 4096, mode: .crc32c, allocator: .system)
        for block in 0..<3 {
            let offset = UInt64(block * bs), sequence = recorder.nextSequence()
            stamper.prepare(buffers.buffer(0), hasPattern: &hasPattern, offset: offset, length: bs,
                            verify: .crc32c, generation: Generation(run: 42, sequence: UInt64(sequence)))
            if block == 1 { buffers.buffer(0).storeBytes(of: 0xFF, toByteOffset: 100, as: UInt8.self) }  // corrupt the payload
            #expect(pwrite(fd, buffers.buffer(0), bs, off_t(offset)) == bs)
            recorder.record(offset: offset, sequence: sequence)
            backlog.add(offset)
        }
        backlog.check(fd: fd, verifier: recorder)
        #expect(backlog.count == 0 && backlog.allowsIssuing)
        #expect(backlog.result.blocksChecked == 3 && backlog.result.backlogBlocksChecked == 3)
        #expect(backlog.result.failures == 1 && backlog.result.firstFailures.first?.offsetBytes == 4096)
    }
}
