import Testing
@testable import Engine
@testable import Harness
import Workload

/// The worker loop's sync operations over the scripted engine (depth 8, a submission queue of
/// 3): one sync per N writes at any depth, fsync first when both fall due, a sync that comes
/// back EAGAIN queued again, none after the last write of a size-based job.
@Suite struct SyncLoopTests {
    func run(_ durability: Durability, blocks: UInt64, syncAgainOnce: Bool = false) throws -> (WorkerOutcome, ScriptedEngine) {
        var spec = JobSpec(name: "s", rw: .randwrite, blockSizeBytes: 4096, iodepth: 8)
        spec.durability = durability
        var e = ScriptedEngine(buffers: try AlignedBuffers(count: 8, bytesPerSlot: 4096, alignment: 4096), maxInFlight: 8,
                               queueCapacity: 3, blockSize: 4096)
        e.syncAgainOnce = syncAgainOnce
        let config = WorkerConfig(spec: spec, clone: 0, files: [WorkerFile(fd: -1, rangeStart: 0, rangeLength: blocks * 4096)], blocks: blocks, engine: .ioUring,
                                  engineNotes: [], alignment: 4096, digestReads: false, intervalNanoseconds: 1_000_000_000, live: WorkerLive())
        let o = JobWorker.loop(&e, config)
        return (o, e)
    }

    @Test func oneSyncPerNWritesAndARetriedOneCountsOnce() throws {
        let (o, e) = try run(Durability(fdatasyncEvery: 10), blocks: 100, syncAgainOnce: true)
        #expect(o.write.ios == 100 && !o.failed, "\(o.firstError ?? "")")
        #expect(o.sync.fdatasyncs == 9 && o.sync.fsyncs == 0, "after writes 10 ... 90; none after the last")
        #expect(e.syncsDone == Array(repeating: true, count: 9), "each reached the engine as data-only, the EAGAIN one again")
        #expect(o.sync.lat.count == 9)
        #expect(o.write.bytes == 100 * 4096, "a sync moves no bytes")
    }

    @Test func fsyncWinsWhenBothAreDue() throws {
        let (o, e) = try run(Durability(fsyncEvery: 3, fdatasyncEvery: 2), blocks: 12)
        // After writes 2 4 8 10: fdatasync; 3 6 9: fsync; 12 is the last.
        #expect(o.sync.fsyncs == 3 && o.sync.fdatasyncs == 4)
        #expect(e.syncsDone.filter { !$0 }.count == 3)
    }

    @Test func noDurabilityNoSyncs() throws {
        let (o, e) = try run(Durability(), blocks: 20)
        #expect(o.sync.ios == 0 && e.syncsDone.isEmpty && o.write.ios == 20)
    }
}
