import Engine
import Foundation
import Glibc
import Harness
import Stats
import Workload

/// fio 3.x `--output-format=json+`, key for key (fio 3.33's stat.c): what scripts, dashboards,
/// `fio_jsonplus_clat2csv` and `fio-plot` already read.
///
/// One entry in `jobs` per clone, as fio without `group_reporting`; `groupid` is the job's
/// position in the run (tierbench runs jobs one after another, as fio with `stonewall`). Every
/// number comes from the `RunResult`; where fio reports something tierbench does not record, the
/// field says so in its comment below and carries fio's own "nothing to report" value or a value
/// that follows from how tierbench works, never a made-up measurement.
///
/// The document is built from Codable structs and encoded by JSONEncoder (valid JSON, each key
/// once per object); JSONEncoder on Linux does not keep the order of keys, so a layout pass then
/// puts every object's keys back in the order fio writes them (see `FioJSONLayout`).
public enum FioJSONReport {
    /// fio's largest histogram value: the midpoint of its last bucket (29 groups of 64 buckets);
    /// fio counts anything longer there. `fio_jsonplus_clat2csv` assumes no bin lies above it.
    static let largestBinNanoseconds: UInt64 = 17_112_760_320

    public static func render(_ result: RunResult) throws -> String {
        let document = FioDocument(result, now: Date())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let compact = Array(try encoder.encode(document))
        return FioJSONLayout.ordered(compact, orders: FioDocument.keyOrders)
            ?? String(decoding: compact, as: UTF8.self) + "\n"
    }
}

// MARK: - The document

struct FioDocument: Encodable, Sendable {
    /// "tierbench-<version>": readers only show it (fio-plot prints it under its graphs).
    var fioVersion: String
    /// When the results were written (fio: `time()` when it prints them), seconds and ms since the epoch.
    var timestamp: Int64
    var timestampMs: Int64
    /// The same moment as ctime(3) prints it in local time, as fio does: "Sat Nov 21 05:50:32 2026".
    var time: String
    /// Options that apply to the whole run rather than to one job.
    var globalOptions: FioGlobalOptions
    var jobs: [FioJob]
    /// fio's per-device I/O counters over the run. tierbench does not sample the device's
    /// counters, so the list is empty, as fio's is for a target with no block device (tmpfs).
    var diskUtil: [FioDiskUtil] = []

    enum CodingKeys: String, CodingKey, CaseIterable {
        case fioVersion = "fio version", timestamp, timestampMs = "timestamp_ms", time
        case globalOptions = "global options", jobs, diskUtil = "disk_util"
    }

    /// For the layout pass: the order of keys of each kind of object, by the key holding it.
    static let keyOrders: [String: [String]] = {
        var orders: [String: [String]] = [
            FioJSONLayout.rootKey: CodingKeys.allCases.map(\.stringValue),
            "jobs": FioJob.CodingKeys.allCases.map(\.stringValue),
            "job options": FioJobOptions.CodingKeys.allCases.map(\.stringValue),
            "global options": FioGlobalOptions.CodingKeys.allCases.map(\.stringValue),
            "sync": FioSync.CodingKeys.allCases.map(\.stringValue),
            "steadystate": FioSteadyState.CodingKeys.allCases.map(\.stringValue),
            "data": FioSteadyStateData.CodingKeys.allCases.map(\.stringValue),
        ]
        for key in ["read", "write", "trim"] { orders[key] = FioDirection.CodingKeys.allCases.map(\.stringValue) }
        for key in ["slat_ns", "clat_ns", "lat_ns"] { orders[key] = FioLatency.CodingKeys.allCases.map(\.stringValue) }
        return orders
    }()

