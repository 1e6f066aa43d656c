import Engine
import Stats
import Workload

/// Runs one worker of a job on the calling thread over a `MemoryEngine`: the I/O loop of
/// `tierbench run`, without a file, threads or a watcher, over the engine's whole region
/// (benchmarks of the loop itself; `--verify` is not available here).
public enum MemoryWorker {
    public struct Result: Sendable {
        public var read: DirectionCounters
        public var write: DirectionCounters
        public var firstError: String?
        public var failed: Bool
    }

    public static func run(_ spec: JobSpec, on engine: inout MemoryEngine) -> Result {
        let range = UInt64(engine.capacityBytes)
        let config = WorkerConfig(
            spec: spec, clone: 0, files: [WorkerFile(fd: -1, rangeStart: 0, rangeLength: range)], blocks: range / max(spec.blockSizeBytes, 1),
            engine: .psync, engineNotes: [], alignment: 4096, digestReads: false,
            intervalNanoseconds: 1_000_000_000, live: WorkerLive())
        let o = JobWorker.loop(&engine, config)
        return Result(read: o.read, write: o.write, firstError: o.firstError, failed: o.failed)
    }
}
