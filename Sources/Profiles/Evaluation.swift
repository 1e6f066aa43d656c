/// What a profile promises for one volume: its formulas evaluated for a size and provisioned values.
public struct VolumeExpectation: Sendable {
    public var profile: String
    public var sizeGiB: Double
    /// The named size tier (Azure P20, ...), if the profile has size tiers.
    public var sizeTier: String?
    /// Every variable the formulas saw (size, given values, defaults).
    public var variables: [String: Double]
    /// IOPS per direction; nil where not published.
    public var iops: Directions
    /// Throughput per direction in bytes per second; nil where not published.
    public var throughputBytesPerSecond: Directions
    /// The unit the provider publishes throughput in; `throughputInUnit` converts back.
    public var throughputUnit: ThroughputUnit
    /// The burst model in force, if any.
    public var burst: BurstExpectation?

    public struct Level: Sendable, Equatable {
        public var baseline: Double?
        public var maximum: Double?
    }

    public struct Directions: Sendable, Equatable {
        public var read: Level
        public var write: Level
        /// The baseline when it is the same for reads and writes.
        public var baseline: Double? { read.baseline == write.baseline ? read.baseline : nil }
        /// The maximum when it is the same for reads and writes.
        public var maximum: Double? { read.maximum == write.maximum ? read.maximum : nil }
    }

    /// Throughput in the provider's unit (MiB/s or MB/s).
    public var throughputInUnit: Directions {
        func conv(_ l: Level) -> Level {
            Level(baseline: l.baseline.map { $0 / throughputUnit.bytesPerSecond },
                  maximum: l.maximum.map { $0 / throughputUnit.bytesPerSecond })
        }
        return Directions(read: conv(throughputBytesPerSecond.read), write: conv(throughputBytesPerSecond.write))
    }
}

public struct BurstExpectation: Sendable {
    public var model: BurstModel.Kind
    public var buckets: [BucketExpectation]
    public var notes: [String]
}

public struct BucketExpectation: Sendable, Equatable {
    public var measures: BurstModel.Measure
    /// Credits in a full bucket (I/Os, or throughput-unit seconds).
    public var capacity: Double
    public var earnRate: Double
    /// The burst rate (IOPS, or the profile's throughput unit).
    public var rate: Double
    /// How long a full bucket lasts at `rate`; nil when `rate` does not exceed `earn_rate` (no burst).
    public var fullBucketSeconds: Double?
}

/// A formula of a profile that could not be evaluated.
public struct ProfileEvaluationError: Error, Sendable, CustomStringConvertible {
    public var profile: String
    public var file: String?
    public var field: String
    public var error: FormulaError

    public var description: String {
        "\(file.map { "\($0): " } ?? "")profile `\(profile)`, \(field): \(error)"
    }
}

/// A lint finding: a value the cloud would reject or cap, or a size outside the tier's range.
public struct LintFinding: Sendable, Equatable, CustomStringConvertible {
    public var id: String
    public var effect: LimitRule.Effect
    public var message: String
    public var description: String { "\(effect.rawValue): \(message) [\(id)]" }
}

extension Profile {
    /// The variables the formulas see: size, the parameters' defaults, then the given values
    /// (keyed by variable name, in the parameter's unit).
    public func variables(sizeGiB: Double, values: [String: Double]) -> [String: Double] {
        var env: [String: Double] = ["size_gib": sizeGiB]
        for p in parameters {
            if let v = p.sets, p.formula == nil, let d = p.numericDefault, env[v] == nil { env[v] = d }
        }
        env.merge(values) { _, given in given }
        return env
    }