    init(_ result: RunResult, now: Date) {
        fioVersion = "tierbench-\(result.version)"
        let ms = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
        timestamp = ms / 1000
        timestampMs = ms
        time = Self.ctime(timestamp)
        globalOptions = FioGlobalOptions(result)

        // fio's `elapsed`: seconds since the run started, rounded up, the same in every entry.
        // tierbench keeps the layout pass and each job's ramp and measured span, not the set-up
        // between them, so this is their sum.
        // Jobs of one group run concurrently: the group counts with its longest job.
        var elapsedNs = result.layout?.nanoseconds ?? 0
        var groupSpans: [Int: UInt64] = [:]
        for aggregate in result.aggregates {
            let ramp = result.jobs.first { $0.jobIndex == aggregate.jobIndex }?.parameters.rampTimeNanoseconds ?? 0
            groupSpans[aggregate.groupIndex] = max(groupSpans[aggregate.groupIndex] ?? 0, ramp &+ aggregate.runtimeNs)
        }
        for span in groupSpans.values { elapsedNs &+= span }
        let elapsed = (elapsedNs + 999_999_999) / 1_000_000_000
        // group_reporting: one entry per such group (its first job's options), as fio.
        var jobs: [FioJob] = []
        var reportedGroups = Set<Int>()
        for job in result.jobs {
            if let group = result.groups?.first(where: { $0.jobIndices.contains(job.jobIndex) }) {
                guard reportedGroups.insert(group.jobIndices[0]).inserted else { continue }
                var entry = job
                entry.name = group.name; entry.clone = 0; entry.runtimeNs = group.runtimeNs
                entry.read = group.read; entry.write = group.write; entry.sync = group.sync; entry.intervals = group.intervals; entry.cpu = group.cpu
                entry.errors = group.errors; entry.failed = group.failed; entry.interrupted = group.interrupted
                entry.parameters.rw = result.jobs.filter { group.jobIndices.contains($0.jobIndex) }.map(\.parameters.rw).reduce(job.parameters.rw) { a, b in
                    a == b ? a : (a.isRandom || b.isRandom ? .randrw : .readwrite)
                }
                jobs.append(FioJob(entry, aggregate: group, elapsedSeconds: elapsed))
            } else {
                jobs.append(FioJob(job, aggregate: result.aggregates.first { $0.jobIndex == job.jobIndex }, elapsedSeconds: elapsed))
            }
        }
        self.jobs = jobs
    }

    static func ctime(_ seconds: Int64) -> String {
        var t = time_t(seconds)
        var buffer = [CChar](repeating: 0, count: 64)
        guard ctime_r(&t, &buffer) != nil else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            .trimmingCharacters(in: .newlines)
    }
}

/// One entry of fio's `disk_util` (never filled: see `FioDocument.diskUtil`).
struct FioDiskUtil: Encodable, Sendable {}

/// fio's `"global options"`: the options given before the first job. In tierbench these are the
/// run-wide flags: the target and the percentile list.
struct FioGlobalOptions: Encodable, Sendable {
    var filename: String
    /// Only when the user gave `--percentiles` (fio lists only options that were set).
    var percentileList: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case filename, percentileList = "percentile_list"
    }

    init(_ result: RunResult) {
        filename = result.target.path
        let list = result.settings.percentiles
        percentileList = list == PercentileList.fioDefault.values ? nil : list.map { FioFormat.number($0) }.joined(separator: ":")
    }
}

