import Stats
import Synchronization

/// A worker's phase, as the progress line shows it.
public enum WorkerPhase: Int, Sendable {
    case starting = 0, ramp, run, done
}

/// What a running worker shares with the main thread: counters it stores once per batch (relaxed
/// atomics, read by the progress line) and the intervals it closes (handed over under a lock,
/// once per interval). Nothing here is touched per I/O.
final class WorkerLive: Sendable {
    let phase = Atomic<Int>(WorkerPhase.starting.rawValue)
    /// Completions since the worker started (ramp included), never reset: rates are differences.
    let readIOs = Atomic<UInt64>(0)
    let readBytes = Atomic<UInt64>(0)
    let writeIOs = Atomic<UInt64>(0)
    let writeBytes = Atomic<UInt64>(0)
    /// Bytes issued (the size-based job's progress).
    let issued = Atomic<UInt64>(0)
    /// Monotonic time the current phase started.
    let phaseStart = Atomic<UInt64>(0)
    /// Set by the watcher when the job (or its group) has attained steady state: stop issuing.
    let steady = Atomic<Bool>(false)
    private let closed = Mutex<[IntervalRecord]>([])
    /// The per-I/O log, handed over once when the worker is done (nil: none asked for).
    private let perIOLog = Mutex<PerIOLog?>(nil)

    var currentPhase: WorkerPhase { WorkerPhase(rawValue: phase.load(ordering: .relaxed)) ?? .starting }

    func enter(_ p: WorkerPhase, at now: UInt64) {
        phaseStart.store(now, ordering: .relaxed)
        phase.store(p.rawValue, ordering: .releasing)
    }

    func publish(_ record: IntervalRecord) { closed.withLock { $0.append(record) } }

    func handOver(_ log: PerIOLog) { perIOLog.withLock { $0 = log } }

    /// Takes the per-I/O log the worker handed over, if any.
    func takePerIOLog() -> PerIOLog? { perIOLog.withLock { $0.take() } }

    /// Takes the intervals closed since the last call.
    func drain() -> [IntervalRecord] {
        closed.withLock { r in
            if r.isEmpty { return [] }
            defer { r = [] }
            return r
        }
    }
}
