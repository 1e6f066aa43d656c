import Foundation
import Profiles

/// What `tierbench expect` prints for one class and size (the `tierbench-expect/1` document's entries).
public struct ExpectEntry: Codable, Sendable {
    public struct Level: Codable, Sendable { public var baseline: Double?; public var maximum: Double? }
    public struct Directions: Codable, Sendable { public var read: Level; public var write: Level }
    public struct Bucket: Codable, Sendable {
        public var measures: String
        public var capacity: Double
        public var earnRate: Double
        public var rate: Double
        public var fullBucketSeconds: Double?
    }
    public struct Burst: Codable, Sendable { public var model: String; public var buckets: [Bucket]; public var notes: [String] }
    public struct LatencyEntry: Codable, Sendable {
        public var typical: String
        public var upperMs: Double?, readUpperMs: Double?, writeUpperMs: Double?, averageUpperMs: Double?, p50Ms: Double?, p99Ms: Double?
    }
    public struct ConsistencyEntry: Codable, Sendable {
        public var shareOfProvisioned: Double?, shareOfTime: Double?
        public var metric: String
        public var period: String?
    }

    public var storageClass: String
    public var source: String
    public var provisioner: String
    public var profile: String
    public var provider: String
    public var size: String
    public var sizeGib: Double
    public var sizeTier: String?
    public var values: [String: Double]
    public var iops: Directions
    public var throughputUnit: String
    /// In the unit above (MiB/s or MB/s, as the provider publishes).
    public var throughput: Directions
    public var throughputBytesPerSecond: Directions
    public var burst: Burst?
    /// Without a burst model in force: what the profile says about it ("the provisioned rate is sustained").
    public var burstNotes: [String]
    public var latency: LatencyEntry?
    /// I/Os up to this size count as one (nil: not published).
    public var countedIoSizeKib: Double?
    public var countedIoRule: String?
    public var consistency: ConsistencyEntry?
    public var lint: [LintEntry]
    public var warnings: [String]
    public var notes: [String]

    public init(_ s: CheckSubject) {
        let r = s.resolved, e = s.expectation, p = s.profile
        storageClass = r.storageClass.name
        source = r.storageClass.file == "<command line>" ? "command line" : "\(r.storageClass.file)\(r.storageClass.line.map { ":\($0)" } ?? "")"
        provisioner = r.storageClass.provisioner
        profile = p.name
        provider = p.provider
        size = r.size.text
        sizeGib = r.sizeGiB
        sizeTier = e.sizeTier
        values = r.values
        func dirs(_ d: VolumeExpectation.Directions) -> Directions {
            Directions(read: Level(baseline: d.read.baseline, maximum: d.read.maximum), write: Level(baseline: d.write.baseline, maximum: d.write.maximum))
        }
        iops = dirs(e.iops)
        throughputUnit = e.throughputUnit.rawValue
        throughput = dirs(e.throughputInUnit)
        throughputBytesPerSecond = dirs(e.throughputBytesPerSecond)
        burst = e.burst.map { b in
            Burst(model: b.model.rawValue, buckets: b.buckets.map {
                Bucket(measures: $0.measures.rawValue, capacity: $0.capacity, earnRate: $0.earnRate, rate: $0.rate, fullBucketSeconds: $0.fullBucketSeconds)
            }, notes: b.notes)
        }
        burstNotes = e.burst == nil ? p.burst.filter { $0.model == .none }.flatMap(\.notes) : []
        latency = p.latency.value.map {
            LatencyEntry(typical: $0.typical, upperMs: $0.upperMs, readUpperMs: $0.readUpperMs, writeUpperMs: $0.writeUpperMs,
                         averageUpperMs: $0.averageUpperMs, p50Ms: $0.p50Ms, p99Ms: $0.p99Ms)
        }
        countedIoSizeKib = p.ioAccounting.value?.ioSizeKiB
        countedIoRule = p.ioAccounting.value?.rule
        consistency = p.consistency.value.map {
            ConsistencyEntry(shareOfProvisioned: $0.shareOfProvisioned, shareOfTime: $0.shareOfTime, metric: $0.metric, period: $0.period)
        }
        lint = s.lint.map(LintEntry.init)
        warnings = r.warnings
        notes = r.notes
    }

    /// True when the cloud would refuse the volume as given.
    public var rejected: Bool { lint.contains { $0.effect == "rejected" } }
}