/// fio's `"job options"`: option names as in a fio job file, values as fio-style strings.
/// Options at their default are left out, as fio lists only what was set; `bs`, `iodepth` and
/// `numjobs` are always there (fio-plot needs `rw`, `bs`, `iodepth` and `numjobs`).
struct FioJobOptions: Encodable, Sendable {
    var name: String
    var rw: String
    var rwmixread: String?
    var bs: String
    var size: String?
    var offset: String?
    var offsetIncrement: String?
    var iodepth: String
    /// tierbench's `--iodepth-batch` (its default 4 differs from fio's 1, so it is always listed).
    var iodepthBatchSubmit: String
    var numjobs: String
    var runtime: String?
    var timeBased: String?
    var rampTime: String?
    /// The engine this clone used (`auto` resolved: io_uring, or psync after a fallback).
    var ioengine: String
    var direct: String
    var randseed: String?
    var norandommap: String?
    /// tierbench's `--continue-on-error` goes on after failed reads and writes: fio's `io`.
    var continueOnError: String?
    var bsrange: String?
    var bssplit: String?
    var randomDistribution: String?
    var rate: String?
    var rateIops: String?
    var thinktime: String?
    var thinktimeBlocks: String?
    var loops: String?
    var stonewall: String?
    var newGroup: String?
    var groupReporting: String?
    var steadystate: String?
    var steadystateDuration: String?
    var steadystateRampTime: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, rw, rwmixread, bs, bsrange, bssplit, size, offset
        case offsetIncrement = "offset_increment", iodepth, iodepthBatchSubmit = "iodepth_batch_submit", numjobs
        case runtime, timeBased = "time_based", rampTime = "ramp_time", ioengine, direct, randseed, norandommap
        case continueOnError = "continue_on_error", randomDistribution = "random_distribution", rate, rateIops = "rate_iops"
        case thinktime, thinktimeBlocks = "thinktime_blocks", loops, stonewall, newGroup = "new_group", groupReporting = "group_reporting"
        case steadystate, steadystateDuration = "steadystate_duration", steadystateRampTime = "steadystate_ramp_time"
    }

    init(_ job: JobResult) {
        let p = job.parameters
        name = p.name
        rw = p.rw.rawValue
        rwmixread = p.rw.isMixed ? "\(p.rwmixread)" : nil
        bs = FioFormat.size(p.blockSizeBytes)
        size = p.sizeBytes.map(FioFormat.size)
        offset = p.offsetBytes > 0 ? FioFormat.size(p.offsetBytes) : nil
        offsetIncrement = p.offsetIncrementBytes > 0 ? FioFormat.size(p.offsetIncrementBytes) : nil
        iodepth = "\(p.iodepth)"
        iodepthBatchSubmit = "\(p.iodepthBatch)"
        numjobs = "\(p.numjobs)"
        runtime = p.runtimeNanoseconds.map(FioFormat.duration)
        timeBased = p.timeBased ? "1" : nil
        rampTime = p.rampTimeNanoseconds > 0 ? FioFormat.duration(p.rampTimeNanoseconds) : nil
        ioengine = job.engine.name
        direct = p.direct ? "1" : "0"
        randseed = p.randseed != JobSpec.defaultSeed ? "\(p.randseed)" : nil
        norandommap = p.randomMap ? nil : "1"
        continueOnError = p.continueOnError ? "io" : nil
        if let b = p.blockSizes {
            func list(_ f: (BlockSizeChoice) -> String?) -> String? {
                let r = f(b.read), w = f(b.write)
                if r == nil && w == nil { return nil }
                return r == w ? r : "\(r ?? ""),\(w ?? "")"
            }
            bs = list { $0.isFixed ? $0.fioText : nil } ?? FioFormat.size(p.blockSizeBytes)
            bsrange = list { $0.split == nil && !$0.isFixed ? $0.fioText : nil }
            bssplit = list { $0.split != nil ? $0.fioText : nil }
        }
        randomDistribution = p.randomDistribution.map(\.fioText)
        func limits(_ l: DirectionLimits?) -> String? {
            guard let l else { return nil }
            return l.read == l.write ? "\(l.read ?? 0)" : "\(l.read.map { "\($0)" } ?? ""),\(l.write.map { "\($0)" } ?? "")"
        }
        rate = limits(p.rate)
        rateIops = limits(p.rateIops)
        thinktime = p.thinktimeNanoseconds.map { "\($0 / 1000)" }  // fio's unit: microseconds
        thinktimeBlocks = p.thinktimeBlocks.map { "\($0)" }
        loops = p.loops.map { "\($0)" }
        stonewall = p.stonewall == true ? "1" : nil
        newGroup = p.newGroup == true ? "1" : nil
        groupReporting = p.groupReporting == true ? "1" : nil
        steadystate = p.steadyState?.fioText
        steadystateDuration = p.steadyState.map { "\($0.durationSeconds)" }
        steadystateRampTime = p.steadyState.flatMap { $0.rampNanoseconds > 0 ? FioFormat.duration($0.rampNanoseconds) : nil }
    }
}

