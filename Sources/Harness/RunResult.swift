import Engine
import Stats
import Workload

/// Everything one `tierbench run` measured. Codable; the Report layer formats it.
public struct RunResult: Codable, Sendable {
    public var tool = "tierbench"
    public var version: String
    public var startTimeUTC: String
    public var target: TargetInfo
    /// The layout pass that wrote a new target before reading jobs (not part of any measurement).
    public var layout: LayoutResult?
    public var jobs: [JobResult]
    /// True when SIGINT/SIGTERM stopped the run; the jobs hold what was measured until then.
    public var interrupted: Bool
    /// True when an I/O error failed a job.
    public var failed: Bool
}

public struct LayoutResult: Codable, Sendable {
    public var bytes: UInt64
    public var nanoseconds: UInt64
    public var bandwidthBytesPerSecond: Double
}

/// One clone of one job.
public struct JobResult: Codable, Sendable {
    public var name: String
    public var clone: Int
    public var parameters: JobSpec
    /// The engine actually used, its options and why.
    public var engine: EngineDescription
    public var rangeStartBytes: UInt64
    public var rangeLengthBytes: UInt64
    /// The measured span (after ramp), from the ramp's end to the last completion.
    public var runtimeNanoseconds: UInt64
    public var read: DirectionSummary?
    public var write: DirectionSummary?
    /// Failed I/Os per errno name (fio's `total_err` broken down).
    public var errors: [String: UInt64]
    /// The first failed I/O: operation, offset, errno (fio's `first_error`).
    public var firstError: String?
    public var interrupted: Bool
    /// True when an I/O error (or an engine failure) stopped this job.
    public var failed: Bool
    /// Only with `--checksum-reads`: the order-independent digest of every buffer read (see `ReadDigest`).
    public var readDigest: UInt64?
}
