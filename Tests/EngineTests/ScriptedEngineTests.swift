import Glibc
import Testing
@testable import Engine
@testable import Harness
import Workload

/// A scripted engine for the loop's rare paths, which a real kernel does not produce on demand:
/// a full submission queue, short transfers, EAGAIN and I/O errors. (Real I/O through both real
/// engines is covered by DataPathTests, BlockDeviceTests and the CLI tests.)
struct ScriptedEngine: IOEngine {
    let buffers: AlignedBuffers
    let maxInFlight: Int
    var description: EngineDescription { EngineDescription(name: "scripted") }
    /// Queue capacity before a submit (smaller than the depth: the "SQ" fills up).
    let queueCapacity: Int
    let blockSize: Int
    var errorOffsets: Set<UInt64> = []
    var queued: [(slot: Int, offset: UInt64, length: Int, bufferOffset: Int)] = []
    var inKernel: [(slot: Int, offset: UInt64, length: Int, bufferOffset: Int)] = []
    var attempts: [UInt64: Int] = [:]
    /// Bytes transferred per block offset, to prove short I/Os are finished at the right place.
    var transferred: [UInt64: Int] = [:]
    var fullQueueRefusals = 0

    mutating func queue(slot: Int, file: Int, write: Bool, offset: UInt64, length: Int, bufferOffset: Int) -> Bool {
        if queued.count >= queueCapacity { fullQueueRefusals += 1; return false }
        queued.append((slot, offset, length, bufferOffset))
        return true
    }

    /// Syncs are queued at offset `UInt64.max`; the first comes back EAGAIN when `syncAgainOnce`.
    var syncAgainOnce = false
    var syncsDone: [Bool] = []

    mutating func queueSync(slot: Int, file: Int, dataOnly: Bool) -> Bool {
        if queued.count >= queueCapacity { fullQueueRefusals += 1; return false }
        queued.append((slot, dataOnly ? .max - 1 : .max, 0, 0))
        return true
    }

    mutating func submit() throws(EngineError) {
        inKernel += queued
        queued = []
    }

    mutating func reap(waitFor: Int, timeoutNanoseconds: UInt64, into: UnsafeMutableBufferPointer<Completion>) throws(EngineError) -> Int {
        var n = 0
        while n < into.count, !inKernel.isEmpty {
            let io = inKernel.removeFirst()
            if io.offset >= .max - 1 {
                if syncAgainOnce { syncAgainOnce = false; into[n] = Completion(slot: Int32(io.slot), result: -EAGAIN) } else {
                    syncsDone.append(io.offset == .max - 1)
                    into[n] = Completion(slot: Int32(io.slot), result: 0)
                }
                n += 1
                continue
            }
            let block = io.offset - UInt64(io.bufferOffset)
            let attempt = attempts[block, default: 0]
            attempts[block] = attempt + 1
            let index = Int(block) / blockSize
            var result: Int32
            if errorOffsets.contains(block) {
                result = -EIO
            } else if index % 7 == 3 && attempt == 0 {
                result = -EAGAIN
            } else if index % 5 == 1 && io.length == blockSize {
                result = Int32(io.length / 2)  // short: half now, the rest must be resubmitted
            } else {
                result = Int32(io.length)
            }
            if result > 0 { transferred[block, default: 0] += Int(result) }
            into[n] = Completion(slot: Int32(io.slot), result: result)
            n += 1
        }
        return n
    }
}

@Suite struct ScriptedEngineTests {
    func config(_ spec: JobSpec, blocks: UInt64) -> WorkerConfig {
        WorkerConfig(spec: spec, clone: 0, files: [WorkerFile(fd: -1, rangeStart: 0, rangeLength: blocks * spec.blockSizeBytes)], blocks: blocks, engine: .ioUring, engineNotes: [],
                     alignment: 4096, digestReads: false, intervalNanoseconds: 1_000_000_000, live: WorkerLive())
    }

    func engine(depth: Int, errors: Set<UInt64> = []) throws -> ScriptedEngine {
        ScriptedEngine(buffers: try AlignedBuffers(count: depth, bytesPerSlot: 4096, alignment: 4096), maxInFlight: depth,
                       queueCapacity: 3, blockSize: 4096, errorOffsets: errors)
    }

    @Test func shortTransfersAreFinishedAndCountedAndEAGAINIsRetried() throws {
        var e = try engine(depth: 8)
        let spec = JobSpec(name: "s", rw: .randread, blockSizeBytes: 4096, iodepth: 8)
        let o = JobWorker.loop(&e, config(spec, blocks: 100))
        #expect(o.read.ios == 100)
        #expect(o.read.bytes == 100 * 4096)
        #expect(o.read.shortIOs == 20, "blocks 1, 6, 11, ... came back half done")
        #expect(e.transferred.count == 100 && e.transferred.values.allSatisfy { $0 == 4096 }, "every byte once")
        #expect(e.fullQueueRefusals > 0, "the queue filled and the loop submitted and retried")
        #expect(e.attempts.filter { $0.key / 4096 % 7 == 3 }.allSatisfy { $0.value >= 2 }, "EAGAIN was retried")
        #expect(o.errorCounts.isEmpty && !o.failed)
        #expect(o.read.lat.count == 100 && o.read.clat.count == 100 && o.read.slat.count == 100)
    }

    @Test func theFirstErrorStopsTheJobAndIsReported() throws {
        var e = try engine(depth: 4, errors: [40 * 4096])
        let spec = JobSpec(name: "e", rw: .read, blockSizeBytes: 4096, iodepth: 4)
        let o = JobWorker.loop(&e, config(spec, blocks: 100))
        #expect(o.failed)
        #expect(o.errorCounts == [EIO: 1])
        #expect(o.firstError?.contains("read of 4096 bytes at offset 163840") == true, "\(o.firstError ?? "")")
        #expect(o.firstError?.contains("EIO") == true)
        #expect(o.read.ios < 100 && o.read.ios >= 40, "stopped soon after the error, in-flight I/Os drained")
    }

    @Test func continueOnErrorCountsEveryErrorAndFinishes() throws {
        var e = try engine(depth: 4, errors: [10 * 4096, 20 * 4096, 30 * 4096])
        var spec = JobSpec(name: "c", rw: .write, blockSizeBytes: 4096, iodepth: 4)
        spec.continueOnError = true
        let o = JobWorker.loop(&e, config(spec, blocks: 100))
        #expect(!o.failed)
        #expect(o.errorCounts == [EIO: 3])
        #expect(o.write.ios == 97)
        #expect(o.firstError?.contains("write of 4096 bytes at offset 40960") == true)
    }
}