/// One clone, as fio reports one job (thread) without group_reporting.
struct FioJob: Encodable, Sendable {
    var jobname: String
    /// The job's position in the run; its clones share it (fio: the reporting group).
    var groupid: Int
    /// The errno that stopped the clone, 0 when it did not fail (fio's `td->error`).
    var error: Int32
    /// Seconds left in the run: none, it is over. (fio 3.33 prints INT_MAX here once every job
    /// has finished, its "unknown"; tierbench says 0.)
    var eta: Int = 0
    var elapsed: UInt64
    var jobOptions: FioJobOptions
    var read: FioDirection
    var write: FioDirection
    /// tierbench issues no trims: zero, as fio reports a direction a job did not use.
    var trim = FioDirection.zero
    /// fsync=N / fdatasync=N: the syncs (zero without them).
    var sync: FioSync
    /// The measured span in ms (fio: `total_run_time`, ramp excluded).
    var jobRuntime: UInt64
    /// CPU time of the clone's thread over the measured span, in percent of the span.
    var usrCpu: Double
    var sysCpu: Double
    /// Voluntary plus involuntary context switches; major and minor page faults.
    var ctx: UInt64
    var majf: UInt64
    var minf: UInt64
    /// fio: the share of I/Os submitted while N were in flight. tierbench keeps every slot of
    /// its queue busy (it refills each one as soon as it completes), so this is 100% at the
    /// bucket of the depth it runs at (`iodepth`; 1 with psync); fio's short ramp-up and drain at
    /// the edges are not recorded. All 0 when nothing completed.
    var iodepthLevel: FioMap<Double>
    /// fio: the share of submit calls that passed 0, 1-4, 5-8, ... I/Os. tierbench submits once
    /// `iodepth_batch_submit` I/Os are queued, and what is queued before it waits, so each call
    /// passes 1 to min(iodepth_batch_submit, depth) I/Os. When that bound is at most 4, every call
    /// falls in fio's "4" bucket and that is reported (100%); above it tierbench does not record
    /// how calls spread over the buckets, and all are 0 (fio's "no data").
    var iodepthSubmit: FioMap<Double>
    /// fio: the share of reaps that returned 0, 1-4, 5-8, ... completions. Each reap returns 1 to
    /// depth completions: 100% in "4" when the depth is at most 4, else not recorded (all 0).
    var iodepthComplete: FioMap<Double>
    /// Completion latency (clat) distribution, in percent of completed I/Os, as fio's
    /// `latency_ns` ([0,2) [2,4) [4,10) ... [750,1000) ns), `latency_us` (the same in µs) and
    /// `latency_ms` (the same in ms, then [1000,2000) and >= 2000 ms). Computed from the clat
    /// histogram of both directions, each bin counted at its reported value (its `bins` key), so
    /// an I/O within 1/128 of a boundary may land in the neighbouring range; a non-zero share
    /// below 0.01% is shown as 0.01, as fio does.
    var latencyNs: FioMap<Double>
    var latencyUs: FioMap<Double>
    var latencyMs: FioMap<Double>
    /// Only with `--continue-on-error`, as in fio: failed I/Os, and the errno of the first.
    var totalErr: UInt64?
    var firstError: Int32?
    /// fio's latency_target feature, which tierbench does not have: fio's values when it is off
    /// (depth: the configured iodepth; target and window 0; percentile 100).
    var latencyDepth: Int
    var latencyTarget: Int = 0
    var latencyPercentile: Double = 100
    var latencyWindow: Int = 0
    /// Only with fio's `steadystate_duration`: the job's (its reporting group's) steady state.
    var steadystate: FioSteadyState?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case jobname, groupid, error, eta, elapsed, jobOptions = "job options", read, write, trim, sync
        case jobRuntime = "job_runtime", usrCpu = "usr_cpu", sysCpu = "sys_cpu", ctx, majf, minf
        case iodepthLevel = "iodepth_level", iodepthSubmit = "iodepth_submit", iodepthComplete = "iodepth_complete"
        case latencyNs = "latency_ns", latencyUs = "latency_us", latencyMs = "latency_ms"
        case totalErr = "total_err", firstError = "first_error"
        case latencyDepth = "latency_depth", latencyTarget = "latency_target"
        case latencyPercentile = "latency_percentile", latencyWindow = "latency_window", steadystate
    }

    init(_ job: JobResult, aggregate: Aggregate?, elapsedSeconds: UInt64) {
        let p = job.parameters
        jobname = job.name
        groupid = job.groupIndex
        elapsed = elapsedSeconds
        jobOptions = FioJobOptions(job)
        read = FioDirection(job.read, runtimeNs: job.runtimeNs, groupBytesPerSecond: aggregate?.read?.bandwidthBytesPerSecond)
        write = FioDirection(job.write, runtimeNs: job.runtimeNs, groupBytesPerSecond: aggregate?.write?.bandwidthBytesPerSecond)
        sync = FioSync(job.sync)
        jobRuntime = FioFormat.milliseconds(job.runtimeNs)
        let span = Double(job.runtimeNs)
        usrCpu = span > 0 ? Double(job.cpu.userNs) * 100 / span : 0
        sysCpu = span > 0 ? Double(job.cpu.systemNs) * 100 / span : 0
        ctx = job.cpu.contextSwitches
        majf = job.cpu.majorFaults
        minf = job.cpu.minorFaults

        let completed = (job.read?.ios ?? 0) + (job.write?.ios ?? 0)
        let depth = job.engine.name == "psync" ? 1 : p.iodepth
        let submitBound = job.engine.name == "psync" ? 1 : min(p.iodepthBatch, depth)
        iodepthLevel = FioBuckets.share(FioBuckets.depthLabels, at: completed > 0 ? FioBuckets.depthIndex(depth) : nil)
        iodepthSubmit = FioBuckets.share(FioBuckets.batchLabels, at: completed > 0 && submitBound <= 4 ? 1 : nil)
        iodepthComplete = FioBuckets.share(FioBuckets.batchLabels, at: completed > 0 && depth <= 4 ? 1 : nil)
        (latencyNs, latencyUs, latencyMs) = FioBuckets.latency([job.read?.clatNs, job.write?.clatNs].compactMap { $0 })

        error = job.failed ? FioErrno.code(ofFirstError: job.firstError, errors: job.errors) : 0
        if p.continueOnError {
            totalErr = job.errors.values.reduce(0, +)
            firstError = job.errors.isEmpty ? 0 : FioErrno.code(ofFirstError: job.firstError, errors: job.errors)
        }
        latencyDepth = p.iodepth
        steadystate = job.steadyState.map(FioSteadyState.init)
    }
}

