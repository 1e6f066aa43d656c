import Engine
import Glibc
import Harness
import Testing
import Workload

@Suite struct MemoryEngineTests {
    @Test func aWriteIsReadBackAndAnIOPastTheEndFails() throws {
        var e = try MemoryEngine(depth: 2, blockBytes: 4096, capacityBytes: 8192)
        memset(e.buffers.buffer(0), 0xAB, 4096)
        let queuedWrite = e.queue(slot: 0, write: true, offset: 4096, length: 4096, bufferOffset: 0)
        #expect(queuedWrite)
        try e.submit()
        let out = UnsafeMutableBufferPointer<Completion>.allocate(capacity: 2)
        defer { out.deallocate() }
        let first = try e.reap(waitFor: 1, timeoutNanoseconds: 0, into: out)
        #expect(first == 1)
        #expect(out[0].slot == 0 && out[0].result == 4096)
        let queuedRead = e.queue(slot: 1, write: false, offset: 4096, length: 4096, bufferOffset: 0)
        let queuedPastEnd = e.queue(slot: 0, write: false, offset: 8192, length: 512, bufferOffset: 0)
        #expect(queuedRead && queuedPastEnd)
        try e.submit()
        let second = try e.reap(waitFor: 1, timeoutNanoseconds: 0, into: out)
        #expect(second == 2)
        let results = Dictionary(uniqueKeysWithValues: (0..<2).map { (out[$0].slot, out[$0].result) })
        #expect(results == [1: 4096, 0: -EINVAL])
        let read = e.buffers.buffer(1).assumingMemoryBound(to: UInt8.self)
        #expect((0..<4096).allSatisfy { read[$0] == 0xAB })
        let (queued, submits) = (e.queuedIOs, e.submits)
        #expect(queued == 3 && submits == 2)
    }

    @Test func aWorkerOverMemoryMovesTheJobsSize() throws {
        var e = try MemoryEngine(depth: 8, blockBytes: 4096, capacityBytes: 1 << 20)
        let r = MemoryWorker.run(JobSpec(name: "m", rw: .randrw, blockSizeBytes: 4096, iodepth: 8), on: &e)
        #expect(!r.failed && r.firstError == nil)
        #expect(r.read.ios + r.write.ios == 256 && r.read.bytes + r.write.bytes == 1 << 20)
        #expect(r.read.ios > 0 && r.write.ios > 0)
        let queued = e.queuedIOs
        #expect(queued == 256)
    }
}
