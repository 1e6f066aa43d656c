/// The model of a tier profile, decoded from one YAML file in `profiles/` (the keys are documented in
/// `profiles/README.md`). Nothing here knows a tier's name or numbers: they are all in the files.
/// Unknown keys are refused, so a misspelt key is an error and not a silently missing number.
public struct Profile: Sendable, Decodable {
    /// The tier's name, unique in a profile set (`gp3`, `Premium_LRS`, ...).
    public var name: String
    /// `aws`, `gcp`, `azure`, or anything for fixed-number classes.
    public var provider: String
    public var description: String?
    /// A template to copy, never matched against a StorageClass.
    public var template: Bool
    public var provisioners: [Provisioner]
    public var parameters: [Parameter]
    /// The sizes the provider accepts, in GiB (nil: not published).
    public var sizeGiB: SizeRange?
    /// Named size tiers (Azure P10, E20, ...): a disk gets the first tier whose `max_gib` holds it.
    public var sizeTiers: [SizeTier]
    public var iops: Rate
    public var throughput: Rate
    /// The throughput unit the provider publishes; every throughput formula is in this unit.
    public var throughputUnit: ThroughputUnit
    /// Ratio and range limits: data for lint rules.
    public var limits: [LimitRule]
    /// Burst models, first applicable wins; empty means none.
    public var burst: [BurstModel]
    public var ioAccounting: Published<IOAccounting>
    public var latency: Published<Latency>
    public var consistency: Published<Consistency>
    /// Parameter values that make a volume regional (replicated across zones): GCE
    /// `replication-type: regional-pd`, Azure `skuName: Premium_ZRS`.
    public var regional: [RegionalRule]
    public var notes: [String]
    public var sources: [String]
    /// The date the numbers were checked against the sources (YYYY-MM-DD).
    public var checked: String
    /// The file the profile was loaded from (set by the loader).
    public var file: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, provider, description, template, provisioners, parameters
        case sizeGiB = "size_gib", sizeTiers = "size_tiers", iops, throughput
        case throughputUnit = "throughput_unit", limits, burst
        case ioAccounting = "io_accounting", latency, consistency, regional, notes, sources, checked
    }

    public init(from decoder: any Decoder) throws {
        let c = try checkedContainer(decoder, CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        guard !name.isEmpty else {
            throw DecodingError.dataCorruptedError(forKey: .name, in: c, debugDescription: "the name is empty")
        }
        provider = try c.decode(String.self, forKey: .provider)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        template = try c.decodeIfPresent(Bool.self, forKey: .template) ?? false
        provisioners = try c.decodeIfPresent([Provisioner].self, forKey: .provisioners) ?? []
        parameters = try c.decodeIfPresent([Parameter].self, forKey: .parameters) ?? []
        sizeGiB = try c.decodeIfPresent(SizeRange.self, forKey: .sizeGiB)
        sizeTiers = try c.decodeIfPresent([SizeTier].self, forKey: .sizeTiers) ?? []
        iops = try c.decode(Rate.self, forKey: .iops)
        throughput = try c.decode(Rate.self, forKey: .throughput)
        throughputUnit = try c.decode(ThroughputUnit.self, forKey: .throughputUnit)
        limits = try c.decodeIfPresent([LimitRule].self, forKey: .limits) ?? []
        burst = try c.decodeIfPresent([BurstModel].self, forKey: .burst) ?? []
        ioAccounting = try c.decode(Published<IOAccounting>.self, forKey: .ioAccounting)
        latency = try c.decode(Published<Latency>.self, forKey: .latency)
        consistency = try c.decode(Published<Consistency>.self, forKey: .consistency)
        regional = try c.decodeIfPresent([RegionalRule].self, forKey: .regional) ?? []
        notes = try c.decodeIfPresent([String].self, forKey: .notes) ?? []
        sources = try c.decode([String].self, forKey: .sources)
        guard !sources.isEmpty else {
            throw DecodingError.dataCorruptedError(forKey: .sources, in: c, debugDescription: "a profile needs at least one source")
        }
        checked = try c.decode(String.self, forKey: .checked)
        guard checked.wholeMatch(of: /[0-9]{4}-[0-9]{2}-[0-9]{2}/) != nil else {
            throw DecodingError.dataCorruptedError(
                forKey: .checked, in: c, debugDescription: "`checked` must be a date YYYY-MM-DD, found `\(checked)`")
        }
        // Every name a formula reads must be bound by something: size, a parameter, or a computed rate.
        let known = Set(["size_gib", "baseline_iops", "maximum_iops", "baseline_throughput", "maximum_throughput"])
            .union(parameters.compactMap(\.sets))
        for (path, formula) in allFormulas {
            // A parameter's formula also reads the parameter's own value as `value`.
            let readable = path.hasPrefix("parameters[") ? known.union(["value"]) : known
            for v in formula.variables where !readable.contains(v) {
                throw DecodingError.dataCorrupted(.init(
                    codingPath: c.codingPath,
                    debugDescription: "\(path): formula `\(formula)` reads `\(v)`, which no parameter sets (known: \(known.sorted().joined(separator: ", ")))"))
            }
        }
    }

    /// Every formula of the profile with a readable path, for validation and listing.
    public var allFormulas: [(String, Formula)] {
        var all: [(String, Formula)] = []
        func add(_ path: String, _ p: Published<Formula>?) { if case .value(let f)? = p { all.append((path, f)) } }
        for (label, rate) in [("iops", iops), ("throughput", throughput)] {
            for (dir, level) in [("", rate.both), (".read", rate.read), (".write", rate.write)] {
                add("\(label)\(dir).baseline", level?.baseline)
                add("\(label)\(dir).maximum", level?.maximum)
            }
        }
        for (i, p) in parameters.enumerated() { if let f = p.formula { all.append(("parameters[\(i)].formula", f)) } }
        for (i, l) in limits.enumerated() { all.append(("limits[\(i)].value", l.value)) }
        for (i, b) in burst.enumerated() {
            for (j, bucket) in b.buckets.enumerated() {
                all.append(("burst[\(i)].buckets[\(j)].capacity", bucket.capacity))
                all.append(("burst[\(i)].buckets[\(j)].earn_rate", bucket.earnRate))
                if let r = bucket.rate { all.append(("burst[\(i)].buckets[\(j)].rate", r)) }
            }
            if let f = b.iops { all.append(("burst[\(i)].iops", f)) }
            if let f = b.throughput { all.append(("burst[\(i)].throughput", f)) }
        }
        return all
    }

    /// The named size tier a disk of this size gets, if the profile has size tiers.
    public func sizeTier(forGiB size: Double) -> SizeTier? {
        sizeTiers.first { $0.maxGiB >= size }
    }
}