/// One direction of one clone (fio's `read`, `write`, `trim`).
struct FioDirection: Encodable, Sendable {
    var ioBytes: UInt64
    var ioKbytes: UInt64
    /// Bytes per second over the measured span, truncated (fio: integer bytes/s), and in KiB/s.
    var bwBytes: UInt64
    var bw: UInt64
    var iops: Double
    /// The measured span in ms; 0 for a direction the job did not use (as fio).
    var runtime: UInt64
    var totalIos: UInt64
    var shortIos: UInt64
    /// I/Os fio queued but never issued (rate limits); tierbench issues all it queues.
    var dropIos: UInt64
    var slatNs: FioLatency
    var clatNs: FioLatency
    var latNs: FioLatency
    /// Bandwidth over tierbench's intervals (`--interval`, default 1 s; fio samples every
    /// `bw_avg_time`, 500 ms): min and max in KiB/s (rounded), mean and sample stddev in KiB/s,
    /// and the number of intervals. `bw_agg`: the mean in percent of the job's clones together
    /// (fio: of the reporting group's aggregate bandwidth), at most 100.
    var bwMin: UInt64
    var bwMax: UInt64
    var bwAgg: Double
    var bwMean: Double
    var bwDev: Double
    var bwSamples: Int
    /// IOPS over the same intervals.
    var iopsMin: UInt64
    var iopsMax: UInt64
    var iopsMean: Double
    var iopsStddev: Double
    var iopsSamples: Int

    enum CodingKeys: String, CodingKey, CaseIterable {
        case ioBytes = "io_bytes", ioKbytes = "io_kbytes", bwBytes = "bw_bytes", bw, iops, runtime
        case totalIos = "total_ios", shortIos = "short_ios", dropIos = "drop_ios"
        case slatNs = "slat_ns", clatNs = "clat_ns", latNs = "lat_ns"
        case bwMin = "bw_min", bwMax = "bw_max", bwAgg = "bw_agg", bwMean = "bw_mean", bwDev = "bw_dev", bwSamples = "bw_samples"
        case iopsMin = "iops_min", iopsMax = "iops_max", iopsMean = "iops_mean", iopsStddev = "iops_stddev", iopsSamples = "iops_samples"
    }

    static let zero = FioDirection(nil, runtimeNs: 0, groupBytesPerSecond: nil)

    init(_ s: DirectionSummary?, runtimeNs: UInt64, groupBytesPerSecond: Double?) {
        ioBytes = s?.bytes ?? 0
        ioKbytes = ioBytes >> 10
        bwBytes = FioFormat.whole(s?.bandwidthBytesPerSecond ?? 0, .towardZero)
        bw = bwBytes / 1024
        iops = FioFormat.finite(s?.iops ?? 0)
        runtime = s == nil ? 0 : FioFormat.milliseconds(runtimeNs)
        totalIos = s?.ios ?? 0
        shortIos = s?.shortIOs ?? 0
        dropIos = 0
        // fio's defaults: percentiles (and, in json+, bins) for clat only.
        slatNs = FioLatency(s?.slatNs, detailed: false)
        clatNs = FioLatency(s?.clatNs, detailed: true)
        latNs = FioLatency(s?.latNs, detailed: false)

        let b = s?.bandwidthBytesPerSecondOverIntervals ?? RateSpread([])
        bwSamples = b.samples
        bwMin = FioFormat.whole(b.min / 1024)
        bwMax = FioFormat.whole(b.max / 1024)
        bwMean = FioFormat.finite(b.mean / 1024)
        bwDev = FioFormat.finite(b.stddev / 1024)
        if b.samples == 0 {
            bwAgg = 0
        } else if let group = groupBytesPerSecond, group > 1024 {
            bwAgg = FioFormat.finite(min(100, bwMean * 100 / (group / 1024)))
        } else {
            bwAgg = 100
        }
        let i = s?.iopsOverIntervals ?? RateSpread([])
        iopsSamples = i.samples
        iopsMin = FioFormat.whole(i.min)
        iopsMax = FioFormat.whole(i.max)
        iopsMean = FioFormat.finite(i.mean)
        iopsStddev = FioFormat.finite(i.stddev)
    }
}