    /// Evaluates the profile for a volume of `sizeGiB` with the given provisioned values (keyed by
    /// the variable a parameter sets, e.g. `iops`, `throughput_mibps`) and the boolean parameters
    /// that are true (e.g. `enableBursting`).
    public func expectation(sizeGiB: Double, values: [String: Double] = [:], enabled: Set<String> = [])
        throws(ProfileEvaluationError) -> VolumeExpectation
    {
        let base = variables(sizeGiB: sizeGiB, values: values)
        let active = burstModel(sizeGiB: sizeGiB, enabled: enabled)

        func eval(_ field: String, _ f: Formula, _ env: [String: Double]) throws(ProfileEvaluationError) -> Double {
            do { return try f.evaluate(env) } catch let e {
                throw ProfileEvaluationError(profile: name, file: file, field: field, error: e)
            }
        }
        func level(_ rate: Rate, _ label: String, _ dir: String, _ which: String, _ env: [String: Double])
            throws(ProfileEvaluationError) -> (Double?, present: Bool)
        {
            let specific = dir == "read" ? rate.read : rate.write
            let p = which == "baseline" ? (specific?.baseline ?? rate.both?.baseline) : (specific?.maximum ?? rate.both?.maximum)
            switch p {
            case nil: return (nil, false)
            case .notPublished?: return (nil, true)
            case .value(let f)?: return (try eval("\(label).\(dir).\(which)", f, env), true)
            }
        }

        var dirs: [String: (iops: VolumeExpectation.Level, tp: VolumeExpectation.Level, env: [String: Double])] = [:]
        for dir in ["read", "write"] {
            var env = base
            let (ib, _) = try level(iops, "iops", dir, "baseline", env)
            env["baseline_iops"] = ib
            var (im, imPresent) = try level(iops, "iops", dir, "maximum", env)
            if !imPresent { im = ib }
            env["maximum_iops"] = im
            let (tb, _) = try level(throughput, "throughput", dir, "baseline", env)
            env["baseline_throughput"] = tb
            var (tm, tmPresent) = try level(throughput, "throughput", dir, "maximum", env)
            if !tmPresent { tm = tb }
            if let active, active.model == .onDemand {
                if let f = active.iops { im = try eval("burst.iops", f, env) }
                if let f = active.throughput { tm = try eval("burst.throughput", f, env) }
                env["maximum_iops"] = im
            }
            env["maximum_throughput"] = tm
            dirs[dir] = (VolumeExpectation.Level(baseline: ib, maximum: im), VolumeExpectation.Level(baseline: tb, maximum: tm), env)
        }
        let bytes = throughputUnit.bytesPerSecond
        func toBytes(_ l: VolumeExpectation.Level) -> VolumeExpectation.Level {
            VolumeExpectation.Level(baseline: l.baseline.map { $0 * bytes }, maximum: l.maximum.map { $0 * bytes })
        }

        var burstExpectation: BurstExpectation?
        if let active {
            // Buckets are evaluated with the read direction's rates.
            let env = dirs["read"]!.env
            var buckets: [BucketExpectation] = []
            for (i, b) in active.buckets.enumerated() {
                let field = "burst.buckets[\(i)]"
                let capacity = try eval("\(field).capacity", b.capacity, env)
                let earn = try eval("\(field).earn_rate", b.earnRate, env)
                let rate: Double
                if let r = b.rate {
                    rate = try eval("\(field).rate", r, env)
                } else {
                    let key = b.measures == .iops ? "maximum_iops" : "maximum_throughput"
                    guard let m = env[key] else {
                        throw ProfileEvaluationError(
                            profile: name, file: file, field: "\(field).rate",
                            error: FormulaError(formula: "", position: 1, message: "no rate and no published maximum \(b.measures.rawValue)"))
                    }
                    rate = m
                }
                let seconds: Double? = rate > earn && capacity > 0 ? capacity / (rate - earn) : nil
                buckets.append(BucketExpectation(measures: b.measures, capacity: capacity, earnRate: earn, rate: rate, fullBucketSeconds: seconds))
            }
            burstExpectation = BurstExpectation(model: active.model, buckets: buckets, notes: active.notes)
        }

        return VolumeExpectation(
            profile: name, sizeGiB: sizeGiB, sizeTier: sizeTier(forGiB: sizeGiB)?.name, variables: base,
            iops: .init(read: dirs["read"]!.iops, write: dirs["write"]!.iops),
            throughputBytesPerSecond: .init(read: toBytes(dirs["read"]!.tp), write: toBytes(dirs["write"]!.tp)),
            throughputUnit: throughputUnit, burst: burstExpectation)
    }

    /// The first burst model that applies to this size with these boolean parameters true.
    public func burstModel(sizeGiB: Double, enabled: Set<String>) -> BurstModel? {
        burst.first { b in
            b.model != .none && (b.sizeGiB?.contains(sizeGiB) ?? true)
                && (b.enabledBy.map { flag in enabled.contains { $0.lowercased() == flag.lowercased() } } ?? true)
        }
    }

    /// Checks the size against the tier's range and the limit rules. `values` are the given
    /// (not defaulted) provisioned values, keyed by variable; rules that read a variable without a
    /// value are skipped.
    public func lint(sizeGiB: Double, values: [String: Double] = [:]) -> [LintFinding] {
        var findings: [LintFinding] = []
        if let range = sizeGiB.isNaN ? nil : self.sizeGiB, !range.contains(sizeGiB) {
            findings.append(LintFinding(
                id: "size-range", effect: .rejected,
                message: "\(name) sizes are \(fmt(range.min))-\(fmt(range.max)) GiB, this volume is \(fmt(sizeGiB)) GiB"))
        }
        let env = variables(sizeGiB: sizeGiB, values: values)
        for rule in limits where rule.whenSet.allSatisfy({ values[$0] != nil }) {
            guard let v = try? rule.value.evaluate(env) else { continue }
            if let lo = rule.min, v < lo {
                findings.append(LintFinding(id: rule.id, effect: rule.effect, message: "\(rule.description): `\(rule.value)` = \(fmt(v)), below \(fmt(lo))"))
            }
            if let hi = rule.max, v > hi {
                findings.append(LintFinding(id: rule.id, effect: rule.effect, message: "\(rule.description): `\(rule.value)` = \(fmt(v)), above \(fmt(hi))"))
            }
        }
        return findings
    }
}