/// `{parameter, value}`: a class whose parameter (key without case, value exactly) has this value
/// makes regional volumes.
public struct RegionalRule: Sendable, Decodable, Equatable {
    public var parameter: String
    public var value: String

    enum CodingKeys: String, CodingKey, CaseIterable { case parameter, value }

    public init(from decoder: any Decoder) throws {
        let c = try checkedContainer(decoder, CodingKeys.self)
        parameter = try c.decode(String.self, forKey: .parameter)
        value = try c.decode(String.self, forKey: .value)
    }
}

/// A StorageClass provisioner and the parameter value that selects this tier.
public struct Provisioner: Sendable, Decodable, Equatable {
    /// `ebs.csi.aws.com`, `kubernetes.io/aws-ebs`, ...
    public var name: String
    /// The parameter that selects the tier (`type`, `skuName`).
    public var parameter: String
    /// Other names of that parameter (`storageAccountType`).
    public var parameterAliases: [String]
    /// The parameter's value for this tier.
    public var value: String
    /// Whether `value` is compared case-insensitively.
    public var valueCaseInsensitive: Bool
    /// The tier the driver uses when the parameter is absent.
    public var isDefault: Bool

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, parameter, parameterAliases = "parameter_aliases", value
        case valueCase = "value_case", isDefault = "default"
    }

    public init(from decoder: any Decoder) throws {
        let c = try checkedContainer(decoder, CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        parameter = try c.decode(String.self, forKey: .parameter)
        parameterAliases = try c.decodeIfPresent([String].self, forKey: .parameterAliases) ?? []
        value = try c.decode(String.self, forKey: .value)
        valueCaseInsensitive = try c.decodeIfPresent(CaseRule.self, forKey: .valueCase) == .insensitive
        isDefault = try c.decodeIfPresent(Bool.self, forKey: .isDefault) ?? false
    }
}