/// fio's `sync` object. As fio (stat.c: `total_ios` is `total_io_u[DDIR_SYNC]`), `total_ios`
/// counts fsyncs only, while `lat_ns` (N, percentiles, json+ bins) has fsyncs and fdatasyncs:
/// an fdatasync=1 job reports total_ios 0 and its syncs in `lat_ns.N`.
struct FioSync: Encodable, Sendable {
    var totalIos: UInt64
    var latNs: FioLatency

    init(_ s: SyncSummary?) {
        totalIos = s?.fsyncs ?? 0
        latNs = FioLatency(s?.latNs, detailed: true)
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case totalIos = "total_ios", latNs = "lat_ns"
    }
}

/// One latency measure in ns: exact min, max, mean, sample stddev and count; for a detailed one
/// with samples (clat, as fio by default), the percentiles (keys as C's "%f": "99.000000") and
/// the json+ histogram `bins` {"<bucket value ns>": count}.
struct FioLatency: Encodable, Sendable {
    var min: UInt64
    var max: UInt64
    var mean: Double
    var stddev: Double
    var count: UInt64
    var percentile: FioMap<UInt64>?
    var bins: FioMap<UInt64>?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case min, max, mean, stddev, count = "N", percentile, bins
    }

    init(_ r: LatencyReport?, detailed: Bool) {
        min = r?.min ?? 0
        max = r?.max ?? 0
        mean = FioFormat.finite(r?.mean ?? 0)
        stddev = FioFormat.finite(r?.stddev ?? 0)
        count = r?.count ?? 0
        guard detailed, let r, r.count > 0 else { return }
        percentile = FioMap(r.percentiles.map { (FioFormat.percentileKey($0.percentile), $0.nanoseconds) })
        if let bins = r.bins, !bins.isEmpty { self.bins = FioMap(FioBins.merged(bins)) }
    }
}

// MARK: - Values

/// A JSON object with keys only known at run time (percentiles, bins, buckets); each key once.
struct FioMap<Value: Encodable & Sendable>: Encodable, Sendable {
    private(set) var entries: [(key: String, value: Value)]

    init(_ entries: [(String, Value)]) {
        var seen = Set<String>()
        self.entries = entries.filter { seen.insert($0.0).inserted }.map { (key: $0.0, value: $0.1) }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: FioKey.self)
        for (key, value) in entries { try container.encode(value, forKey: FioKey(key)) }
    }
}

struct FioKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

enum FioBins {
    /// tierbench's `[midpoint, count]` bins as fio's: values above fio's largest bucket counted
    /// in it (as fio does), equal keys added up, ascending.
    static func merged(_ bins: [[UInt64]]) -> [(String, UInt64)] {
        var counts: [UInt64: UInt64] = [:]
        for bin in bins where bin.count == 2 && bin[1] > 0 {
            counts[min(bin[0], FioJSONReport.largestBinNanoseconds), default: 0] += bin[1]
        }
        return counts.sorted { $0.key < $1.key }.map { ("\($0.key)", $0.value) }
    }
}

enum FioBuckets {
    static let depthLabels = ["1", "2", "4", "8", "16", "32", ">=64"]
    static let batchLabels = ["0", "4", "8", "16", "32", "64", ">=64"]
    static let latencyLabels = ["2", "4", "10", "20", "50", "100", "250", "500", "750", "1000"]
    static let latencyMsLabels = latencyLabels + ["2000", ">=2000"]

    /// fio's `io_u_mark_depth`: 1, 2-3, 4-7, 8-15, 16-31, 32-63, >= 64.
    static func depthIndex(_ depth: Int) -> Int {
        switch depth {
        case ..<2: 0
        case 2..<4: 1
        case 4..<8: 2
        case 8..<16: 3
        case 16..<32: 4
        case 32..<64: 5
        default: 6
        }
    }

    /// 100% at `index`, 0 elsewhere; all 0 when `index` is nil.
    static func share(_ labels: [String], at index: Int?) -> FioMap<Double> {
        FioMap(labels.enumerated().map { ($0.element, $0.offset == index ? 100.0 : 0.0) })
    }

    /// fio's `io_u_mark_lat_nsec/usec/msec`: the range index of a value in its unit, the label
    /// being the range's exclusive upper end ([0,2) -> "2", [750,1000) -> "1000").
    static func rangeIndex(_ value: UInt64) -> Int {
        let ends: [UInt64] = [2, 4, 10, 20, 50, 100, 250, 500, 750, 1000, 2000]
        return ends.firstIndex { value < $0 } ?? ends.count
    }

