import Foundation

/// One run as the history keeps it: where and with what it ran, every job's parameters and
/// metrics per direction, the latency histograms, the interval samples and the verdicts.
public struct RunRecord: Sendable {
    /// Start of the run, UTC.
    public var startedAt: Date
    /// What recorded it: `run`, `check`, `import`, `zones` (one run per measured volume).
    public var source: String
    /// `tierbench/1` or `fio`.
    public var format: String
    public var tool: String
    public var toolVersion: String
    public var host: String?
    public var kernel: String?
    public var cpuModel: String?
    public var cpus: Int?
    public var architecture: String?
    public var targetPath: String?
    public var targetKind: String?
    public var targetSizeBytes: UInt64?
    public var deviceName: String?
    public var deviceModel: String?
    public var deviceSizeBytes: UInt64?
    public var filesystem: String?
    public var tier: String?
    public var storageClass: String?
    public var zone: String?
    public var node: String?
    public var instanceType: String?
    /// The user's `--label key=value` pairs (the well-known keys also fill the fields above).
    public var labels: [String: String]
    public var interrupted: Bool
    public var failed: Bool
    public var jobs: [JobRecord]
    public var verdicts: [VerdictRecord]
    /// Identifies the same result imported twice (a digest of the document).
    public var digest: String

    public init(startedAt: Date, source: String, format: String, tool: String, toolVersion: String, labels: [String: String] = [:],
                jobs: [JobRecord] = [], digest: String) {
        self.startedAt = startedAt; self.source = source; self.format = format; self.tool = tool; self.toolVersion = toolVersion
        self.labels = labels; self.jobs = jobs; self.digest = digest
        interrupted = false; failed = false; verdicts = []
    }

    /// The target identity a series belongs to: the tier or class and zone when known, else the
    /// host and the device (name, model, size).
    public var identity: String {
        if tier != nil || storageClass != nil {
            return [storageClass.map { "class=\($0)" }, tier.map { "tier=\($0)" }, "zone=\(zone ?? "-")"].compactMap { $0 }.joined(separator: " ")
        }
        var device = deviceName ?? "-"
        if let deviceModel { device += " \(deviceModel)" }
        if let deviceSizeBytes { device += " " + Self.size(deviceSizeBytes) }
        return "host=\(host ?? "-") device=\(device)" + (zone.map { " zone=\($0)" } ?? "")
    }

    /// 256GiB, 1.5TiB, 4096B: exact enough to tell devices apart.
    static func size(_ bytes: UInt64) -> String {
        for (unit, shift) in [("TiB", 40), ("GiB", 30), ("MiB", 20)] where bytes >= 1 << shift {
            let v = Double(bytes) / Double(UInt64(1) << shift)
            return (v == v.rounded() ? String(Int(v)) : String(format: "%.2f", v)) + unit
        }
        return "\(bytes)B"
    }

    /// The labels that are part of a series' identity: all but the well-known ones the identity
    /// or the boundaries already use.
    public var identityLabels: String {
        labels.filter { !Labels.wellKnown.contains($0.key) }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }

    /// Applies the well-known labels (tier, class, zone, node, instance_type) to the fields they name.
    public mutating func apply(labels extra: [String: String]) {
        for (k, v) in extra { labels[k] = v }
        if let v = labels["tier"] { tier = v }
        if let v = labels["class"] { storageClass = v }
        if let v = labels["zone"] { zone = v }
        if let v = labels["node"] { node = v }
        if let v = labels["instance_type"] { instanceType = v }
    }
}

public struct JobRecord: Sendable {
    public var name: String
    public var jobIndex: Int
    public var rw: String
    public var blockSizeBytes: UInt64?
    public var iodepth: Int?
    public var numjobs: Int?
    /// The engine actually used (`io_uring`, `psync`, fio's ioengine).
    public var engine: String
    /// The job's parameters as canonical JSON (sorted keys).
    public var parameters: String
    /// FNV-1a 64 of `parameters`, hex: the workload part of a series' identity.
    public var parametersHash: String
    public var interrupted: Bool
    public var failed: Bool
    public var directions: [DirectionRecord]

    public init(name: String, jobIndex: Int, rw: String, engine: String, parameters: String, directions: [DirectionRecord] = []) {
        self.name = name; self.jobIndex = jobIndex; self.rw = rw; self.engine = engine; self.parameters = parameters
        self.parametersHash = Digest.fnv1a64Hex(parameters); self.directions = directions
        interrupted = false; failed = false
    }
}

public enum IODirection: String, Sendable, Codable, CaseIterable {
    case read, write
    /// The sync operations of fio's fsync=N / fdatasync=N (fio's `sync` section): no bytes,
    /// their latency (`lat_*_ns`, e.g. the `lat_p99_ns` a nightly gate watches) and counts.
    case sync
}

public struct DirectionRecord: Sendable {
    public var direction: IODirection
    public var ios: UInt64
    public var bytes: UInt64
    public var runtimeNanoseconds: UInt64?
    /// Every metric, by name (see `MetricNames`): rates, latency means, extremes and percentiles,
    /// interval statistics.
    public var metrics: [String: Double]
    /// Per-interval values of the metrics that have them (iops, bw_bytes_per_second, lat_mean_ns, lat_p99_ns).
    public var samples: [String: [Double]]
    /// Latency histograms by measure ("lat", "clat", "slat"): (nanoseconds, count) per non-empty bucket.
    public var histograms: [String: [(nanoseconds: UInt64, count: UInt64)]]

    public init(direction: IODirection, ios: UInt64, bytes: UInt64, runtimeNanoseconds: UInt64? = nil, metrics: [String: Double],
                samples: [String: [Double]] = [:], histograms: [String: [(nanoseconds: UInt64, count: UInt64)]] = [:]) {
        self.direction = direction; self.ios = ios; self.bytes = bytes; self.runtimeNanoseconds = runtimeNanoseconds
        self.metrics = metrics; self.samples = samples; self.histograms = histograms
    }
}

/// One metric's verdict from `check`.
public struct VerdictRecord: Sendable, Codable, Equatable {
    public var subject: String
    public var profile: String
    public var job: String
    public var metric: String
    public var verdict: String
    public var expected: Double?
    public var measured: Double?
    public var unit: String
    public var reason: String

    public init(subject: String, profile: String, job: String, metric: String, verdict: String, expected: Double?, measured: Double?, unit: String, reason: String) {
        self.subject = subject; self.profile = profile; self.job = job; self.metric = metric; self.verdict = verdict
        self.expected = expected; self.measured = measured; self.unit = unit; self.reason = reason
    }
}

enum Digest {
    /// FNV-1a, 64 bits, as 16 hex digits: stable across runs and machines (not for security).
    static func fnv1a64Hex<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    static func fnv1a64Hex(_ text: String) -> String { fnv1a64Hex(text.utf8) }
}
