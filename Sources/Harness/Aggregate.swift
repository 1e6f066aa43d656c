import Stats

/// Clones added together, as fio's group_reporting: histograms added (never percentiles
/// averaged), I/O counts, errors and CPU summed, interval i of every clone added, rates over the
/// longest clone's span. One job's clones (`RunResult.aggregates`), or every clone of the jobs of
/// a reporting group (`RunResult.groups`, only for a group where a job asks for `group_reporting`).
public struct Aggregate: Sendable {
    /// Whose clones are added.
    public enum Scope: Sendable, Equatable {
        /// One job's clones (`jobs[].job_index`).
        case job(index: Int)
        /// The jobs of a reporting group, in run order.
        case group(jobIndices: [Int])
    }

    /// The job's name; for a group, its first job's (as fio names a group report).
    public var name: String
    public var scope: Scope
    /// The reporting group (fio's `groupid`).
    public var groupIndex: Int
    /// Clones added: the job's, or those of all the group's jobs.
    public var clones: Int
    /// The longest clone's measured span.
    public var runtimeNs: UInt64
    public var read: DirectionSummary?
    public var write: DirectionSummary?
    /// The sync operations (fio's `fsync=N`, `fdatasync=N`); nil when there were none.
    public var sync: SyncSummary?
    /// Interval i of every clone, merged (rates summed, latency histograms added).
    public var intervals: [IntervalSample]
    public var cpu: CPUUsage
    public var errors: [String: UInt64]
    public var interrupted: Bool
    public var failed: Bool

    /// The job's index; for a group, its first job's.
    public var jobIndex: Int { jobIndices.first ?? 0 }

    /// The jobs whose clones are added (one for a job's aggregate).
    public var jobIndices: [Int] {
        switch scope {
        case .job(let index): [index]
        case .group(let indices): indices
        }
    }
}

extension Aggregate: Codable {
    /// A job's aggregate has `job_index`, a group's `job_indices`; the other keys are the same.
    enum CodingKeys: String, CodingKey {
        case name, jobIndex, jobIndices, groupIndex, clones, read, write, sync, intervals, cpu, errors, interrupted, failed
        case runtimeNs = "measuredSpanNs"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        scope = c.contains(.jobIndices) ? .group(jobIndices: try c.decode([Int].self, forKey: .jobIndices))
            : .job(index: try c.decode(Int.self, forKey: .jobIndex))
        name = try c.decode(String.self, forKey: .name)
        groupIndex = try c.decode(Int.self, forKey: .groupIndex)
        clones = try c.decode(Int.self, forKey: .clones)
        runtimeNs = try c.decode(UInt64.self, forKey: .runtimeNs)
        read = try c.decodeIfPresent(DirectionSummary.self, forKey: .read)
        write = try c.decodeIfPresent(DirectionSummary.self, forKey: .write)
        sync = try c.decodeIfPresent(SyncSummary.self, forKey: .sync)
        intervals = try c.decode([IntervalSample].self, forKey: .intervals)
        cpu = try c.decode(CPUUsage.self, forKey: .cpu)
        errors = try c.decode([String: UInt64].self, forKey: .errors)
        interrupted = try c.decode(Bool.self, forKey: .interrupted)
        failed = try c.decode(Bool.self, forKey: .failed)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch scope {
        case .job(let index): try c.encode(index, forKey: .jobIndex)
        case .group(let indices): try c.encode(indices, forKey: .jobIndices)
        }
        try c.encode(name, forKey: .name)
        try c.encode(groupIndex, forKey: .groupIndex)
        try c.encode(clones, forKey: .clones)
        try c.encode(runtimeNs, forKey: .runtimeNs)
        try c.encodeIfPresent(read, forKey: .read)
        try c.encodeIfPresent(write, forKey: .write)
        try c.encodeIfPresent(sync, forKey: .sync)
        try c.encode(intervals, forKey: .intervals)
        try c.encode(cpu, forKey: .cpu)
        try c.encode(errors, forKey: .errors)
        try c.encode(interrupted, forKey: .interrupted)
        try c.encode(failed, forKey: .failed)
    }
}