    /// `latency_ns`, `latency_us`, `latency_ms` from the clat histograms of the directions, in
    /// percent of all their completions (fio's `stat_calc_lat`).
    static func latency(_ reports: [LatencyReport]) -> (FioMap<Double>, FioMap<Double>, FioMap<Double>) {
        var ns = [UInt64](repeating: 0, count: latencyLabels.count)
        var us = ns
        var ms = [UInt64](repeating: 0, count: latencyMsLabels.count)
        var total: UInt64 = 0
        for report in reports {
            total += report.count
            for bin in report.bins ?? [] where bin.count == 2 {
                let (value, count) = (bin[0], bin[1])
                if value < 1000 {
                    ns[rangeIndex(value)] += count
                } else if value < 1_000_000 {
                    us[rangeIndex(value / 1000)] += count
                } else {
                    ms[rangeIndex(value / 1_000_000)] += count
                }
            }
        }
        func percent(_ counts: [UInt64], _ labels: [String]) -> FioMap<Double> {
            FioMap(zip(labels, counts).map { label, count in
                guard total > 0 else { return (label, 0) }
                let p = Double(count) * 100 / Double(total)
                return (label, count > 0 && p < 0.01 ? 0.01 : p)
            })
        }
        return (percent(ns, latencyLabels), percent(us, latencyLabels), percent(ms, latencyMsLabels))
    }
}

enum FioErrno {
    /// The errno of a failed clone: the one named in its first error, else the most frequent of
    /// its failed I/Os; EIO (fio's generic I/O error) when tierbench kept no errno (an engine
    /// failure described in words).
    static func code(ofFirstError firstError: String?, errors: [String: UInt64]) -> Int32 {
        if let first = firstError {
            let words = first.split { !($0.isLetter || $0.isNumber) }.map(String.init)
            for (n, word) in words.enumerated() {
                if word == "errno", n + 1 < words.count, let c = Int32(words[n + 1]) { return c }
                if let c = code(named: word) { return c }
            }
        }
        let byCount = errors.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        for (name, _) in byCount { if let c = code(named: name) { return c } }
        return EIO
    }

    /// `EIO` -> 5, `errno 140` -> 140 (tierbench's names, `Errno.name`).
    static func code(named name: String) -> Int32? {
        if name.hasPrefix("errno "), let n = Int32(name.dropFirst(6)) { return n }
        guard name.hasPrefix("E"), name.count > 1 else { return nil }
        return (1..<256).lazy.map { Int32($0) }.first { Errno($0).name == name }
    }
}

enum FioFormat {
    /// fio-style sizes: "4k", "64m", "1g" when a whole number of KiB, MiB, ...; else bytes.
    static func size(_ bytes: UInt64) -> String {
        for (shift, suffix) in [(50, "p"), (40, "t"), (30, "g"), (20, "m"), (10, "k")] {
            let unit = UInt64(1) << UInt64(shift)
            if bytes >= unit && bytes % unit == 0 { return "\(bytes / unit)\(suffix)" }
        }
        return "\(bytes)"
    }

    /// fio-style times: "30s", "500ms", "250us" (fio's runtime and ramp_time take these units).
    static func duration(_ ns: UInt64) -> String {
        if ns % 1_000_000_000 == 0 { return "\(ns / 1_000_000_000)s" }
        if ns % 1_000_000 == 0 { return "\(ns / 1_000_000)ms" }
        return "\(max(1, (ns + 500) / 1000))us"
    }

    static func milliseconds(_ ns: UInt64) -> UInt64 { (ns + 500_000) / 1_000_000 }

    /// A percentile as fio's key: C's "%f".
    static func percentileKey(_ p: Double) -> String { String(format: "%f", p) }

    /// 99.9 -> "99.9", 50 -> "50".
    static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? "\(Int64(v))" : "\(v)"
    }

    static func finite(_ v: Double) -> Double { v.isFinite ? v : 0 }

    static func whole(_ v: Double, _ rule: FloatingPointRoundingRule = .toNearestOrEven) -> UInt64 {
        guard v.isFinite, v > 0 else { return 0 }
        return v >= 1.8e19 ? UInt64.max : UInt64(v.rounded(rule))
    }
}

// MARK: - Layout

/// Re-lays out JSONEncoder's compact output the way fio prints it: two spaces per level,
/// `"key" : value`, and each object's keys in fio's order: named keys by the order of their
/// struct's CodingKeys (looked up by the key that holds the object; elements of an array by the
/// array's key), numeric keys (percentiles, bins, buckets) ascending with ">=N" after N, anything
/// else after them in byte order. Values are copied byte for byte.
enum FioJSONLayout {
    static let rootKey = ""

