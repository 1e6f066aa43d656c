import Engine
import Glibc
import Stats
import Workload

/// Runs jobs against their targets (`TargetSet`: one per file the jobs give), as fio: the jobs from one `stonewall` to the next run
/// concurrently, these sets one after another (jobs from the command line all have `stonewall`,
/// so they run one after another); each job's clones run concurrently, one worker thread each.
///
/// The parts of a run live in files of their own: the target (RunTarget), what is refused
/// (RunValidation), the engine (EngineSelection), the layout pass (TargetLayout), a job's
/// workers and results (RunningJob), fio's sets and groups (ReportingGroups), the verify pass
/// (VerifyPass).
public struct Runner {
    public static let version = "0.2.0"
    let request: RunRequest
    let observer: RunObserver
    var note: (String) -> Void { observer.note }

    /// - Parameter note: receives one-line notes (engine fallback, layout) as they happen.
    public init(_ request: RunRequest, note: @escaping (String) -> Void) {
        self.init(request, observer: RunObserver(note: note))
    }

    public init(_ request: RunRequest, observer: RunObserver) {
        self.request = request
        self.observer = observer
    }

    public func run() throws(RunError) -> RunResult {
        try validateFileSets()
        // fio's generated names (nrfiles, filename_format) without a directory: fio makes them in
        // the current directory; tierbench in a temporary directory there, removed after the run.
        guard request.jobs.contains(where: { $0.fileSet?.generated == true && $0.fileSet?.directory == nil }) else { return try runOnTargets() }
        let dir: String
        do { dir = try makeTemporaryDirectory("./.tierbench-XXXXXX") } catch {
            throw .usage("cannot create a temporary directory in the current directory (\(error.text)); run from a writable directory or give directory=")
        }
        defer { try? removeDirectory(dir) }
        var inDirectory = request
        for i in inDirectory.jobs.indices where inDirectory.jobs[i].fileSet?.generated == true && inDirectory.jobs[i].fileSet?.directory == nil {
            inDirectory.jobs[i].fileSet?.directory = dir
        }
        return try Runner(inDirectory, observer: observer).runOnTargets()
    }

    func runOnTargets() throws(RunError) -> RunResult {
        let startTime = utcTimestamp()
        let environment = Environment.current()
        var targets = try prepareTargets()
        defer { targets.release() }
        let device: DeviceInfo?, filesystemType: String?, engine: EngineChoice, engineNotes: [String], layout: LayoutResult?
        do {
            try targets.check()
            (device, filesystemType) = TargetDetails.of(targets.first.path)
            (engine, engineNotes) = try chooseEngine()
            layout = try targets.layOut()
        } catch {
            targets.removeCreated()
            throw error
        }

        var jobs: [JobResult] = []
        var aggregates: [Aggregate] = []
        var groups: [Aggregate] = []
        var noted = Set(engineNotes)
        let groupOf = Self.reportingGroups(request.jobs)
        let reportOf = Self.groupReports(request.jobs, groups: groupOf)
        let jobsStart = monotonicNanoseconds()
        for set in Self.stonewallSets(request.jobs) {
            if RunControl.shared.stopRequested { break }
            // Every job of the set is set up (files opened) before any starts, so a failure leaves
            // nothing running.
            var running: [RunningJob] = []
            do {
                for index in set {
                    running.append(try prepareJob(request.jobs[index], index: index, group: groupOf[index], targets: targets,
                                                  engine: engine, engineNotes: engineNotes, keepRecords: reportOf[index] != nil))
                }
            } catch {
                for job in running { job.fds.forEach(closeFile) }
                throw error
            }
            let steady = SteadyStateMonitor(running, reportOf: reportOf)
            for job in running { for w in job.workers { w.start() } }
            JobWatch.untilDone(running.map(\.watch), steady: steady.isEmpty ? nil : steady)
            var finished: [FinishedJob] = []
            for job in running {
                let done = try finishJob(job, targets: targets, engine: engine, engineNotes: engineNotes, jobsStart: jobsStart, steady: steady)
                // Engine set-up notes (e.g. registered buffers refused) arise on the worker threads: say each once.
                for line in done.results.flatMap(\.engine.notes) where noted.insert(line).inserted { note(line) }
                jobs += done.results
                aggregates.append(done.aggregate)
                finished.append(done)
            }
            groups += groupAggregates(set, finished, reportOf: reportOf)
        }
        let signal = RunControl.shared.stopRequestedBy
        return RunResult(
            version: Self.version, startTimeUTC: startTime, environment: environment, target: targets.first,
            device: device, filesystemType: filesystemType,
            settings: RunSettings(intervalNs: request.intervalNanoseconds, percentiles: request.percentiles.values),
            layout: layout, jobs: jobs, aggregates: aggregates, groups: groups.isEmpty ? nil : groups,
            interrupted: signal != nil || jobs.contains { $0.interrupted },
            interruptedBy: signal.map { $0 == SIGINT ? "SIGINT" : $0 == SIGTERM ? "SIGTERM" : "signal \($0)" },
            failed: jobs.contains { $0.failed })
    }
}
