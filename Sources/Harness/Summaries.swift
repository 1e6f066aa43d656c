import Engine
import Stats

/// How a run turns counters into summaries: the percentiles it reports, and which intervals its
/// interval statistics (bandwidth and IOPS min, max, mean, deviation) take: the full ones, or all
/// when none is full (a span shorter than one interval).
struct Summaries {
    var intervalNanoseconds: UInt64
    var percentiles: PercentileList

    /// The read and write summaries over `spanNanoseconds`; nil for a direction the jobs do not use.
    func of(read: DirectionCounters, write: DirectionCounters, reads: Bool, writes: Bool, spanNanoseconds span: UInt64,
            intervals: [IntervalSample]) -> (read: DirectionSummary?, write: DirectionSummary?) {
        let full = intervals.filter { $0.durationNs >= intervalNanoseconds }
        let spread = full.isEmpty ? intervals : full
        return (reads ? read.summary(spanNanoseconds: span, percentiles: percentiles, intervals: spread.compactMap(\.read)) : nil,
                writes ? write.summary(spanNanoseconds: span, percentiles: percentiles, intervals: spread.compactMap(\.write)) : nil)
    }

    /// The sync operations' summary; nil when there were none.
    func of(sync: SyncCounters) -> SyncSummary? {
        sync.ios > 0 ? sync.summary(percentiles: percentiles) : nil
    }
}

extension Aggregate {
    /// The workers' outcomes added: counters, histograms, CPU and errors summed, rates over the
    /// longest span. `intervals`: their interval series, already merged.
    init(name: String, scope: Scope, groupIndex: Int, outcomes: [WorkerOutcome], intervals: [IntervalSample],
         reads: Bool, writes: Bool, summaries: Summaries) {
        var read = DirectionCounters(), write = DirectionCounters(), sync = SyncCounters()
        var cpu = CPUUsage()
        var errors: [Int32: UInt64] = [:]
        for o in outcomes {
            read.add(o.read); write.add(o.write); sync.add(o.sync); cpu.add(o.cpu)
            errors.merge(o.errorCounts, uniquingKeysWith: +)
        }
        let span = outcomes.map(\.measuredNanoseconds).max() ?? 0
        (self.read, self.write) = summaries.of(read: read, write: write, reads: reads, writes: writes, spanNanoseconds: span, intervals: intervals)
        self.sync = summaries.of(sync: sync)
        self.name = name
        self.scope = scope
        self.groupIndex = groupIndex
        self.clones = outcomes.count
        self.runtimeNs = span
        self.intervals = intervals
        self.cpu = cpu
        self.errors = Errno.countsByName(errors)
        self.interrupted = outcomes.contains { $0.interrupted }
        self.failed = outcomes.contains { $0.failed }
    }
}
