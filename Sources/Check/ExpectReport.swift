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

    /// Why a class could not be evaluated, and what to do.
    public struct Problem: Codable, Sendable {
        public var reason: String
        public var fix: String?
        public init(_ p: ManifestProblem) { reason = p.reason; fix = p.fix }
        public init(reason: String, fix: String?) { self.reason = reason; self.fix = fix }
    }
    /// Where the class's volumes are created.
    public struct Zone: Codable, Sendable {
        public var volumeBindingMode: String
        /// nil: any zone.
        public var allowedZones: [String]?
        /// nil: not known (no profile matched).
        public var regional: Bool?
    }

    public var storageClass: String
    public var source: String
    /// As written in the class.
    public var provisioner: String
    /// The CSI driver that provisions an in-tree class (CSI migration); absent when it is the same.
    public var provisionedBy: String?
    /// False when the class could not be evaluated; `error` says why.
    public var evaluated: Bool
    public var error: Problem?
    public var profile: String?
    public var provider: String?
    public var zone: Zone?
    // The envelope at `size`; absent without a size (or when the class was not evaluated).
    public var size: String?
    public var sizeGib: Double?
    public var sizeTier: String?
    public var values: [String: Double]?
    public var iops: Directions?
    public var throughputUnit: String?
    /// In the unit above (MiB/s or MB/s, as the provider publishes).
    public var throughput: Directions?
    public var throughputBytesPerSecond: Directions?
    public var burst: Burst?
    /// Without a burst model in force: what the profile says about it ("the provisioned rate is sustained").
    public var burstNotes: [String]?
    public var latency: LatencyEntry?
    /// I/Os up to this size count as one (nil: not published).
    public var countedIoSizeKib: Double?
    public var countedIoRule: String?
    public var consistency: ConsistencyEntry?
    public var lint: [LintEntry]
    public var warnings: [String]
    public var notes: [String]

    /// A class, with its envelope when it was evaluated at a size.
    public init(_ e: ClassEvaluation) {
        let sc = e.storageClass
        storageClass = sc.name
        source = sc.file == "<command line>" ? "command line" : sc.source
        provisioner = sc.provisioner
        provisionedBy = e.provisioned.flatMap { $0.provisioner == sc.provisioner ? nil : $0.provisioner }
        evaluated = e.evaluated
        error = e.problem.map(Problem.init)
        profile = e.profile?.name
        provider = e.profile?.provider
        zone = e.zone.map { Zone(volumeBindingMode: $0.volumeBindingMode, allowedZones: $0.allowedZones, regional: $0.regional) }
        lint = []
        warnings = e.warnings
        notes = e.notes
        guard let s = e.subject else { return }
        let r = s.resolved, x = s.expectation, p = s.profile
        size = r.size.text
        sizeGib = r.sizeGiB
        sizeTier = x.sizeTier
        values = r.values
        func dirs(_ d: VolumeExpectation.Directions) -> Directions {
            Directions(read: Level(baseline: d.read.baseline, maximum: d.read.maximum), write: Level(baseline: d.write.baseline, maximum: d.write.maximum))
        }
        iops = dirs(x.iops)
        throughputUnit = x.throughputUnit.rawValue
        throughput = dirs(x.throughputInUnit)
        throughputBytesPerSecond = dirs(x.throughputBytesPerSecond)
        burst = x.burst.map { b in
            Burst(model: b.model.rawValue, buckets: b.buckets.map {
                Bucket(measures: $0.measures.rawValue, capacity: $0.capacity, earnRate: $0.earnRate, rate: $0.rate, fullBucketSeconds: $0.fullBucketSeconds)
            }, notes: b.notes)
        }
        burstNotes = x.burst == nil ? p.burst.filter { $0.model == .none }.flatMap(\.notes) : []
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

    /// A tier named on the command line (`--tier gp3`).
    public init(_ s: CheckSubject) {
        self.init(ClassEvaluation(storageClass: s.resolved.storageClass, provisioned: s.resolved.storageClass, profile: s.profile, subject: s))
    }

    /// True when the cloud would refuse the volume as given.
    public var rejected: Bool { lint.contains { $0.effect == "rejected" } }
}

/// A claim in the `tierbench-expect/1` document: the class it gets and its envelope at its size.
public struct ClaimEntry: Codable, Sendable {
    public struct Workload: Codable, Sendable {
        public var kind: String
        public var name: String
        public var namespace: String?
        init(_ w: WorkloadRef) { kind = w.kind; name = w.name; namespace = w.namespace }
    }

    public var claim: String
    /// `PersistentVolumeClaim`, or `volumeClaimTemplate` of the `owner` StatefulSet.
    public var kind: String
    public var owner: Workload?
    public var namespace: String?
    public var source: String
    public var storageClass: String?
    /// How the class was found: `storageClassName`, `the default class` (annotated), `storageClassName: ""`.
    public var classFrom: String
    public var size: String
    public var sizeGib: Double
    public var volumeMode: String
    public var accessModes: [String]
    /// Volumes the claim makes (a StatefulSet's replicas; 1 for a PVC).
    public var volumes: Int
    /// The PVC names the cluster makes (one per replica for a template).
    public var pvcNames: [String]
    public var usedBy: [Workload]
    /// The class at the claim's size; absent when the class is unknown.
    public var expectation: ExpectEntry?
    /// Why the claim cannot be evaluated.
    public var error: ExpectEntry.Problem?
    public var note: String?