    indirect enum Node {
        case scalar(ArraySlice<UInt8>)
        case array([Node])
        /// Members: the key's bytes with their quotes, the key as text, the value.
        case object([(raw: ArraySlice<UInt8>, name: String, value: Node)])
    }

    /// nil when `compact` is not the JSON it expects (then the caller keeps JSONEncoder's text).
    static func ordered(_ compact: [UInt8], orders: [String: [String]]) -> String? {
        var i = 0
        guard let root = parse(compact, &i), i == compact.count else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(compact.count * 2)
        write(root, key: rootKey, depth: 0, orders: orders, into: &out)
        out.append(UInt8(ascii: "\n"))
        return String(decoding: out, as: UTF8.self)
    }

    static func parse(_ b: [UInt8], _ i: inout Int) -> Node? {
        guard i < b.count else { return nil }
        switch b[i] {
        case UInt8(ascii: "{"):
            i += 1
            var members: [(raw: ArraySlice<UInt8>, name: String, value: Node)] = []
            if i < b.count && b[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
            while true {
                guard let key = string(b, &i), i < b.count, b[i] == UInt8(ascii: ":") else { return nil }
                i += 1
                guard let value = parse(b, &i) else { return nil }
                members.append((key, String(decoding: key.dropFirst().dropLast(), as: UTF8.self), value))
                guard i < b.count else { return nil }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
                return nil
            }
        case UInt8(ascii: "["):
            i += 1
            var elements: [Node] = []
            if i < b.count && b[i] == UInt8(ascii: "]") { i += 1; return .array(elements) }
            while true {
                guard let value = parse(b, &i) else { return nil }
                elements.append(value)
                guard i < b.count else { return nil }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == UInt8(ascii: "]") { i += 1; return .array(elements) }
                return nil
            }
        case UInt8(ascii: "\""):
            return string(b, &i).map { .scalar($0) }
        default:
            let start = i
            while i < b.count, ![UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}")].contains(b[i]) { i += 1 }
            return i > start ? .scalar(b[start..<i]) : nil
        }
    }

    /// A string with its quotes, escapes skipped over.
    static func string(_ b: [UInt8], _ i: inout Int) -> ArraySlice<UInt8>? {
        guard i < b.count, b[i] == UInt8(ascii: "\"") else { return nil }
        let start = i
        i += 1
        while i < b.count && b[i] != UInt8(ascii: "\"") { i += b[i] == UInt8(ascii: "\\") ? 2 : 1 }
        guard i < b.count else { return nil }
        i += 1
        return b[start..<i]
    }

    static func write(_ node: Node, key: String, depth: Int, orders: [String: [String]], into out: inout [UInt8]) {
        func newline(_ level: Int) {
            out.append(UInt8(ascii: "\n"))
            out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: level * 2))
        }
        switch node {
        case .scalar(let bytes):
            out.append(contentsOf: bytes)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (n, element) in elements.enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                newline(depth + 1)
                write(element, key: key, depth: depth + 1, orders: orders, into: &out)
            }
            if !elements.isEmpty { newline(depth) }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            let rank = Dictionary((orders[key] ?? []).enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
            let sorted = members.sorted { precedes($0.name, $1.name, rank: rank) }
            for (n, member) in sorted.enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                newline(depth + 1)
                out.append(contentsOf: member.raw)
                out.append(contentsOf: Array(" : ".utf8))
                write(member.value, key: member.name, depth: depth + 1, orders: orders, into: &out)
            }
            if !members.isEmpty { newline(depth) }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Named keys by rank, then numeric keys ascending (">=N" after N), then the rest.
    static func precedes(_ a: String, _ b: String, rank: [String: Int]) -> Bool {
        switch (rank[a], rank[b]) {
        case let (x?, y?): return x < y
        case (_?, nil): return true
        case (nil, _?): return false
        case (nil, nil): break
        }
        switch (numeric(a), numeric(b)) {
        case let (x?, y?): return x.value != y.value ? x.value < y.value : (!x.atLeast && y.atLeast)
        case (_?, nil): return true
        case (nil, _?): return false
        case (nil, nil): return Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8))
        }
    }

    static func numeric(_ key: String) -> (value: Double, atLeast: Bool)? {
        let atLeast = key.hasPrefix(">=")
        guard let v = Double(atLeast ? String(key.dropFirst(2)) : key), v.isFinite else { return nil }
        return (v, atLeast)
    }
}
