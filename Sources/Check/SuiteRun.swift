import Engine
import Glibc
import Harness
import Workload

/// Where `check` measures: the `--target` itself, or for a directory one temporary file inside
/// it (laid out once for all the runs); a path that does not exist yet is a file check creates.
/// A file check creates is removed by `remove()`.
public struct CheckTarget: Sendable {
    public let path: String
    /// check made the file (it may overwrite it and removes it at the end).
    public let created: Bool

    public init(_ target: String, processID: Int32 = getpid()) {
        switch try? Targets.classify(target) {
        case .directory?:
            path = "\(target.hasSuffix("/") ? String(target.dropLast()) : target)/.tierbench-check-\(processID).dat"
            created = true
        case .missing?:
            path = target
            created = true
        default:
            path = target
            created = false
        }
    }

    public func remove() { if created { unlink(path) } }
}

/// One volume's check: the queue-depth search (unless a depth is given), the suite, the verdict.
/// `run` is given each set of jobs to run on the target; `stopped` tells whether a signal asked
/// the check to stop.
public struct SuiteRun {
    public var judge: Judge
    public var runtimeNanoseconds: UInt64
    public var rampNanoseconds: UInt64
    public var stepNanoseconds: UInt64
    /// `--iodepth`: the random jobs' depth, no search.
    public var depth: Int?
    public var sustained: Bool

    public init(subject: CheckSubject, promise: Promise, runtimeNanoseconds: UInt64, rampNanoseconds: UInt64,
                stepNanoseconds: UInt64, depth: Int?, sustained: Bool) {
        judge = Judge(subject: subject, promise: promise)
        self.runtimeNanoseconds = runtimeNanoseconds; self.rampNanoseconds = rampNanoseconds
        self.stepNanoseconds = stepNanoseconds; self.depth = depth; self.sustained = sustained
    }

    public struct Outcome {
        public var verdict: SubjectVerdict
        /// A signal stopped the check.
        public var interrupted: Bool
        /// An I/O error failed a job of the suite.
        public var failed: Bool
        /// The suite's run; nil when stopped before it.
        public var result: RunResult?
    }

    /// Steps the queue depth (16 KiB random reads from Little's law, doubling while IOPS gain),
    /// runs the suite at the depth kept, judges it. `note` gets each step and the plan's notes.
    public func measure(note: (String) -> Void, stopped: () -> Bool,
                        run: ([JobSpec]) throws(RunError) -> RunResult) throws(RunError) -> Outcome {
        let subject = judge.subject, promise = judge.promise
        var judge = judge
        var plan = SuitePlan(judge: judge, runtimeNanoseconds: runtimeNanoseconds, rampNanoseconds: rampNanoseconds, randomDepth: depth, sustained: sustained)
        var search: DepthSearch?
        if depth == nil && plan.jobs.contains(where: { $0.rw.isRandom && $0.iodepth > 1 }) {
            var d = DepthSearch(littleDepth: plan.littleDepth)
            while let next = d.next, !stopped() {
                note("queue depth step: 16 KiB random reads at QD\(next) for \(Judge.duration(Double(stepNanoseconds) / 1e9))")
                let r = try run([SuitePlan.stepJob(depth: next, runtimeNanoseconds: stepNanoseconds, rampNanoseconds: min(rampNanoseconds, 1_000_000_000))])
                d.record(depth: next, iops: r.aggregates.first?.read?.iops ?? 0)
                if r.failed { break }
            }
            search = d
            plan = SuitePlan(judge: judge, runtimeNanoseconds: runtimeNanoseconds, rampNanoseconds: rampNanoseconds, randomDepth: d.chosen, sustained: sustained)
        }
        judge.skipNanoseconds = plan.skipNanoseconds
        for n in plan.notes { note(n) }
        if stopped() {
            return Outcome(verdict: SubjectVerdict(subject: subject, promise: promise, depthSearch: search, notes: plan.notes, metrics: []),
                           interrupted: true, failed: false, result: nil)
        }
        let result = try run(plan.jobs)
        let metrics = MeasuredResults.jobs(of: result).flatMap(judge.judge)
        let notes = plan.notes + (subject.resolved.sizeGiB * 1_073_741_824 > Double(result.target.sizeBytes) * 1.01
            ? ["the target is \(Units.formatSize(result.target.sizeBytes)), the volume \(subject.resolved.size.text): the tier's numbers are for the volume size given"] : [])
        return Outcome(verdict: SubjectVerdict(subject: subject, promise: promise, depthSearch: search, notes: notes, metrics: metrics),
                       interrupted: result.interrupted, failed: result.failed, result: result)
    }
}
