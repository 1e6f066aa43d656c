import Engine
import Glibc
import Stats
import Workload

/// Who hears about a run while it happens. Every callback runs on the thread that called
/// `Runner.run()`, never on a worker.
public struct RunObserver {
    /// One-line notes (engine fallback, layout).
    public var note: (String) -> Void
    /// The state of the run, about every `Progress.period`.
    public var progress: ((Progress) -> Void)?
    /// Each interval of each job once every clone has closed it.
    public var interval: ((IntervalEvent) -> Void)?
    /// Each clone's per-I/O log (fio's write_*_log without log_avg_msec) once its job is done.
    public var perIOLog: ((PerIOLogEvent) -> Void)?

    public init(note: @escaping (String) -> Void, progress: ((Progress) -> Void)? = nil, interval: ((IntervalEvent) -> Void)? = nil,
                perIOLog: ((PerIOLogEvent) -> Void)? = nil) {
        self.note = note; self.progress = progress; self.interval = interval; self.perIOLog = perIOLog
    }
}

/// What the progress line shows.
public struct Progress: Sendable {
    public enum Phase: String, Sendable { case layout, ramp, run }
    /// How often progress is reported: at most 4 times a second.
    public static let period: UInt64 = 250_000_000

    public var job: String
    public var jobIndex: Int
    public var jobCount: Int
    public var phase: Phase
    /// Share done, 0...1, when it is known.
    public var fraction: Double?
    public var elapsedNs: UInt64 = 0
    public var etaNs: UInt64?
    public var reads: Bool
    public var writes: Bool
    public var readIOPS: Double = 0
    public var readBytesPerSecond: Double = 0
    public var writeIOPS: Double = 0
    public var writeBytesPerSecond: Double = 0

    public init(job: String, jobIndex: Int, jobCount: Int, phase: Phase, reads: Bool, writes: Bool) {
        self.job = job; self.jobIndex = jobIndex; self.jobCount = jobCount; self.phase = phase
        self.reads = reads; self.writes = writes
    }
}

/// One interval of one job: every clone's, and all of them merged.
public struct IntervalEvent: Sendable {
    public var job: String
    public var jobIndex: Int
    public var aggregate: IntervalSample
    /// Each clone's interval (`clone` set); a clone that has finished has none.
    public var perClone: [IntervalSample]
}

/// Watches one job's workers from the calling thread while they run: merges their intervals
/// as they close (in index order, histograms added) and reports progress.
final class JobWatch {
    let spec: JobSpec
    let index: Int
    let jobCount: Int
    let workers: [WorkerThread]
    let interval: UInt64
    let observer: RunObserver
    /// index -> clone -> record
    private var pending: [Int: [Int: IntervalRecord]] = [:]
    private var nextIndex = 0
    private(set) var merged: [IntervalSample] = []
    /// With group_reporting only: the same intervals as counters, so a group's jobs can add them
    /// (each holds latency histograms, ~74 KB: not kept when nothing needs them).
    private(set) var mergedRecords: [IntervalRecord] = []
    private var lastProgress: UInt64 = 0
    private var lastCounts: (at: UInt64, rIOs: UInt64, rBytes: UInt64, wIOs: UInt64, wBytes: UInt64)?

    let lives: [WorkerLive]
    /// What the size-based clones move in all (the progress fraction's whole).
    let totalBytes: UInt64

    /// Keep `mergedRecords` (the job is part of a group report).
    let keepRecords: Bool

    init(spec: JobSpec, index: Int, jobCount: Int, workers: [WorkerThread], intervalNanoseconds: UInt64, observer: RunObserver,
         keepRecords: Bool = false) {
        self.keepRecords = keepRecords
        self.spec = spec; self.index = index; self.jobCount = jobCount; self.workers = workers
        self.interval = intervalNanoseconds; self.observer = observer
        self.lives = workers.map(\.config.live)
        totalBytes = workers.reduce(0) { $0 &+ $1.config.limits.total }
    }

    /// Polls every 50 ms until every worker is done.
    func untilDone() { Self.untilDone([self]) }

    /// Polls every 50 ms until every worker of every job (running concurrently) is done; progress
    /// shows the first job still running.
    static func untilDone(_ watches: [JobWatch], steady: SteadyStateMonitor? = nil) {
        while true {
            steady?.poll()
            var allDone = true
            var reported = false
            for w in watches {
                let done = w.lives.allSatisfy { $0.currentPhase == .done }
                w.collect(finished: false)
                if !done {
                    allDone = false
                    if !reported { w.reportProgress(); reported = true }
                }
            }
            if allDone { return }
            var ts = timespec(tv_sec: 0, tv_nsec: 50_000_000)
            nanosleep(&ts, nil)
        }
    }