public enum CaseRule: String, Sendable, Decodable {
    case sensitive, insensitive
}

/// A StorageClass parameter the tier knows.
public struct Parameter: Sendable, Decodable {
    public var name: String
    public var meaning: String
    /// `integer`, `number`, `quantity` (Kubernetes quantity), `string`, `boolean`.
    public var kind: Kind
    /// The formula variable the parameter sets, if it feeds the formulas.
    public var sets: String?
    /// How the variable is computed from the parameter's value, which the formula reads as `value`
    /// (absent: the variable is the value itself).
    public var formula: Formula?
    /// The unit of the value, as the provider publishes it (`MiB/s`, `MB/s`).
    public var unit: String?
    /// The default (as text, as in a StorageClass); absent: none, or not published.
    public var defaultValue: String?
    /// Allowed values (empty: any).
    public var values: [String]
    /// Whether the key is matched case-insensitively.
    public var keyCase: CaseRule
    /// Parameters that must not be given together with this one.
    public var exclusiveWith: [String]
    /// The provisioners that accept it (empty: all the profile's provisioners).
    public var provisioners: [String]
    /// Set when the driver deprecated the parameter: what to use instead.
    public var deprecated: String?

    public enum Kind: String, Sendable, Decodable {
        case integer, number, quantity, string, boolean
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, meaning, kind, sets, formula, unit, defaultValue = "default", values
        case keyCase = "key_case", exclusiveWith = "exclusive_with", provisioners, deprecated
    }

    public init(from decoder: any Decoder) throws {
        let c = try checkedContainer(decoder, CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        meaning = try c.decode(String.self, forKey: .meaning)
        kind = try c.decode(Kind.self, forKey: .kind)
        sets = try c.decodeIfPresent(String.self, forKey: .sets)
        formula = try c.decodeIfPresent(Formula.self, forKey: .formula)
        unit = try c.decodeIfPresent(String.self, forKey: .unit)
        defaultValue = try c.decodeIfPresent(String.self, forKey: .defaultValue)
        values = try c.decodeIfPresent([String].self, forKey: .values) ?? []
        keyCase = try c.decodeIfPresent(CaseRule.self, forKey: .keyCase) ?? .insensitive
        exclusiveWith = try c.decodeIfPresent([String].self, forKey: .exclusiveWith) ?? []
        provisioners = try c.decodeIfPresent([String].self, forKey: .provisioners) ?? []
        deprecated = try c.decodeIfPresent(String.self, forKey: .deprecated)
        if formula != nil, sets == nil {
            throw DecodingError.dataCorruptedError(forKey: .formula, in: c, debugDescription: "`formula` needs `sets`")
        }
        if let d = defaultValue, sets != nil, kind != .string, kind != .boolean, Double(d.replacingOccurrences(of: "_", with: "")) == nil {
            throw DecodingError.dataCorruptedError(forKey: .defaultValue, in: c, debugDescription: "default `\(d)` is not a number")
        }
    }

    /// The numeric default, if any.
    public var numericDefault: Double? {
        defaultValue.flatMap { Double($0.replacingOccurrences(of: "_", with: "")) }
    }
}

public struct SizeRange: Sendable, Decodable, Equatable {
    public var min: Double
    public var max: Double

    enum CodingKeys: String, CodingKey, CaseIterable { case min, max }