    public init(_ c: ClaimEvaluation) {
        let k = c.claim
        claim = k.name
        kind = k.owner == nil ? "PersistentVolumeClaim" : "volumeClaimTemplate"
        owner = k.owner.map(Workload.init)
        namespace = k.namespace
        source = k.source
        storageClass = c.className
        classFrom = c.classFrom
        size = k.size.text
        sizeGib = k.size.gib
        volumeMode = k.volumeMode
        accessModes = k.accessModes
        volumes = k.replicas
        pvcNames = k.claimNames
        usedBy = k.usedBy.map(Workload.init)
        expectation = c.evaluation.map(ExpectEntry.init)
        error = c.problem.map(ExpectEntry.Problem.init)
        note = c.note
    }

    /// The claim cannot be evaluated, its class cannot, or the cloud would refuse its volumes.
    public var needsALook: Bool { error != nil || expectation.map { !$0.evaluated || $0.rejected } ?? false }
}

/// An object of the manifests that is neither a class nor a claim and could not be read.
public struct ProblemEntry: Codable, Sendable {
    public var source: String
    public var subject: String?
    public var reason: String
    public var fix: String?
    public init(_ p: ManifestProblem) { source = p.source; subject = p.subject; reason = p.reason; fix = p.fix }
}

public struct ExpectDocument: Codable, Sendable {
    public var schema = "tierbench-expect/1"
    public var tool = "tierbench"
    public var version: String
    /// How in-tree classes were read: `csi-migration` (current clusters) or `in-tree` (before 1.23).
    public var semantics: String
    public var classes: [ExpectEntry]
    public var claims: [ClaimEntry]
    public var problems: [ProblemEntry]
    public var notes: [String]
    /// Something needs a look: a class not evaluated or refused by the cloud, a claim that cannot be
    /// evaluated or whose volumes the cloud would refuse, an object that could not be read (exit 3).
    public var needsALook: Bool

    public init(version: String, semantics: String = "csi-migration", classes: [ExpectEntry], claims: [ClaimEntry] = [],
                problems: [ProblemEntry] = [], notes: [String] = []) {
        self.version = version; self.semantics = semantics; self.classes = classes; self.claims = claims
        self.problems = problems; self.notes = notes
        needsALook = classes.contains { !$0.evaluated || $0.rejected } || claims.contains(where: \.needsALook) || !problems.isEmpty
    }
}

extension CheckReport {
    /// `tierbench expect` for people: one block per class (at `--size`), then one per claim (at
    /// its own size), the objects that could not be read, and a summary line.
    public static func human(_ doc: ExpectDocument) -> String {
        var out = ""
        for c in doc.classes {
            out += classBlock(c, title: c.source == "command line" ? c.storageClass : "StorageClass `\(c.storageClass)` (\(c.source))")
        }
        if !doc.claims.isEmpty { out += "Claims\n\n" }
        for k in doc.claims {
            let owner = k.owner.map { "\($0.kind) `\($0.name)`, claim template `\(k.claim)`" } ?? "PersistentVolumeClaim `\(k.claim)`"
            let volumes = k.volumes == 1 ? "1 volume" : "\(k.volumes) volumes"
            let cls = k.storageClass.map { "class `\($0)` (\(k.classFrom == "storageClassName" ? "from storageClassName" : k.classFrom))" } ?? "no class (\(k.classFrom))"
            out += "\(owner) (\(k.source)): \(volumes) of \(k.size), \(k.volumeMode), \(cls)\n"
            if !k.usedBy.isEmpty { out += "  used by: \(k.usedBy.map { "\($0.kind) `\($0.name)`" }.joined(separator: ", "))\n" }
            if let e = k.error { out += problemLines(e) }
            if let n = k.note { out += "  note: \(n)\n" }
            if let e = k.expectation {
                if let p = e.error {
                    out += "  StorageClass `\(e.storageClass)` (\(e.source)) not evaluated:\n" + problemLines(p, indent: "    ")
                } else {
                    out += "  tier \(e.profile ?? "?")\(e.provider.map { " (\($0))" } ?? "")\(e.sizeTier.map { ", size tier \($0)" } ?? ""), per volume:\n"
                    if e.rejected { out += "  refused: the cloud would not create these volumes as the class and the claim stand (lint below)\n" }
                    out += details(e, indent: "  ")
                }
            }
            out += "\n"
        }
        for p in doc.problems {
            out += "\(p.source): \(p.subject ?? "object") not read:\n" + problemLines(ExpectEntry.Problem(reason: p.reason, fix: p.fix))
        }
        for n in doc.notes { out += "note: \(n)\n" }
        out += summary(doc) + "\n"
        return out
    }

