import Workload

/// tierbench's job options by their `run` long names: the one table both job-file formats (and the
/// command line, when it overrides a file) end in. Each fills one field of `RawJobOptions`;
/// `target` and `percentiles` are run-level (one per run).
public enum TierbenchOptions {
    public enum Kind: Sendable { case value, flag, run }

    public struct Option: Sendable {
        public let key: String
        public let kind: Kind
        let apply: @Sendable (inout RawJobOptions, String) -> Void
    }

    static func value(_ key: String, _ path: WritableKeyPath<RawJobOptions, String?> & Sendable) -> Option {
        Option(key: key, kind: .value) { $0[keyPath: path] = $1 }
    }
    static func flag(_ key: String, _ path: WritableKeyPath<RawJobOptions, Bool> & Sendable) -> Option {
        Option(key: key, kind: .flag) { $0[keyPath: path] = BooleanValue.parse($1) ?? false }
    }

    /// In the order `explain` lists them.
    public static let all: [Option] = [
        value("name", \.name), value("rw", \.rw), value("rwmixread", \.rwmixread), value("bs", \.bs),
        value("bsrange", \.bsrange), value("bssplit", \.bssplit),
        value("iodepth", \.iodepth), value("iodepth-batch", \.iodepthBatch), value("numjobs", \.numjobs),
        value("size", \.size), value("offset", \.offset), value("offset-increment", \.offsetIncrement),
        value("runtime", \.runtime), flag("time-based", \.timeBased), value("ramp-time", \.rampTime),
        value("loops", \.loops),
        value("direct", \.direct), value("ioengine", \.ioengine), value("randseed", \.randseed),
        flag("norandommap", \.norandommap), value("random-distribution", \.randomDistribution),
        value("rate", \.rate), value("rate-iops", \.rateIops), value("thinktime", \.thinktime),
        value("thinktime-blocks", \.thinktimeBlocks),
        flag("continue-on-error", \.continueOnError), value("verify", \.verify), value("verify-backlog", \.verifyBacklog),
        value("do-verify", \.doVerify), flag("verify-only", \.verifyOnly),
        flag("stonewall", \.stonewall), flag("new-group", \.newGroup), flag("group-reporting", \.groupReporting),
        value("buffer-compress-percentage", \.bufferCompressPercentage), value("buffer-compress-chunk", \.bufferCompressChunk),
        value("dedupe-percentage", \.dedupePercentage), value("refill-buffers", \.refillBuffers),
        value("scramble-buffers", \.scrambleBuffers), value("buffer-pattern", \.bufferPattern), value("zero-buffers", \.zeroBuffers),
        value("write-bw-log", \.writeBwLog), value("write-iops-log", \.writeIopsLog), value("write-lat-log", \.writeLatLog),
        value("log-avg-msec", \.logAvgMsec), value("log-offset", \.logOffset), value("per-job-logs", \.perJobLogs),
        value("write-hist-log", \.writeHistLog), value("log-hist-msec", \.logHistMsec), value("log-hist-coarseness", \.logHistCoarseness),
        value("fsync", \.fsync), value("fdatasync", \.fdatasync), value("end-fsync", \.endFsync), value("fsync-on-close", \.fsyncOnClose),
        value("sync", \.sync),
        value("percentage-random", \.percentageRandom), value("io-size", \.ioSize), value("invalidate", \.invalidate),
        value("cpus-allowed", \.cpusAllowed),
        value("steadystate", \.steadystate), value("steadystate-duration", \.steadystateDuration),
        value("steadystate-ramp-time", \.steadystateRampTime),
        Option(key: "target", kind: .run) { _, _ in },
        Option(key: "percentiles", kind: .run) { _, _ in },
    ]

    public static let byKey: [String: Option] = Dictionary(uniqueKeysWithValues: all.map { ($0.key, $0) })

    /// `RawJobOptions` from a job's entries, in order (a later entry wins).
    public static func raw(_ entries: [OptionEntry]) -> RawJobOptions {
        var raw = RawJobOptions()
        for e in entries { byKey[e.key]?.apply(&raw, e.value) }
        return raw
    }
}
