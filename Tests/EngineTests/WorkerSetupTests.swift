import Engine
import Testing
@testable import Harness
import Workload

/// A worker that cannot get its buffers fails with a message and is done: the watcher, which
/// polls until every worker is done, must not wait for it forever.
@Suite struct WorkerSetupTests {
    func config(_ spec: JobSpec, allocator: BufferAllocator, verify: VerifyRecorder? = nil) -> WorkerConfig {
        var c = WorkerConfig(spec: spec, clone: 0, files: [WorkerFile(fd: -1, rangeStart: 0, rangeLength: 64 * 4096)], blocks: 64, engine: .psync,
                             engineNotes: [], alignment: 4096, digestReads: false, intervalNanoseconds: 1_000_000_000, live: WorkerLive())
        c.verify = verify
        c.allocator = allocator
        return c
    }

    @Test func aRefusedVerifyBacklogBufferFailsTheWorkerAndMarksItDone() throws {
        var spec = JobSpec(name: "v", rw: .randwrite, blockSizeBytes: 4096, iodepth: 4, verify: .crc32c)
        spec.verifyBacklog = 8
        let recorder = try #require(VerifyRecorder(mode: .crc32c, run: 1, rangeStart: 0, blockSize: 4096, blocks: 64))
        let a = FailingAllocator(refuse: .verifyBacklog)
        let c = config(spec, allocator: a.allocator, verify: recorder)
        var engine = try MemoryEngine(depth: 4, blockBytes: 4096, capacityBytes: 64 * 4096)
        let o = JobWorker.loop(&engine, c)
        #expect(a.calls == [.verifyBacklog])
        #expect(o.failed)
        #expect(o.firstError?.contains("cannot allocate the --verify-backlog buffer of 4096 bytes") == true)
        #expect(c.live.currentPhase == .done, "a worker that is not done keeps the watcher polling")
        let queued = engine.queuedIOs
        #expect(queued == 0, "nothing was issued")
    }

    @Test func refusedSlotBuffersFailTheWorkerAndMarkItDone() {
        let spec = JobSpec(name: "s", rw: .randread, blockSizeBytes: 4096, iodepth: 4)
        let a = FailingAllocator(refuse: .slots)
        let c = config(spec, allocator: a.allocator)
        let o = JobWorker.run(c)
        #expect(o.failed && o.firstError?.hasPrefix("cannot allocate 1 buffers of 4096 bytes") == true)
        #expect(c.live.currentPhase == .done)
    }

    @Test func aWorkerThatRanIsDone() throws {
        var spec = JobSpec(name: "w", rw: .randrw, blockSizeBytes: 4096, iodepth: 4, verify: .crc32c)
        spec.verifyBacklog = 8
        let recorder = try #require(VerifyRecorder(mode: .crc32c, run: 1, rangeStart: 0, blockSize: 4096, blocks: 64))
        let a = FailingAllocator(refuse: nil)
        let c = config(spec, allocator: a.allocator, verify: recorder)
        var engine = try MemoryEngine(depth: 4, blockBytes: 4096, capacityBytes: 64 * 4096)
        let o = JobWorker.loop(&engine, c)
        #expect(!o.failed && o.read.ios + o.write.ios == 64)
        #expect(c.live.currentPhase == .done)
    }
}