    static func classBlock(_ c: ExpectEntry, title: String) -> String {
        var out = title
        var head: [String] = []
        if !c.provisioner.isEmpty { head.append("provisioner \(c.provisioner)\(c.provisionedBy.map { " (provisioned by \($0))" } ?? "")") }
        if let p = c.profile { head.append("tier \(p)\(c.provider.map { " (\($0))" } ?? "")") }
        if let size = c.size, let gib = c.sizeGib { head.append("\(size) = \(num(gib)) GiB\(c.sizeTier.map { ", size tier \($0)" } ?? "")") }
        out += (head.isEmpty ? "" : ": " + head.joined(separator: ", ")) + "\n"
        if let e = c.error {
            out += "  not evaluated:\n" + problemLines(e, indent: "    ")
            for w in c.warnings { out += "  warning: \(w)\n" }
            for n in c.notes { out += "  note: \(n)\n" }
            return out + "\n"
        }
        if c.size == nil { out += "  envelope: no --size given; the claims below are evaluated at their own sizes\n" }
        return out + details(c, indent: "  ") + "\n"
    }

    static func problemLines(_ p: ExpectEntry.Problem, indent: String = "  ") -> String {
        "\(indent)why: \(p.reason)\n" + (p.fix.map { "\(indent)fix: \($0)\n" } ?? "")
    }

    /// The envelope table (when a size is known), zone facts, lint, warnings and notes.
    static func details(_ c: ExpectEntry, indent: String) -> String {
        var rows: [[String]] = []
        if let z = c.zone {
            let zones = z.allowedZones.map { "allowed zones \($0.joined(separator: ", "))" } ?? "any zone"
            let kind = z.regional.map { $0 ? "regional (replicated across zones)" : "zonal" } ?? "zonal or regional: not known"
            rows.append(["zones", "\(kind); \(zones); binding \(z.volumeBindingMode)"])
        }
        if let values = c.values, !values.isEmpty {
            rows.append(["provisioned", values.sorted { $0.key < $1.key }.map { "\($0.key) \(num($0.value))" }.joined(separator: ", ")])
        }
        if let iops = c.iops, let tp = c.throughput, let unit = c.throughputUnit {
            rows.append(["IOPS", levels(iops, unit: "")])
            rows.append(["throughput", levels(tp, unit: " \(unit)")])
            if let b = c.burst {
                if b.buckets.isEmpty {
                    rows.append(["burst", "\(b.model)\(b.notes.isEmpty ? "" : ": " + b.notes.joined(separator: "; "))"])
                }
                for k in b.buckets {
                    let u = k.measures == "iops" ? "IOPS" : unit
                    let credits = k.measures == "iops" ? "\(num(k.capacity)) I/O credits" : "\(num(k.capacity)) \(unit.replacingOccurrences(of: "/s", with: "")) of credits"
                    let lasts = k.fullBucketSeconds.map { "a full bucket lasts \(Judge.duration($0)) at \(num(k.rate)) \(u)" } ?? "no burst above the earn rate"
                    rows.append(["burst (\(b.model))", "\(credits), earns \(num(k.earnRate)) per second; \(lasts)"])
                }
            } else {
                let notes = c.burstNotes ?? []
                rows.append(["burst", "none\(notes.isEmpty ? "" : ": " + notes.joined(separator: "; "))"])
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
        }
        var out = rows.isEmpty ? "" : table(rows, indent: indent)
        for l in c.lint { out += "\(indent)lint: \(l.effect): \(l.message) [\(l.id)]\n" }
        for w in c.warnings { out += "\(indent)warning: \(w)\n" }
        for n in c.notes { out += "\(indent)note: \(n)\n" }
        return out
    }

    /// `4 classes: 3 evaluated, 1 not evaluated, 1 refused by the cloud; 2 claims: 1 needs a look`.
    static func summary(_ doc: ExpectDocument) -> String {
        let named = doc.classes.filter { $0.source != "command line" }
        var parts: [String] = []
        if !named.isEmpty {
            let failed = named.filter { !$0.evaluated }.count, refused = named.filter(\.rejected).count
            var p = "\(named.count) class\(named.count == 1 ? "" : "es"): \(named.count - failed) evaluated"
            if failed > 0 { p += ", \(failed) not evaluated" }
            if refused > 0 { p += ", \(refused) refused by the cloud at --size" }
            parts.append(p)
        }
        if !doc.claims.isEmpty {
            let look = doc.claims.filter(\.needsALook).count
            parts.append("\(doc.claims.count) claim\(doc.claims.count == 1 ? "" : "s"): \(look == 0 ? "all evaluated and accepted" : "\(look) need\(look == 1 ? "s" : "") a look")")
        }
        if !doc.problems.isEmpty { parts.append("\(doc.problems.count) object\(doc.problems.count == 1 ? "" : "s") not read") }
        if parts.isEmpty { return doc.needsALook ? "needs a look" : "accepted" }
        return parts.joined(separator: "; ") + (doc.needsALook ? " (exit status 3: needs a look)" : "")
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
