import Engine
import Glibc
import Stats
import Workload

/// What to run and where.
public struct RunRequest: Sendable {
    /// nil: a scratch file in a new temporary directory under the current directory, removed after.
    public var targetPath: String?
    public var jobs: [JobSpec]
    public var allowDeviceWrites = false
    /// Permits writing to a device the guard found in use or holding data (`DeviceGuard`).
    public var forceDestructive = false
    /// Permits writing into an existing regular file that tierbench did not create.
    public var overwrite = false
    /// Digest every read buffer (tests use it to prove reads return the file's bytes).
    public var checksumReads = false
    /// Size of a file tierbench creates when no job gives `--size`.
    public var defaultNewFileBytes: UInt64 = 1 << 30
    /// Length of a time-series interval (`--interval`).
    public var intervalNanoseconds: UInt64 = 1_000_000_000
    /// The percentiles to report (`--percentiles`).
    public var percentiles = PercentileList.fioDefault
    /// Tests: called with the target's path between a `--verify` job's writes and its verify pass.
    var beforeVerifyPass: (@Sendable (String) -> Void)?

    public init(targetPath: String?, jobs: [JobSpec]) {
        self.targetPath = targetPath
        self.jobs = jobs
    }
}

/// Why a run could not be done: `usage` is the user's to fix (exit 2), `failed` is the system's (exit 1).
public enum RunError: Error, Sendable, CustomStringConvertible {
    case usage(String)
    case failed(String)
    /// The user's mistake in one job's options (the job's index in the request), found at run
    /// time: a front end words it in its own language (`--bs 3000B` or `bs=3000B` at file:line).
    case input(InputError, job: Int)
    public var description: String {
        switch self {
        case .usage(let m), .failed(let m): m
        case .input(let e, _): e.message
        }
    }
}