    public init(from decoder: any Decoder) throws {
        let c = try checkedContainer(decoder, CodingKeys.self)
        min = try c.decode(Double.self, forKey: .min)
        max = try c.decode(Double.self, forKey: .max)
    }

    public func contains(_ v: Double) -> Bool { v >= min && v <= max }
}

public struct SizeTier: Sendable, Decodable, Equatable {
    public var name: String
    public var maxGiB: Double

    enum CodingKeys: String, CodingKey, CaseIterable { case name, maxGiB = "max_gib" }

    public init(from decoder: any Decoder) throws {
        let c = try checkedContainer(decoder, CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        maxGiB = try c.decode(Double.self, forKey: .maxGiB)
    }
}

public enum ThroughputUnit: String, Sendable, Decodable {
    /// 2^20 bytes per second (AWS, GCP).
    case mebibytes = "MiB/s"
    /// 10^6 bytes per second (Azure).
    case megabytes = "MB/s"

    public var bytesPerSecond: Double {
        switch self {
        case .mebibytes: 1_048_576
        case .megabytes: 1_000_000
        }
    }
}

/// Either a value or the explicit statement `not published`.
public enum Published<Value: Sendable & Decodable>: Sendable, Decodable {
    case value(Value)
    case notPublished

    public static var notPublishedText: String { "not published" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self), s == Self.notPublishedText {
            self = .notPublished
        } else {
            self = .value(try c.decode(Value.self))
        }
    }

    public var value: Value? {
        if case .value(let v) = self { v } else { nil }
    }
}

extension Published: Equatable where Value: Equatable {}

/// Baseline and maximum of a rate (IOPS or throughput), for both directions or per direction.
/// `maximum` absent means the same as `baseline`; `not published` means unknown.
public struct Rate: Sendable, Decodable {
    public var both: Level?
    public var read: Level?
    public var write: Level?
    public var notes: [String]

    public struct Level: Sendable, Decodable {
        public var baseline: Published<Formula>?
        public var maximum: Published<Formula>?

        enum CodingKeys: String, CodingKey, CaseIterable { case baseline, maximum }

        public init(from decoder: any Decoder) throws {
            let c = try checkedContainer(decoder, CodingKeys.self)
            baseline = try c.decodeIfPresent(Published<Formula>.self, forKey: .baseline)
            maximum = try c.decodeIfPresent(Published<Formula>.self, forKey: .maximum)
        }
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case baseline, maximum, read, write, notes }

    public init(from decoder: any Decoder) throws {
        let c = try checkedContainer(decoder, CodingKeys.self)
        let both = try Level(from: decoder, ignoringOtherKeys: true)
        self.both = both.baseline == nil && both.maximum == nil ? nil : both
        read = try c.decodeIfPresent(Level.self, forKey: .read)
        write = try c.decodeIfPresent(Level.self, forKey: .write)
        notes = try c.decodeIfPresent([String].self, forKey: .notes) ?? []
    }
}

extension Rate.Level {
    init(from decoder: any Decoder, ignoringOtherKeys: Bool) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        baseline = try c.decodeIfPresent(Published<Formula>.self, forKey: .baseline)
        maximum = try c.decodeIfPresent(Published<Formula>.self, forKey: .maximum)
    }
}

/// A lint rule: `value` must lie within [min, max]; `effect` says what the cloud does otherwise.
public struct LimitRule: Sendable, Decodable {
    public var id: String
    public var description: String
    public var value: Formula
    public var min: Double?
    public var max: Double?
    /// The rule applies only when all these variables were given (not defaulted).
    public var whenSet: [String]
    public var effect: Effect

    public enum Effect: String, Sendable, Decodable {
        /// The cloud refuses the volume.
        case rejected
        /// The cloud silently caps the value.
        case capped
        /// Outside what the provider documents as typical.
        case warning
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, description, value, min, max, whenSet = "when_set", effect
    }