public struct ExpectDocument: Codable, Sendable {
    public var schema = "tierbench-expect/1"
    public var tool = "tierbench"
    public var version: String
    public var classes: [ExpectEntry]
    public init(version: String, classes: [ExpectEntry]) { self.version = version; self.classes = classes }
}

extension CheckReport {
    /// `tierbench expect` for people: one block per class and size.
    public static func human(_ doc: ExpectDocument) -> String {
        var out = ""
        for c in doc.classes {
            out += "\(c.source == "command line" ? c.storageClass : "StorageClass `\(c.storageClass)`") (\(c.source)): \(c.provisioner.isEmpty ? "" : "provisioner \(c.provisioner), ")tier \(c.profile) (\(c.provider)), \(c.size) = \(num(c.sizeGib)) GiB\(c.sizeTier.map { ", size tier \($0)" } ?? "")\n"
            var rows: [[String]] = []
            if !c.values.isEmpty {
                rows.append(["provisioned", c.values.sorted { $0.key < $1.key }.map { "\($0.key) \(num($0.value))" }.joined(separator: ", ")])
            }
            rows.append(["IOPS", levels(c.iops, unit: "")])
            rows.append(["throughput", levels(c.throughput, unit: " \(c.throughputUnit)")])
            if let b = c.burst {
                if b.buckets.isEmpty {
                    rows.append(["burst", "\(b.model)\(b.notes.isEmpty ? "" : ": " + b.notes.joined(separator: "; "))"])
                }
                for k in b.buckets {
                    let unit = k.measures == "iops" ? "IOPS" : c.throughputUnit
                    let credits = k.measures == "iops" ? "\(num(k.capacity)) I/O credits" : "\(num(k.capacity)) \(c.throughputUnit.replacingOccurrences(of: "/s", with: "")) of credits"
                    let lasts = k.fullBucketSeconds.map { "a full bucket lasts \(Judge.duration($0)) at \(num(k.rate)) \(unit)" } ?? "no burst above the earn rate"
                    rows.append(["burst (\(b.model))", "\(credits), earns \(num(k.earnRate)) per second; \(lasts)"])
                }
            } else {
                rows.append(["burst", "none\(c.burstNotes.isEmpty ? "" : ": " + c.burstNotes.joined(separator: "; "))"])
            }
            if let l = c.latency {
                let bounds = [("up to", l.upperMs), ("reads up to", l.readUpperMs), ("writes up to", l.writeUpperMs), ("average up to", l.averageUpperMs), ("p50", l.p50Ms), ("p99", l.p99Ms)]
                    .compactMap { k, v in v.map { "\(k) \(num($0)) ms" } }
                rows.append(["latency", "\(l.typical)\(bounds.isEmpty ? "" : " (\(bounds.joined(separator: ", ")))")"])
            } else {
                rows.append(["latency", "not published"])
            }
            rows.append(["counted I/O size", c.countedIoSizeKib.map { "\(num($0)) KiB\(c.countedIoRule.map { " (\($0))" } ?? "")" } ?? "not published"])
            if let k = c.consistency {
                let shares = [k.shareOfProvisioned.map { ">= \(pct($0)) of provisioned" }, k.shareOfTime.map { "in >= \(pct($0)) of the time" }].compactMap { $0 }
                rows.append(["consistency", "\(shares.joined(separator: " "))\(k.period.map { " (per \($0))" } ?? "") for \(k.metric.replacingOccurrences(of: "_", with: " "))"])
            } else {
                rows.append(["consistency", "not published"])
            }
            out += table(rows, indent: "  ")
            for l in c.lint { out += "  lint: \(l.effect): \(l.message) [\(l.id)]\n" }
            for w in c.warnings { out += "  warning: \(w)\n" }
            for n in c.notes { out += "  note: \(n)\n" }
            out += "\n"
        }
        return out
    }

    static func levels(_ d: ExpectEntry.Directions, unit: String) -> String {
        func one(_ l: ExpectEntry.Level) -> String {
            guard let b = l.baseline else { return l.maximum.map { "maximum \(num($0))\(unit) (baseline not published)" } ?? "not published" }
            if let m = l.maximum, m != b { return "baseline \(num(b))\(unit), maximum \(num(m))\(unit)" }
            return "\(num(b))\(unit)"
        }
        let r = one(d.read), w = one(d.write)
        return r == w ? r : "read \(r); write \(w)"
    }
}