/// Runs jobs against one target, as fio: the jobs from one `stonewall` to the next run
/// concurrently, these sets one after another (jobs from the command line all have `stonewall`,
/// so they run one after another); each job's clones run concurrently, one worker thread each.
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
        let startTime = utcTimestamp()
        let environment = Environment.current()
        var target = try prepareTarget()
        defer { removeScratch(target) }
        let device: DeviceInfo?, filesystemType: String?, engine: EngineChoice, engineNotes: [String], layout: LayoutResult?
        var claim: Int32 = -1
        defer { if claim >= 0 { close(claim) } }
        do {
            try validate(target.info)
            claim = try claimDevice(target.info)
            (device, filesystemType) = TargetDetails.of(target.info.path)
            (engine, engineNotes) = try chooseEngine()
            layout = try layOut(&target)
        } catch {
            // A file this run created but never measured on (refused input, failed or interrupted
            // layout) is not left behind.
            if target.info.created && !target.info.scratch { unlink(target.info.path) }
            throw error
        }

        var jobs: [JobResult] = []
        var aggregates: [JobAggregate] = []
        var groups: [GroupAggregate] = []
        var noted = Set(engineNotes)
        let groupOf = Self.reportingGroups(request.jobs)
        let reportOf = Self.groupReports(request.jobs, groups: groupOf)
        let jobsStart = monotonicNanoseconds()
        // fio's stonewall: the jobs from one stonewall to the next run concurrently (each with its
        // clones); these sets run one after another. Reporting groups (`new_group`) lie inside them.
        var first = 0
        while first < request.jobs.count {
            if RunControl.shared.stopRequested { break }
            var end = first + 1
            while end < request.jobs.count && request.jobs[end].stonewall != true { end += 1 }
            // Every job of the set is set up (files opened) before any starts, so a failure leaves
            // nothing running.
            var running: [RunningJob] = []
            do {
                for index in first..<end {
                    running.append(try prepareJob(request.jobs[index], index: index, group: groupOf[index], target: target.info,
                                                  engine: engine, engineNotes: engineNotes, keepRecords: reportOf[index] != nil))
                }
            } catch {
                for job in running { for fd in job.fds { close(fd) } }
                throw error
            }
            for job in running { for w in job.workers { w.start() } }
            JobWatch.untilDone(running.map(\.watch))
            var finished: [(results: [JobResult], aggregate: JobAggregate, outcomes: [WorkerOutcome], records: [IntervalRecord])] = []
            for job in running {
                let (results, aggregate, outcomes) = try finishJob(job, target: target.info, engine: engine, engineNotes: engineNotes, jobsStart: jobsStart)
                // Engine set-up notes (e.g. registered buffers refused) arise on the worker threads: say each once.
                for line in results.flatMap(\.engine.notes) where noted.insert(line).inserted { note(line) }
                jobs += results
                aggregates.append(aggregate)
                finished.append((results, aggregate, outcomes, job.watch.mergedRecords))
            }
            // group_reporting: each group report of this set, its jobs as one.
            for lead in Set((first..<end).compactMap { reportOf[$0] }).sorted() {
                let members = (first..<end).filter { reportOf[$0] == lead }
                let parts = members.map { finished[$0 - first] }
                groups.append(groupAggregate(group: groupOf[lead], jobIndices: members, outcomes: parts.flatMap(\.outcomes),
                                             records: parts.map(\.records)))
            }
            first = end
        }
        let signal = RunControl.shared.stopRequestedBy
        return RunResult(
            version: Self.version, startTimeUTC: startTime, environment: environment, target: target.info,
            device: device, filesystemType: filesystemType,
            settings: RunSettings(intervalNs: request.intervalNanoseconds, percentiles: request.percentiles.values),
            layout: layout, jobs: jobs, aggregates: aggregates, groups: groups.isEmpty ? nil : groups,
            interrupted: signal != nil || jobs.contains { $0.interrupted },
            interruptedBy: signal.map { $0 == SIGINT ? "SIGINT" : $0 == SIGTERM ? "SIGTERM" : "signal \($0)" },
            failed: jobs.contains { $0.failed })
    }

    // MARK: - Target

    struct PreparedTarget {
        var info: TargetInfo
        var scratchDirectory: String?
    }

    var writes: Bool { request.jobs.contains { $0.rw.writes } }
    var reads: Bool { request.jobs.contains { $0.rw.reads } }
    var direct: Bool { request.jobs.contains { $0.direct } }

    /// The furthest byte any clone of any job touches, given the target's size (nil = not known yet).
    /// A new file is as large as the jobs with a size need; a job with `size=N%` covers a share of it.
    func furthestEnd(targetSize: UInt64?) -> UInt64 {
        let sized = request.jobs.contains { $0.sizePercent == nil }
        return request.jobs.map { job in
            (0..<job.numjobs).map { clone in
                let r = job.range(clone: clone, targetSize: targetSize ?? request.defaultNewFileBytes)
                if targetSize == nil, sized, job.sizePercent != nil { return r.start }
                let (end, overflow) = r.start.addingReportingOverflow(job.sizeBytes ?? (targetSize == nil ? request.defaultNewFileBytes : r.length))
                return overflow ? UInt64.max : end
            }.max() ?? 0
        }.max() ?? 0
    }

    func prepareTarget() throws(RunError) -> PreparedTarget {
        guard let path = request.targetPath else {
            var template = Array("./.tierbench-XXXXXX".utf8CString)
            guard let dir = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
                throw .usage("cannot create a temporary directory in the current directory (\(Errno.current.text)); run from a writable directory or give --target")
            }
            let dirPath = String(cString: dir)
            return PreparedTarget(info: try createFile("\(dirPath)/target.dat", scratch: true), scratchDirectory: dirPath)
        }
        let kind: Targets.PathKind
        do { kind = try Targets.classify(path) } catch { throw .usage(error.message) }
        switch kind {
        case .missing:
            return PreparedTarget(info: try createFile(path, scratch: false))
        case .directory:
            let file = "\(path.hasSuffix("/") ? String(path.dropLast()) : path)/.tierbench-\(getpid()).dat"
            return PreparedTarget(info: try createFile(file, scratch: true))
        case .regularFile(let size):
            let fd = try openTarget(path, write: false, direct: direct)
            defer { close(fd) }
            let align = direct ? (Targets.fileDirectIOAlignment(fd) ?? 512) : 1
            return PreparedTarget(info: TargetInfo(
                path: path, kind: .file, sizeBytes: size, directIOAlignmentBytes: align, created: false, scratch: false))
        case .blockDevice:
            let fd = try openTarget(path, write: false, direct: direct)
            defer { close(fd) }
            do {
                let g = try Targets.blockDeviceGeometry(fd)
                return PreparedTarget(info: TargetInfo(
                    path: path, kind: .blockDevice, sizeBytes: g.sizeBytes, directIOAlignmentBytes: direct ? g.logicalBlockBytes : 1,
                    created: false, scratch: false))
            } catch {
                throw .failed("--target \(path): cannot read the device's size: \(error)")
            }
        case .other:
            throw .usage("--target \(path) is neither a regular file, a directory nor a block device; give one of those")
        }
    }

    func openTarget(_ path: String, write: Bool, direct: Bool, create: Bool = false) throws(RunError) -> Int32 {
        do { return try Targets.open(path, write: write, direct: direct, create: create) } catch { throw .usage(error.message) }
    }

    /// Creates `path` (which must not exist) at the size the jobs need.
    func createFile(_ path: String, scratch: Bool) throws(RunError) -> TargetInfo {
        let size = furthestEnd(targetSize: nil)
        guard size <= UInt64(Int64.max) else {
            throw .usage("--size/--offset/--offset-increment put the end of the job beyond the end of the largest possible file (8 EiB) at \(path); give smaller values")
        }
        let fd = try openTarget(path, write: true, direct: false, create: true)
        defer { close(fd) }
        let rc = posix_fallocate(fd, 0, off_t(size))
        if rc != 0 {
            unlink(path)
            if rc == ENOSPC || rc == EFBIG {
                throw .usage("--target \(path): no room for a \(Units.formatSize(size)) file (\(Errno(rc).name)); give a smaller --size or another --target")
            }
            if ftruncate(fd, off_t(size)) != 0 {
                throw .failed("--target \(path): cannot size the new file to \(size) bytes: \(Errno.current)")
            }
        }
        var align = 1
        if direct {
            do { align = try Targets.directIOAlignment(ofFile: path) } catch {
                unlink(path)
                throw .usage(error.message)
            }
        }
        return TargetInfo(path: path, kind: .file, sizeBytes: size, directIOAlignmentBytes: align, created: true, scratch: scratch)
    }

    func removeScratch(_ target: PreparedTarget) {
        if target.info.scratch { unlink(target.info.path) }
        if let dir = target.scratchDirectory { rmdir(dir) }
    }

    // MARK: - Validation

    func validate(_ t: TargetInfo) throws(RunError) {
        // A verify pass checks each block's last write by this job; another job writing at the
        // same time (no stonewall between them) could overwrite those blocks.
        var setStart = 0
        for (i, job) in request.jobs.enumerated() {
            if i > 0 && job.stonewall == true { setStart = i }
            guard job.verify != nil else { continue }
            var end = i + 1
            while end < request.jobs.count && request.jobs[end].stonewall != true { end += 1 }
            if let other = (setStart..<end).first(where: { $0 != i && request.jobs[$0].rw.writes }) {
                throw .usage("verify in job \(job.name) while job \(request.jobs[other].name) writes at the same time is not supported yet; put a stonewall between them")
            }
        }
        if writes && t.kind == .blockDevice && !request.allowDeviceWrites {
            throw .usage("--target \(t.path) is a block device and a job writes to it, destroying its data; pass --allow-device-writes if that is intended")
        }
        if writes && t.kind == .blockDevice && !request.forceDestructive {
            let findings = DeviceGuard.inspect(devicePath: t.path)
            if !findings.isEmpty { throw .usage(DeviceGuard.refusalMessage(devicePath: t.path, findings: findings)) }
        }
        if writes && t.kind == .file && !t.created && !request.overwrite {
            throw .usage("--target \(t.path) is an existing file and a job writes to it; pass --overwrite to let tierbench overwrite its contents, or give a path that does not exist")
        }
        let what = t.kind == .blockDevice ? "the device" : "the file"
        for (index, job) in request.jobs.enumerated() {
            func mistake(_ option: String, _ value: String?, _ problem: String) -> RunError {
                .input(InputError(option: option, value: value, problem), job: index)
            }
            let direct0 = InputError.mention("direct", "0")
            if job.direct {
                let a = UInt64(t.directIOAlignmentBytes)
                let unaligned = " is not a multiple of \(t.path)'s direct-I/O block size (\(a) bytes); use a multiple of \(a)"
                if let size = job.possibleBlockSizes.first(where: { $0 % a != 0 }) {
                    let split = job.blockSizes?.read.split != nil || job.blockSizes?.write.split != nil
                    if job.blockSizes != nil && !split {
                        throw .usage("--bs/--bsrange \(Units.formatSize(size))\(unaligned), or --direct 0")
                    }
                    throw mistake(split ? "bssplit" : "bs", Units.formatSize(size), unaligned + ", or \(direct0)")
                }
                if job.offsetBytes % a != 0 { throw mistake("offset", String(job.offsetBytes), unaligned + ", or \(direct0)") }
                if job.offsetIncrementBytes % a != 0 { throw mistake("offset-increment", String(job.offsetIncrementBytes), unaligned) }
            }
            if let cpus = job.cpusAllowed, CPUAffinity.usable(cpus).isEmpty {
                throw mistake("cpus-allowed", cpus.map(String.init).joined(separator: ","), " names no CPU this process may run on; give CPUs it may use (`taskset -cp $$` lists them)")
            }
            if job.timeBased && job.runtimeNanoseconds == nil {
                throw mistake("time-based", nil, " needs \(InputError.mention("runtime")) (how long to run), e.g. \(InputError.mention("runtime", "30s"))")
            }
            for clone in 0..<job.numjobs {
                let r = job.range(clone: clone, targetSize: t.sizeBytes)
                let (end, overflow) = r.start.addingReportingOverflow(r.length)
                if overflow || end > t.sizeBytes || r.start >= t.sizeBytes {
                    let place = clone == 0 ? "--offset \(job.offsetBytes)" : "--offset \(job.offsetBytes) + clone \(clone) x --offset-increment \(job.offsetIncrementBytes)"
                    throw .usage("--size \(job.sizeBytes.map(Units.formatSize) ?? "(to the end)") at \(place) goes beyond the end of \(what) \(t.path) (\(t.sizeBytes) bytes); give a smaller --size or --offset")
                }
                // Every I/O must fit in the range: the largest block either direction may issue.
                if r.length < job.blockSizeBytes {
                    throw mistake("bs", Units.formatSize(job.blockSizeBytes), "\(job.blockSizes == nil ? "" : " (the largest block)") is larger than the \(r.length) bytes job \(job.name) covers on \(t.path); give a smaller \(InputError.mention("bs")) or a larger \(InputError.mention("size"))")
                }
            }
        }
    }

    // MARK: - Engine

    func chooseEngine() throws(RunError) -> (EngineChoice, [String]) {
        let wanted = Set(request.jobs.map(\.ioengine))
        if wanted == [.psync] { return (.psync, []) }
        if let unavailable = EngineProbe.ioUringUnavailable() {
            if wanted.contains(.ioUring) {
                throw .failed("--ioengine io_uring: \(unavailable.cause); drop --ioengine to fall back to psync")
            }
            let line = "io_uring unavailable: \(unavailable.cause); running on psync"
            note(line)
            if request.jobs.contains(where: { $0.iodepth > 1 }) {
                note("psync is synchronous: every job runs at iodepth 1")
            }
            return (.psync, [line])
        }
        return (.ioUring, [])
    }

    // MARK: - Layout

    /// Writes a new target in full before jobs read it: reading holes measures nothing.
    func layOut(_ target: inout PreparedTarget) throws(RunError) -> LayoutResult? {
        let t = target.info
        guard t.created && reads else { return nil }
        let chunk = 1 << 20
        let buffers: AlignedBuffers
        do { buffers = try AlignedBuffers(count: 1, bytesPerSlot: chunk, alignment: 4096) } catch {
            throw .failed("cannot allocate the layout buffer: \(error)")
        }
        let buffer = buffers.buffer(0)
        let seed = request.jobs.first?.randseed ?? JobSpec.defaultSeed
        DataPattern.fillTemplate(buffer, length: chunk, seed: DataPattern.layoutSeed(seed))
        let useDirect = direct && t.sizeBytes % UInt64(t.directIOAlignmentBytes) == 0
        let fd = try openTarget(t.path, write: true, direct: useDirect)
        defer { close(fd) }
        note("laying out \(t.path): writing \(Units.formatSize(t.sizeBytes)) before the jobs read it")
        let start = monotonicNanoseconds()
        var offset: UInt64 = 0
        var lastProgress: UInt64 = 0
        while offset < t.sizeBytes {
            if RunControl.shared.stopRequested { throw .failed("interrupted while laying out \(t.path); nothing was measured") }
            if let progress = observer.progress {
                let now = monotonicNanoseconds()
                if now &- lastProgress >= Progress.period {
                    lastProgress = now
                    let elapsed = now - start
                    let fraction = Double(offset) / Double(t.sizeBytes)
                    var p = Progress(job: "layout", jobIndex: 0, jobCount: request.jobs.count, phase: .layout, reads: false, writes: true)
                    p.fraction = fraction
                    p.elapsedNs = elapsed
                    p.etaNs = fraction > 0 ? UInt64(Double(elapsed) * (1 - fraction) / fraction) : nil
                    p.writeBytesPerSecond = elapsed > 0 ? Double(offset) / (Double(elapsed) / 1e9) : 0
                    progress(p)
                }
            }
            let n = Int(min(UInt64(chunk), t.sizeBytes - offset))
            DataPattern.stamp(buffer, length: n, fileOffset: offset)
            do { try pwriteAll(fd, buffer, n, offset) } catch {
                if error.rawValue == ENOSPC {
                    throw .usage("--target \(t.path): the file system ran out of space while laying out \(Units.formatSize(t.sizeBytes)); give a smaller --size")
                }
                throw .failed("laying out \(t.path) failed at offset \(offset): \(error)")
            }
            offset += UInt64(n)
        }
        fsync(fd)
        let elapsed = monotonicNanoseconds() - start
        return LayoutResult(bytes: t.sizeBytes, nanoseconds: elapsed,
                            bandwidthBytesPerSecond: elapsed > 0 ? Double(t.sizeBytes) / (Double(elapsed) / 1e9) : 0)
    }

    // MARK: - Jobs

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

    /// The reporting group of each job: a new one at the first job, at every `stonewall` and
    /// every `new_group` (fio's `groupid`).
    static func reportingGroups(_ jobs: [JobSpec]) -> [Int] {
        var group = -1
        return jobs.enumerated().map { i, job in
            if i == 0 || job.stonewall == true || job.newGroup == true { group += 1 }
            return group
        }
    }

    /// Which jobs are reported together (`group_reporting`), by fio's rule (stat.c): a job with
    /// `group_reporting` joins the report of the job before it when both are in one reporting
    /// group; any other job starts a report of its own. Returns, per job, the index of the first
    /// job of its report when that report has a `group_reporting` job (nil: reported alone).
    static func groupReports(_ jobs: [JobSpec], groups: [Int]) -> [Int?] {
        var lead: [Int] = []
        for i in jobs.indices {
            if i > 0 && jobs[i].groupReporting == true && groups[i - 1] == groups[i] { lead.append(lead[i - 1]) } else { lead.append(i) }
        }
        let reported = Set(jobs.indices.filter { jobs[$0].groupReporting == true }.map { lead[$0] })
        return jobs.indices.map { reported.contains(lead[$0]) ? lead[$0] : nil }
    }

    /// Opens the job's files and creates its workers (not started yet). `keepRecords`: the job is
    /// part of a group report, which adds its interval records.
    func prepareJob(_ spec: JobSpec, index: Int, group: Int, target t: TargetInfo, engine: EngineChoice, engineNotes: [String],
                    keepRecords: Bool) throws(RunError) -> RunningJob {
        let useEngine: EngineChoice = spec.ioengine == .psync ? .psync : engine
        let verifyRecorders = try verifyRecorders(spec, target: t)
        var workers: [WorkerThread] = []
        var fds: [Int32] = []
        var opened = false
        defer { if !opened { for fd in fds { close(fd) } } }
        for clone in 0..<spec.numjobs {
            let r = spec.range(clone: clone, targetSize: t.sizeBytes)
            let fd = try openTarget(t.path, write: spec.rw.writes, direct: spec.direct)
            fds.append(fd)
            // fio's invalidate (file_invalidate_cache): the clone's range leaves the page cache.
            if spec.invalidate != false { _ = posix_fadvise(fd, off_t(r.start), off_t(r.length), POSIX_FADV_DONTNEED) }
            workers.append(WorkerThread(WorkerConfig(
                spec: spec, clone: clone, fd: fd, rangeStart: r.start, rangeLength: r.length, blocks: r.length / spec.blockSizeBytes,
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
    func finishJob(_ job: RunningJob, target t: TargetInfo, engine: EngineChoice, engineNotes: [String], jobsStart: UInt64) throws(RunError) -> ([JobResult], JobAggregate, [WorkerOutcome]) {
        let spec = job.spec, index = job.index, watch = job.watch, verifyRecorders = job.verifyRecorders
        defer { for fd in job.fds { close(fd) } }
        let useEngine: EngineChoice = spec.ioengine == .psync ? .psync : engine
        let reason = spec.ioengine == .psync ? "--ioengine psync"
            : useEngine == .psync ? (engineNotes.first ?? "io_uring unavailable")
            : spec.ioengine == .ioUring ? "--ioengine io_uring" : "io_uring available (the default)"
        let outcomes = job.workers.map { $0.join() }
        watch.finish()

        var results = outcomes.enumerated().map { clone, o in
            let r = spec.range(clone: clone, targetSize: t.sizeBytes)
            var engine = o.engine
            engine.reason = reason
            let full = o.intervals.filter { $0.durationNs >= request.intervalNanoseconds }
            let spread = full.isEmpty ? o.intervals : full
            let ios = o.read.ios + o.write.ios
            var result = JobResult(
                name: spec.name, jobIndex: index, groupIndex: job.group, clone: clone, parameters: spec, engine: engine, rangeStartBytes: r.start,
                rangeLengthBytes: r.length / spec.smallestBlockBytes * spec.smallestBlockBytes,
                runtimeNs: o.measuredNanoseconds,
                read: spec.rw.reads ? o.read.summary(spanNanoseconds: o.measuredNanoseconds, percentiles: request.percentiles, intervals: spread.compactMap(\.read)) : nil,
                write: spec.rw.writes ? o.write.summary(spanNanoseconds: o.measuredNanoseconds, percentiles: request.percentiles, intervals: spread.compactMap(\.write)) : nil,
                intervals: o.intervals, cpu: o.cpu,
                clockReadsPerIO: ios > 0 ? Double(o.clockReads) / Double(ios) : 0,
                errors: errorNames(o.errorCounts), firstError: o.firstError, interrupted: o.interrupted, failed: o.failed,
                readDigest: request.checksumReads ? o.readDigest : nil)
            result.verify = o.backlogVerify  // the verify pass adds its own checks to these
            result.measuredStartNs = o.measureStartMonotonicNs > jobsStart ? o.measureStartMonotonicNs - jobsStart : 0
            return result
        }
        if t.kind == .blockDevice && results.contains(where: { $0.failed }) { explainDeviceChange(t) }
        try verifyPass(spec, target: t, recorders: verifyRecorders, results: &results)
        var aggregate = aggregate(spec, index: index, outcomes, intervals: watch.merged)
        aggregate.groupIndex = job.group
        return (results, aggregate, outcomes)
    }

    /// The jobs of one reporting group together (fio's group_reporting): counters and histograms
    /// of every clone of every job added, interval i of every job added, rates over the longest span.
    func groupAggregate(group: Int, jobIndices: [Int], outcomes: [WorkerOutcome], records: [[IntervalRecord]]) -> GroupAggregate {
        let specs = jobIndices.map { request.jobs[$0] }
        let reads = specs.contains { $0.rw.reads }, writes = specs.contains { $0.rw.writes }
        var read = DirectionCounters(), write = DirectionCounters()
        var cpu = CPUUsage()
        var errors: [Int32: UInt64] = [:]
        for o in outcomes {
            read.add(o.read); write.add(o.write); cpu.add(o.cpu)
            errors.merge(o.errorCounts, uniquingKeysWith: +)
        }
        var merged: [IntervalRecord] = []
        for list in records {
            for r in list {
                if r.index < merged.count {
                    merged[r.index].read.add(r.read); merged[r.index].write.add(r.write)
                    merged[r.index].startNs = min(merged[r.index].startNs, r.startNs)
                    merged[r.index].durationNs = max(merged[r.index].durationNs, r.durationNs)
                } else if r.index == merged.count {
                    merged.append(r)
                }
            }
        }
        let intervals = merged.map { $0.sample(reads: reads, writes: writes) }
        let span = outcomes.map(\.measuredNanoseconds).max() ?? 0
        let full = intervals.filter { $0.durationNs >= request.intervalNanoseconds }
        let spread = full.isEmpty ? intervals : full
        return GroupAggregate(
            name: specs.first?.name ?? "group", groupIndex: group, jobIndices: jobIndices, clones: outcomes.count, runtimeNs: span,
            read: reads ? read.summary(spanNanoseconds: span, percentiles: request.percentiles, intervals: spread.compactMap(\.read)) : nil,
            write: writes ? write.summary(spanNanoseconds: span, percentiles: request.percentiles, intervals: spread.compactMap(\.write)) : nil,
            intervals: intervals, cpu: cpu, errors: errorNames(errors),
            interrupted: outcomes.contains { $0.interrupted }, failed: outcomes.contains { $0.failed })
    }

    /// A block device that jobs write to is held open with O_EXCL for the whole run, so nothing
    /// can mount it or claim it between the guard's look and the last write (our own plain opens
    /// are not exclusive and still work). -1 when there is nothing to claim.
    func claimDevice(_ t: TargetInfo) throws(RunError) -> Int32 {
        guard writes && t.kind == .blockDevice else { return -1 }
        let fd = open(t.path, O_RDONLY | O_EXCL | O_CLOEXEC)
        if fd < 0 && errno == EBUSY && !request.forceDestructive {
            throw .usage("--target \(t.path) is in use: an exclusive open fails with EBUSY (mounted or claimed by a driver or program); choose another device, or pass --force-destructive (together with --allow-device-writes) if destroying it is intended")
        }
        return fd
    }

    /// After I/O errors on a block device: says so when the device went away or changed size
    /// during the run (`losetup -d` of a loop device, a hot-unplugged disk), which EIO alone does not.
    func explainDeviceChange(_ t: TargetInfo) {
        let fd = open(t.path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            note("--target \(t.path) cannot be opened any more (\(Errno.current.name)): the device was removed during the run")
            return
        }
        defer { close(fd) }
        if let g = try? Targets.blockDeviceGeometry(fd), g.sizeBytes != t.sizeBytes {
            note("--target \(t.path) changed size during the run, from \(t.sizeBytes) to \(g.sizeBytes) bytes: the device was removed or resized")
        }
    }

    func errorNames(_ counts: [Int32: UInt64]) -> [String: UInt64] {
        var errors: [String: UInt64] = [:]
        for (code, count) in counts { errors[Errno(code).name, default: 0] += count }
        return errors
    }

    /// The clones of one job together: counters and histograms added, rates over the longest span.
    func aggregate(_ spec: JobSpec, index: Int, _ outcomes: [WorkerOutcome], intervals: [IntervalSample]) -> JobAggregate {
        var read = DirectionCounters(), write = DirectionCounters()
        var cpu = CPUUsage()
        var errors: [Int32: UInt64] = [:]
        for o in outcomes {
            read.add(o.read); write.add(o.write); cpu.add(o.cpu)
            errors.merge(o.errorCounts, uniquingKeysWith: +)
        }
        let span = outcomes.map(\.measuredNanoseconds).max() ?? 0
        let full = intervals.filter { $0.durationNs >= request.intervalNanoseconds }
        let spread = full.isEmpty ? intervals : full
        return JobAggregate(
            name: spec.name, jobIndex: index, groupIndex: index, clones: outcomes.count, runtimeNs: span,
            read: spec.rw.reads ? read.summary(spanNanoseconds: span, percentiles: request.percentiles, intervals: spread.compactMap(\.read)) : nil,
            write: spec.rw.writes ? write.summary(spanNanoseconds: span, percentiles: request.percentiles, intervals: spread.compactMap(\.write)) : nil,
            intervals: intervals, cpu: cpu, errors: errorNames(errors),
            interrupted: outcomes.contains { $0.interrupted }, failed: outcomes.contains { $0.failed })
    }
}

/// The current time as `2026-11-21T10:00:00Z`.
func utcTimestamp() -> String {
    var now = time(nil)
    var parts = tm()
    gmtime_r(&now, &parts)
    var buffer = [CChar](repeating: 0, count: 32)
    let n = strftime(&buffer, 32, "%Y-%m-%dT%H:%M:%SZ", &parts)
    return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