    public init(from decoder: any Decoder) throws {
        let c = try checkedContainer(decoder, CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        description = try c.decode(String.self, forKey: .description)
        value = try c.decode(Formula.self, forKey: .value)
        min = try c.decodeIfPresent(Double.self, forKey: .min)
        max = try c.decodeIfPresent(Double.self, forKey: .max)
        whenSet = try c.decodeIfPresent([String].self, forKey: .whenSet) ?? []
        effect = try c.decode(Effect.self, forKey: .effect)
        if min == nil, max == nil {
            throw DecodingError.dataCorruptedError(forKey: .max, in: c, debugDescription: "a limit needs `min`, `max` or both")
        }
    }
}

/// How a volume goes above its baseline.
public struct BurstModel: Sendable, Decodable {
    public var model: Kind
    /// Sizes the model applies to (absent: all).
    public var sizeGiB: SizeRange?
    /// A boolean parameter that must be true for the model to apply (`enableBursting`).
    public var enabledBy: String?
    /// Credit buckets (model `credits`).
    public var buckets: [Bucket]
    /// The maximum rates while bursting on demand (model `on_demand`), in IOPS and the profile's unit.
    public var iops: Formula?
    public var throughput: Formula?
    public var notes: [String]

    public enum Kind: String, Sendable, Decodable {
        case none, credits
        case onDemand = "on_demand"
    }

    /// A credit bucket: it starts full, holds `capacity` credits (I/Os, or throughput-unit seconds),
    /// and earns `earn_rate` credits per second; bursting at `rate` (default: the maximum of what it
    /// measures) drains it in capacity / (rate - earn_rate) seconds.
    public struct Bucket: Sendable, Decodable {
        public var measures: Measure
        public var capacity: Formula
        public var earnRate: Formula
        public var rate: Formula?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case measures, capacity, earnRate = "earn_rate", rate
        }

        public init(from decoder: any Decoder) throws {
            let c = try checkedContainer(decoder, CodingKeys.self)
            measures = try c.decode(Measure.self, forKey: .measures)
            capacity = try c.decode(Formula.self, forKey: .capacity)
            earnRate = try c.decode(Formula.self, forKey: .earnRate)
            rate = try c.decodeIfPresent(Formula.self, forKey: .rate)
        }
    }

    public enum Measure: String, Sendable, Decodable {
        case iops, throughput
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case model, sizeGiB = "size_gib", enabledBy = "enabled_by", buckets, iops, throughput, notes
    }

    public init(from decoder: any Decoder) throws {
        let c = try checkedContainer(decoder, CodingKeys.self)
        model = try c.decode(Kind.self, forKey: .model)
        sizeGiB = try c.decodeIfPresent(SizeRange.self, forKey: .sizeGiB)
        enabledBy = try c.decodeIfPresent(String.self, forKey: .enabledBy)
        buckets = try c.decodeIfPresent([Bucket].self, forKey: .buckets) ?? []
        iops = try c.decodeIfPresent(Formula.self, forKey: .iops)
        throughput = try c.decodeIfPresent(Formula.self, forKey: .throughput)
        notes = try c.decodeIfPresent([String].self, forKey: .notes) ?? []
        switch model {
        case .credits where buckets.isEmpty:
            throw DecodingError.dataCorruptedError(forKey: .buckets, in: c, debugDescription: "model `credits` needs `buckets`")
        case .onDemand where iops == nil && throughput == nil:
            throw DecodingError.dataCorruptedError(forKey: .iops, in: c, debugDescription: "model `on_demand` needs `iops` or `throughput`")
        default: break
        }
    }
}

/// The I/O size the provider counts as one operation.
public struct IOAccounting: Sendable, Decodable, Equatable {
    /// I/Os up to this size count as one (KiB).
    public var ioSizeKiB: Double
    public var rule: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case ioSizeKiB = "io_size_kib", rule }

    public init(from decoder: any Decoder) throws {
        let c = try checkedContainer(decoder, CodingKeys.self)
        ioSizeKiB = try c.decode(Double.self, forKey: .ioSizeKiB)
        rule = try c.decodeIfPresent(String.self, forKey: .rule)
    }
}

