import Engine
import Stats
import Workload

/// A job whose workers are running.
struct RunningJob {
    var spec: JobSpec
    var index: Int
    var group: Int
    var workers: [WorkerThread]
    var fds: [Int32]
    var watch: JobWatch
    var verifyRecorders: [VerifyRecorder?]
}

/// A job whose workers are done: what it measured.
struct FinishedJob {
    var job: RunningJob
    /// One per clone.
    var results: [JobResult]
    /// The clones together.
    var aggregate: Aggregate
    var outcomes: [WorkerOutcome]
    /// The merged interval records, for a group report (empty when the job is in none).
    var records: [IntervalRecord]
}

/// Starting a job's workers and collecting their results.
extension Runner {
    var summaries: Summaries { Summaries(intervalNanoseconds: request.intervalNanoseconds, percentiles: request.percentiles) }

    /// Opens the job's files and creates its workers (not started yet). `keepRecords`: the job is
    /// part of a group report, which adds its interval records.
    func prepareJob(_ spec: JobSpec, index: Int, group: Int, targets: TargetSet, engine: EngineChoice, engineNotes: [String],
                    keepRecords: Bool) throws(RunError) -> RunningJob {
        let useEngine: EngineChoice = spec.ioengine == .psync ? .psync : engine
        let t = targets.info(ofPath: path(ofJob: spec))
        let verifyRecorders = try verifyRecorders(spec, target: t)
        var workers: [WorkerThread] = []
        var fds: [Int32] = []
        var opened = false
        defer { if !opened { fds.forEach(closeFile) } }
        for clone in 0..<spec.numjobs {
            var files: [WorkerFile] = []
            for (path, onFile) in self.files(of: spec, clone: clone) {
                let info = targets.info(ofPath: path)
                let r = onFile.range(clone: clone, targetSize: info.sizeBytes)
                let fd = try openTarget(info.path, write: spec.rw.writes, direct: spec.direct, synced: spec.syncOpen)
                fds.append(fd)
                // fio's invalidate (file_invalidate_cache): the clone's range leaves the page cache.
                if spec.invalidate != false { dropPageCache(fd, offset: r.start, length: r.length) }
                files.append(WorkerFile(fd: fd, rangeStart: r.start, rangeLength: r.length))
            }
            workers.append(WorkerThread(WorkerConfig(
                spec: spec, clone: clone, files: files, blocks: files[0].rangeLength / spec.blockSizeBytes,
                engine: useEngine, engineNotes: useEngine == engine ? engineNotes : [],
                alignment: max(t.directIOAlignmentBytes, 4096), digestReads: request.checksumReads,
                intervalNanoseconds: request.intervalNanoseconds, live: WorkerLive(), verify: verifyRecorders[clone])))
        }
        let watch = JobWatch(spec: spec, index: index, jobCount: request.jobs.count, workers: workers,
                             intervalNanoseconds: request.intervalNanoseconds, observer: observer, keepRecords: keepRecords)
        opened = true
        return RunningJob(spec: spec, index: index, group: group, workers: workers, fds: fds, watch: watch, verifyRecorders: verifyRecorders)
    }

    /// Joins a job's workers (which are done) and builds its results; runs its verify pass.
    func finishJob(_ job: RunningJob, targets: TargetSet, engine: EngineChoice, engineNotes: [String], jobsStart: UInt64,
                   steady: SteadyStateMonitor? = nil) throws(RunError) -> FinishedJob {
        let spec = job.spec
        let t = targets.info(ofPath: path(ofJob: spec))
        defer { job.fds.forEach(closeFile) }
        let useEngine: EngineChoice = spec.ioengine == .psync ? .psync : engine
        let reason = spec.ioengine == .psync ? "--ioengine psync"
            : useEngine == .psync ? (engineNotes.first ?? "io_uring unavailable")
            : spec.ioengine == .ioUring ? "--ioengine io_uring" : "io_uring available (the default)"
        let outcomes = job.workers.map { $0.join() }
        job.watch.finish()

        var results = outcomes.enumerated().map { clone, o in
            let files = job.workers[clone].config.files
            let paths = self.files(of: spec, clone: clone).map { targets.info(ofPath: $0.path).path }
            var engine = o.engine
            engine.reason = reason
            let ios = o.read.ios + o.write.ios
            let (read, write) = summaries.of(read: o.read, write: o.write, reads: spec.rw.reads, writes: spec.rw.writes,
                                             spanNanoseconds: o.measuredNanoseconds, intervals: o.intervals)
            var result = JobResult(
                name: spec.name, jobIndex: job.index, groupIndex: job.group, clone: clone, parameters: spec, engine: engine, rangeStartBytes: files[0].rangeStart,
                rangeLengthBytes: files.reduce(0) { $0 + $1.rangeLength / spec.smallestBlockBytes * spec.smallestBlockBytes },
                runtimeNs: o.measuredNanoseconds, read: read, write: write, intervals: o.intervals, cpu: o.cpu,
                clockReadsPerIO: ios > 0 ? Double(o.clockReads) / Double(ios) : 0,
                errors: Errno.countsByName(o.errorCounts), firstError: o.firstError, interrupted: o.interrupted, failed: o.failed,
                readDigest: request.checksumReads ? o.readDigest : nil)
            result.files = paths
            result.sync = summaries.of(sync: o.sync)
            result.verify = o.backlogVerify  // the verify pass adds its own checks to these
            result.steadyState = steady?.result(job: job.index, clone: clone)
            result.measuredStartNs = o.measureStartMonotonicNs > jobsStart ? o.measureStartMonotonicNs - jobsStart : 0
            return result
        }
        if results.contains(where: { $0.failed }) {
            let paths = Set((0..<spec.numjobs).flatMap { files(of: spec, clone: $0).map(\.path) })
            for path in paths where targets.info(ofPath: path).kind == .blockDevice { explainDeviceChange(targets.info(ofPath: path)) }
        }
        try verifyPass(spec, target: t, recorders: job.verifyRecorders, results: &results)
        let aggregate = Aggregate(name: spec.name, scope: .job(index: job.index), groupIndex: job.group, outcomes: outcomes,
                                  intervals: job.watch.merged, reads: spec.rw.reads, writes: spec.rw.writes, summaries: summaries)
        return FinishedJob(job: job, results: results, aggregate: aggregate, outcomes: outcomes, records: job.watch.mergedRecords)
    }
}
