import Engine
import Glibc
import Stats
import Workload

/// Everything one worker (one clone of one job) needs; crosses to the worker thread once.
struct WorkerConfig: Sendable {
    var spec: JobSpec
    var clone: Int
    /// The clone's files (one, or fio's several per job), each with its range.
    var files: [WorkerFile]
    /// Blocks of `spec.blockSizeBytes` in the first file's range (the verify map's size; a job
    /// that verifies has one file).
    var blocks: UInt64
    var engine: EngineChoice  // .ioUring or .psync, decided by the probe
    var engineNotes: [String]
    var alignment: Int
    var digestReads: Bool
    /// Length of a time-series interval.
    var intervalNanoseconds: UInt64
    var live: WorkerLive
    /// With `--verify`: the generation map this clone's writes are recorded in.
    var verify: VerifyRecorder? = nil
    /// Where its buffers come from (tests make it fail).
    var allocator = BufferAllocator.system
}

extension WorkerConfig {
    /// The first (or only) file: what verify, which needs one file, works on.
    var fd: Int32 { files[0].fd }
    var rangeStart: UInt64 { files[0].rangeStart }
    var rangeLength: UInt64 { files[0].rangeLength }

    /// What a size-based clone moves over its files: each file's share and the total.
    var limits: FileLimits { spec.sizeLimits(fileRanges: files.map(\.rangeLength)) }
}

/// One file of a worker: an open descriptor and the byte range the clone works on.
struct WorkerFile: Sendable {
    var fd: Int32
    var rangeStart: UInt64
    /// Bytes of the clone's range of this file.
    var rangeLength: UInt64
}

/// What one worker did; crosses back once, at the end.
struct WorkerOutcome: Sendable {
    var engine: EngineDescription
    var read = DirectionCounters()
    var write = DirectionCounters()
    var sync = SyncCounters()
    var measuredNanoseconds: UInt64 = 0
    /// When the measured span started (`monotonicNanoseconds`).
    var measureStartMonotonicNs: UInt64 = 0
    /// The interval series of the measured span (an I/O counts in the interval it completed in).
    var intervals: [IntervalSample] = []
    var cpu = CPUUsage()
    /// Clock reads in the measured span (two per batch at most; see the loop).
    var clockReads: UInt64 = 0
    /// What `--verify-backlog` checked during the job.
    var backlogVerify: VerifyResult?
    var errorCounts: [Int32: UInt64] = [:]
    var firstError: String?
    var failed = false
    var interrupted = false
    var readDigest: UInt64 = 0
}

enum JobWorker {
    /// Blocks up to this size use registered (fixed) buffers, which save pinning pages per I/O
    /// (what matters for small blocks); larger ones plain buffers, as fio's default. A registered
    /// buffer in 4 KiB pages reaches the block layer as one segment per page, so without huge
    /// pages (see `AlignedBuffers`) a 1 MiB block is 256 segments and is split in two requests on
    /// a device that takes 254 (virtio-blk). Pinning per I/O costs little next to a large transfer.
    static let largestRegisteredBlock: UInt64 = 64 << 10

    /// Runs one clone on the calling thread: builds its engine and buffers, then the I/O loop.
    static func run(_ c: WorkerConfig) -> WorkerOutcome {
        let depth = c.engine == .psync ? 1 : c.spec.iodepth
        let buffers: AlignedBuffers
        do {
            buffers = try c.allocator.buffers(for: .slots, count: depth, bytesPerSlot: Int(c.spec.blockSizeBytes), alignment: c.alignment)
        } catch {
            c.live.enter(.done, at: monotonicNanoseconds())
            return WorkerOutcome(engine: EngineDescription(name: c.engine.rawValue), firstError: "cannot allocate \(depth) buffers of \(c.spec.blockSizeBytes) bytes: \(error)", failed: true)
        }
        switch c.engine {
        case .psync, .auto:
            var engine = PsyncEngine(fds: c.files.map(\.fd), buffers: buffers, notes: c.engineNotes)
            return loop(&engine, c)
        case .ioUring:
            do {
                var engine = try UringEngine(fds: c.files.map(\.fd), depth: depth, buffers: buffers,
                                             registerBuffers: c.spec.blockSizeBytes <= JobWorker.largestRegisteredBlock)
                return loop(&engine, c)
            } catch {
                c.live.enter(.done, at: monotonicNanoseconds())
                return WorkerOutcome(engine: EngineDescription(name: "io_uring"), firstError: error.message, failed: true)
            }
        }
    }

    /// The hot loop: queue into free slots, submitting every `iodepthBatch` queued I/Os, then reap
    /// (waiting only when nothing is ready) and account the completions.
    /// Allocates nothing per I/O. The clock is read once per submit ("submitted") and once per reap
    /// ("completed"); an I/O's "prepared" time is the latest read before it was drawn. fio reads
    /// the clock per batch the same way where it can.
    static func loop<E: IOEngine & ~Copyable>(_ engine: inout E, _ c: WorkerConfig) -> WorkerOutcome {
        var worker: WorkerLoop
        do {
            worker = try WorkerLoop(c, depth: min(c.spec.iodepth, engine.maxInFlight), allocator: c.allocator)
        } catch {
            c.live.enter(.done, at: monotonicNanoseconds())
            return WorkerOutcome(engine: engine.description, firstError: error.message, failed: true)
        }
        while true {
            worker.resubmit(&engine)
            worker.issue(&engine)
            if worker.checkBacklog() || worker.pause() { continue }
            if worker.slots.inFlight == 0 || !worker.reap(&engine) { break }
        }
        return worker.finish(engine: engine.description)
    }
}
