/// One clone's per-I/O log, once its job is done.
public struct PerIOLogEvent: Sendable {
    public var jobIndex: Int
    public var clone: Int
    let log: PerIOLog
}

/// The per-I/O logs of a run's clones as their jobs finish (a `RunObserver.perIOLog`), for the
/// log writer after the run.
public final class PerIOLogs {
    private var byClone: [PerIOKey: PerIOLog] = [:]

    public init() {}

    public func add(_ event: PerIOLogEvent) { byClone[PerIOKey(job: event.jobIndex, clone: event.clone)] = event.log }

    subscript(job job: Int, clone clone: Int) -> PerIOLog? { byClone[PerIOKey(job: job, clone: clone)] }
}

struct PerIOKey: Hashable {
    var job: Int
    var clone: Int
}
