import Engine
import Stats
import Workload

/// Everything one `tierbench run` measured: the `tierbench/1` document. Codable; the Report layer
/// formats it (JSON with snake_case keys, units in the names).
public struct RunResult: Codable, Sendable {
    public static let schemaVersion = "tierbench/1"
    public var schema = RunResult.schemaVersion
    public var tool = "tierbench"
    public var version: String
    public var startTimeUTC: String
    public var environment: Environment
    public var target: TargetInfo
    /// The block device under the target, from sysfs (nil when there is none, e.g. tmpfs).
    public var device: DeviceInfo?
    /// The file system holding a file target (nil for a block device).
    public var filesystemType: String?
    public var settings: RunSettings
    /// The layout pass that wrote a new target before reading jobs (not part of any measurement).
    public var layout: LayoutResult?
    /// One entry per clone of each job, in run order.
    public var jobs: [JobResult]
    /// One entry per job: its clones together (histograms added, rates summed).
    public var aggregates: [Aggregate]
    /// Only when a job asks for `group_reporting`: its reporting group's jobs together.
    public var groups: [Aggregate]?
    /// True when SIGINT/SIGTERM stopped the run; the jobs hold what was measured until then.
    public var interrupted: Bool
    /// The signal that stopped the run, if any ("SIGINT", "SIGTERM").
    public var interruptedBy: String?
    /// True when an I/O error failed a job.
    public var failed: Bool
    /// The command line that produced the result (argv, the program as `tierbench`), when known.
    public var command: [String]?

    enum CodingKeys: String, CodingKey {
        case command
        case schema, tool, version, environment, target, device, filesystemType, settings, layout, jobs, aggregates, groups
        case interrupted, interruptedBy, failed
        case startTimeUTC = "startTimeUtc"
    }
}

/// Run-wide measurement settings.
public struct RunSettings: Codable, Sendable, Equatable {
    public var intervalNs: UInt64
    public var percentiles: [Double]

    enum CodingKeys: String, CodingKey {
        case intervalNs = "intervalNs", percentiles
    }
}

public struct LayoutResult: Codable, Sendable {
    public var bytes: UInt64
    public var nanoseconds: UInt64
    public var bandwidthBytesPerSecond: Double

    enum CodingKeys: String, CodingKey {
        case bytes, bandwidthBytesPerSecond
        case nanoseconds = "durationNs"
    }
}

/// One clone of one job.
public struct JobResult: Codable, Sendable {
    public var name: String
    /// Position of the job in the run; shared by its clones.
    public var jobIndex: Int
    /// The job's reporting group (fio's `groupid`): a new one at the first job, at each
    /// `stonewall` and `new_group`. Jobs from the command line each have their own.
    public var groupIndex: Int
    public var clone: Int
    public var parameters: JobSpec
    /// The engine actually used, its options and why.
    public var engine: EngineDescription
    public var rangeStartBytes: UInt64
    public var rangeLengthBytes: UInt64
    /// The measured span (after ramp), from the ramp's end to the last completion.
    public var runtimeNs: UInt64
    /// When the measured span started, ns after the run's first job started (shows which jobs
    /// ran at the same time: those between two stonewalls).
    public var measuredStartNs: UInt64 = 0
    public var read: DirectionSummary?
    public var write: DirectionSummary?
    /// The sync operations (fio's `fsync=N`, `fdatasync=N`); nil when there were none.
    public var sync: SyncSummary?
    /// The time series over the measured span.
    public var intervals: [IntervalSample]
    /// CPU time and context switches of this clone's thread over the measured span.
    public var cpu: CPUUsage
    /// Clock reads per completed I/O in the measured span (the cost of timing).
    public var clockReadsPerIO: Double
    /// Failed I/Os per errno name (fio's `total_err` broken down).
    public var errors: [String: UInt64]
    /// The first failed I/O: operation, offset, errno (fio's `first_error`).
    public var firstError: String?
    public var interrupted: Bool
    /// True when an I/O error (or an engine failure) stopped this job.
    public var failed: Bool
    /// Only with `--checksum-reads`: the order-independent digest of every buffer read (see `ReadDigest`).
    public var readDigest: UInt64?
    /// Only with `--verify`: what the verify pass after the job found.
    public var verify: VerifyResult?
    /// Only with fio's `steadystate_duration`: the clone's steady state (its reporting group's,
    /// with `group_reporting`).
    public var steadyState: SteadyStateResult?
    /// The file(s) or device this job ran on.
    public var files: [String]?

    enum CodingKeys: String, CodingKey {
        case steadyState
        case name, jobIndex, groupIndex, clone, parameters, engine, rangeStartBytes, rangeLengthBytes, read, write, sync, intervals, cpu, measuredStartNs
        case errors, firstError, interrupted, failed, readDigest, verify, files
        case runtimeNs = "measuredSpanNs", clockReadsPerIO = "clockReadsPerIo"
    }
}