    /// After the workers are joined: the intervals still pending, in order, and the clones'
    /// per-I/O logs.
    func finish() {
        collect(finished: true)
        for (clone, live) in lives.enumerated() {
            guard let log = live.takePerIOLog() else { continue }
            observer.perIOLog?(PerIOLogEvent(jobIndex: index, clone: clone, log: log))
        }
    }

    private func collect(finished: Bool) {
        for (clone, live) in lives.enumerated() {
            for record in live.drain() { pending[record.index, default: [:]][clone] = record }
        }
        // Interval i is complete when every clone has closed it or will close no more.
        while let records = pending[nextIndex] {
            let complete = finished || lives.enumerated().allSatisfy { clone, live in
                records[clone] != nil || live.currentPhase == .done
            }
            guard complete else { break }
            pending[nextIndex] = nil
            emit(records.sorted { $0.key < $1.key }.map { (clone: $0.key, record: $0.value) })
            nextIndex += 1
        }
    }

    private func emit(_ records: [(clone: Int, record: IntervalRecord)]) {
        var sum = IntervalRecord(index: nextIndex, startNs: records.map(\.record.startNs).min() ?? 0,
                                 durationNs: records.map(\.record.durationNs).max() ?? 0,
                                 read: IntervalCounters(), write: IntervalCounters())
        for r in records { sum.add(r.record) }
        let aggregate = sum.sample(reads: spec.rw.reads, writes: spec.rw.writes)
        merged.append(aggregate)
        if keepRecords { mergedRecords.append(sum) }
        observer.interval?(IntervalEvent(
            job: spec.name, jobIndex: index, aggregate: aggregate,
            perClone: records.map { clone, record in
                var s = record.sample(reads: spec.rw.reads, writes: spec.rw.writes)
                s.clone = clone
                return s
            }))
    }

    private func reportProgress() {
        guard let report = observer.progress else { return }
        let now = monotonicNanoseconds()
        guard now &- lastProgress >= Progress.period else { return }
        lastProgress = now
        let phases = lives.map(\.currentPhase)
        guard phases.contains(where: { $0 == .ramp || $0 == .run }) else { return }
        let ramp = phases.contains(.ramp)
        let phaseStart = lives.map { $0.phaseStart.load(ordering: .relaxed) }.filter { $0 > 0 }.min() ?? now
        var p = Progress(job: spec.name, jobIndex: index, jobCount: jobCount, phase: ramp ? .ramp : .run,
                         reads: spec.rw.reads, writes: spec.rw.writes)
        p.elapsedNs = now &- phaseStart
        if ramp {
            p.fraction = min(1, Double(p.elapsedNs) / Double(max(spec.rampTimeNanoseconds, 1)))
            p.etaNs = spec.rampTimeNanoseconds > p.elapsedNs ? spec.rampTimeNanoseconds - p.elapsedNs : 0
        } else {
            var fractions: [Double] = []
            if let runtime = spec.runtimeNanoseconds { fractions.append(Double(p.elapsedNs) / Double(max(runtime, 1))) }
            if !spec.timeBased {
                let issued = lives.map { $0.issued.load(ordering: .relaxed) }.reduce(0, +)
                if totalBytes > 0 { fractions.append(Double(issued) / Double(totalBytes)) }
            }
            if let f = fractions.max() {
                p.fraction = min(1, f)
                p.etaNs = f > 0 ? UInt64(Double(p.elapsedNs) * max(0, 1 - f) / f) : nil
            }
        }
        let counts = (at: now,
                      rIOs: lives.map { $0.readIOs.load(ordering: .relaxed) }.reduce(0, +),
                      rBytes: lives.map { $0.readBytes.load(ordering: .relaxed) }.reduce(0, +),
                      wIOs: lives.map { $0.writeIOs.load(ordering: .relaxed) }.reduce(0, +),
                      wBytes: lives.map { $0.writeBytes.load(ordering: .relaxed) }.reduce(0, +))
        if let last = lastCounts, now > last.at {
            let seconds = Double(now - last.at) / 1e9
            p.readIOPS = Double(counts.rIOs &- last.rIOs) / seconds
            p.readBytesPerSecond = Double(counts.rBytes &- last.rBytes) / seconds
            p.writeIOPS = Double(counts.wIOs &- last.wIOs) / seconds
            p.writeBytesPerSecond = Double(counts.wBytes &- last.wBytes) / seconds
        }
        lastCounts = counts
        report(p)
    }
}