/// The latency the provider states. `typical` is the provider's words; the numbers are bounds read
/// from them (single-digit ms: 10; sub-ms: 1), in milliseconds.
public struct Latency: Sendable, Decodable, Equatable {
    public var typical: String
    public var upperMs: Double?
    public var readUpperMs: Double?
    public var writeUpperMs: Double?
    public var averageUpperMs: Double?
    public var p50Ms: Double?
    public var p99Ms: Double?
    public var notes: [String]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case typical, upperMs = "upper_ms", readUpperMs = "read_upper_ms", writeUpperMs = "write_upper_ms"
        case averageUpperMs = "average_upper_ms", p50Ms = "p50_ms", p99Ms = "p99_ms", notes
    }

    public init(from decoder: any Decoder) throws {
        let c = try checkedContainer(decoder, CodingKeys.self)
        typical = try c.decode(String.self, forKey: .typical)
        upperMs = try c.decodeIfPresent(Double.self, forKey: .upperMs)
        readUpperMs = try c.decodeIfPresent(Double.self, forKey: .readUpperMs)
        writeUpperMs = try c.decodeIfPresent(Double.self, forKey: .writeUpperMs)
        averageUpperMs = try c.decodeIfPresent(Double.self, forKey: .averageUpperMs)
        p50Ms = try c.decodeIfPresent(Double.self, forKey: .p50Ms)
        p99Ms = try c.decodeIfPresent(Double.self, forKey: .p99Ms)
        notes = try c.decodeIfPresent([String].self, forKey: .notes) ?? []
    }
}

/// The consistency promise: the rate is at or above `share_of_provisioned` of what the tier
/// promises in at least `share_of_time` of the time. Either share may be unpublished (absent).
public struct Consistency: Sendable, Decodable, Equatable {
    public var shareOfProvisioned: Double?
    public var shareOfTime: Double?
    /// What the promise is about: `iops`, `throughput`, `iops_and_throughput`.
    public var metric: String
    public var period: String?
    public var notes: [String]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case shareOfProvisioned = "share_of_provisioned", shareOfTime = "share_of_time", metric, period, notes
    }

    public init(from decoder: any Decoder) throws {
        let c = try checkedContainer(decoder, CodingKeys.self)
        shareOfProvisioned = try c.decodeIfPresent(Double.self, forKey: .shareOfProvisioned)
        shareOfTime = try c.decodeIfPresent(Double.self, forKey: .shareOfTime)
        metric = try c.decode(String.self, forKey: .metric)
        period = try c.decodeIfPresent(String.self, forKey: .period)
        notes = try c.decodeIfPresent([String].self, forKey: .notes) ?? []
        for (key, v) in [(CodingKeys.shareOfProvisioned, shareOfProvisioned), (.shareOfTime, shareOfTime)] {
            if let v, !(v > 0 && v <= 1) {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "a share is in (0, 1], found \(v)")
            }
        }
    }
}

extension Formula: Decodable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text: String
        if let s = try? c.decode(String.self) {
            text = s
        } else {
            text = fmt(try c.decode(Double.self))
        }
        do {
            try self.init(text)
        } catch let e {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription: e.description, underlyingError: e))
        }
    }
}

struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// A keyed container that refuses keys the type does not know.
func checkedContainer<K: CodingKey & CaseIterable>(_ decoder: any Decoder, _: K.Type) throws -> KeyedDecodingContainer<K> {
    let any = try decoder.container(keyedBy: AnyKey.self)
    let known = K.allCases.map(\.stringValue)
    for key in any.allKeys where !known.contains(key.stringValue) {
        throw DecodingError.dataCorrupted(.init(
            codingPath: any.codingPath + [key],
            debugDescription: "unknown key `\(key.stringValue)` (known here: \(known.joined(separator: ", ")))"))
    }
    return try decoder.container(keyedBy: K.self)
}
