import Text

/// A StorageClass resolved against the profiles for one volume size: the tier, the values its
/// formulas get, and what the driver would make of the parameters.
///
/// Everything comes from the profile's data (provisioners, selecting parameter and its default,
/// parameter names, kinds, key case, units, defaults, `sets` and `formula`, exclusivity,
/// deprecation), except two driver rules the data cannot express, kept here:
/// - a parameter with a `formula` (EBS `iopsPerGB`: `value * size_gib`) derives its value from the
///   size, and the driver fits the result to the type: raised to the type's minimum only when
///   `allowAutoIOPSPerGBIncrease` is true (otherwise the driver refuses the volume), then capped at
///   the type's maximum and at its per-GiB maximum (when that is not below the minimum). The
///   minimum, maximum and per-GiB maximum are read from the profile's `rejected` limit rules whose
///   value is the variable itself (`iops`) or the variable per GiB (`iops / size_gib`);
/// - keys starting with `csi.storage.k8s.io/` are read by the CSI external-provisioner, not by the
///   driver: for a CSI provisioner (any name not starting with `kubernetes.io/`) they are never
///   reported as unknown unless the profile defines them.
public struct ResolvedClass: Sendable {
    public var storageClass: StorageClass
    public var profile: Profile
    public var size: Quantity
    /// The size in GiB the formulas see.
    public var sizeGiB: Double
    /// The values the StorageClass gives (after the driver's rules), keyed by formula variable
    /// (`iops`, `throughput_mibps`); defaults are not here (the profile adds them), so lint rules
    /// with `when_set` apply only to given values.
    public var values: [String: Double]
    /// The boolean parameters that are true, by the profile's spelling (`enableBursting`).
    public var enabled: Set<String>
    /// Parameters the provisioner does not know, deprecated ones, driver refusals: one line each.
    public var warnings: [String]
    /// How values were derived (`iopsPerGB 10 x 500 GiB = 5,000 IOPS`).
    public var notes: [String]

    /// The profile's expectation for this class and size.
    public func expectation() throws(ProfileEvaluationError) -> VolumeExpectation {
        try profile.expectation(sizeGiB: sizeGiB, values: values, enabled: enabled)
    }

    /// The profile's lint findings for this class and size.
    public func lint() -> [LintFinding] {
        profile.lint(sizeGiB: sizeGiB, values: values)
    }
}

/// The boolean parameter that lets the EBS driver raise `iopsPerGB` x size to the type's minimum.
/// Driver semantics the profile data cannot express (see `ResolvedClass`).
let autoIncreaseParameter = "allowAutoIOPSPerGBIncrease"

extension ProfileSet {
    /// The single profile a class selects, or a problem saying why none (or several) match, and the fix.
    public func profile(for sc: StorageClass) throws(ManifestProblem) -> Profile {
        let matches = matching(provisioner: sc.provisioner, parameters: sc.parameters)
        if matches.count == 1 { return matches[0] }
        func fail(_ reason: String, _ fix: String) -> ManifestProblem {
            ManifestProblem(file: sc.file, line: sc.line, subject: "StorageClass `\(sc.name)`", reason: reason, fix: fix)
        }
        if matches.count > 1 {
            throw fail("profiles \(matches.map(\.name).joined(separator: ", ")) all match provisioner `\(sc.provisioner)`", "remove or rename one of them")
        }
        let entries = profiles.filter { !$0.template }.flatMap { p in p.provisioners.filter { $0.name == sc.provisioner }.map { (p, $0) } }
        guard let first = entries.first else {
            let known = Set(profiles.filter { !$0.template }.flatMap { $0.provisioners.map(\.name) }).sorted()
            throw fail(
                "no profile matches provisioner `\(sc.provisioner)` (profiles exist for: \(known.joined(separator: ", ")))",
                "for another provisioner copy profiles/template-fixed.yaml, fill in its numbers and pass --profiles DIR")
        }
        let keys = ([first.1.parameter] + first.1.parameterAliases).map { $0.lowercased() }
        let values = entries.map { "\($0.1.value) (\($0.0.name))" }.joined(separator: ", ")
        if let (key, given) = sc.parameters.first(where: { keys.contains($0.key.lowercased()) }) {
            throw fail("provisioner `\(sc.provisioner)` with \(key) `\(given)` matches no profile", "known \(first.1.parameter) values: \(values)")
        }
        throw fail("provisioner `\(sc.provisioner)` without `\(first.1.parameter)` matches no profile: no profile is that driver's default",
                   "set \(first.1.parameter) to one of: \(values)")
    }

    /// A class's parameters read against its profile, before any size is known: what each given
    /// key names, its value in the parameter's unit, which booleans are true, and the warnings
    /// (unknown, deprecated, not accepted by this provisioner, exclusive). A value that does not
    /// convert is a problem.
    public struct ClassParameters: Sendable {
        public var profile: Profile
        /// The given parameters: the profile's parameter, the key as written, the value (nil for strings).
        var given: [(parameter: Parameter, key: String, number: Double?)]
        public var enabled: Set<String>
        public var warnings: [String]

        /// Provisioned values the tier needs that neither the class nor a default gives: each
        /// variable with the parameters that would set it (io2 without `iops` or `iopsPerGB`).
        public var missingProvisionedValues: [(variable: String, parameters: [String])] {
            ResolvedClass.missing(profile: profile, provisioner: provisioner) { variable in given.contains { $0.parameter.sets == variable } }
        }
        var provisioner: String
    }

    /// Reads a class's parameters against the profile it selects (see `ClassParameters`).
    public func parameters(of sc: StorageClass) throws(ManifestProblem) -> ClassParameters {
        let profile = try profile(for: sc)
        var result = ClassParameters(profile: profile, given: [], enabled: [], warnings: [], provisioner: sc.provisioner)
        let selector = profile.provisioners.first { $0.name == sc.provisioner }!
        let selectorKeys = Set(([selector.parameter] + selector.parameterAliases).map { $0.lowercased() })
        let applicable = profile.parameters.filter { $0.provisioners.isEmpty || $0.provisioners.contains(sc.provisioner) }
        func find(_ key: String, in list: [Parameter]) -> Parameter? {
            list.first { $0.keyCase == .insensitive ? $0.name.lowercased() == key.lowercased() : $0.name == key }
        }

        // Each given key: the parameter it names, checked and converted.
        for key in sc.parameters.keys.sorted() {
            let text = sc.parameters[key]!
            guard let p = find(key, in: applicable) else {
                if selectorKeys.contains(key.lowercased()) { continue }
                if let other = find(key, in: profile.parameters) {
                    let accepted = other.provisioners.joined(separator: ", ")
                    result.warnings.append("\(sc.location): parameter `\(key)` is not accepted by \(sc.provisioner) (only by \(accepted)); the driver ignores or rejects it")
                    continue
                }
                if key.hasPrefix("csi.storage.k8s.io/"), !sc.provisioner.hasPrefix("kubernetes.io/") { continue }
                result.warnings.append("\(sc.location): parameter `\(key)` is unknown to \(sc.provisioner) for tier \(profile.name); the driver may ignore or reject it")
                continue
            }
            if let d = p.deprecated {
                result.warnings.append("\(sc.location): parameter `\(key)` is deprecated (\(d == "no effect" ? "it has no effect" : "use \(d)"))")
            }
            if !p.values.isEmpty, !p.values.contains(text) {
                result.warnings.append("\(sc.location): parameter `\(key)`: `\(text)` is not one of \(p.values.joined(separator: ", "))")
            }
            let number: Double?
            do {
                number = try Self.convert(p, text)
            } catch let e {
                throw ManifestProblem(file: sc.file, line: sc.line, subject: "StorageClass `\(sc.name)`", reason: "parameter `\(key)`: \(e.message)", fix: e.fix)
            }
            if p.kind == .boolean, number == 1 { result.enabled.insert(p.name) }
            result.given.append((p, key, number))
        }

        // Exclusive parameters: the driver refuses the class.
        for (p, key, _) in result.given {
            for other in p.exclusiveWith where result.given.contains(where: { $0.parameter.name == other }) && p.name < other {
                result.warnings.append("\(sc.location): `\(key)` and `\(other)` are exclusive; the driver refuses the class")
            }
        }
        return result
    }

    /// Resolves a class for a volume of `size`: the profile, the formula values, warnings.
    public func resolve(_ sc: StorageClass, size: Quantity) throws(ManifestProblem) -> ResolvedClass {
        let read = try parameters(of: sc)
        let profile = read.profile, given = read.given
        func fail(_ m: String, _ fix: String? = nil) -> ManifestProblem {
            ManifestProblem(file: sc.file, line: sc.line, subject: "StorageClass `\(sc.name)`", reason: m, fix: fix)
        }
        guard size.bytes > 0 else { throw fail("the volume size `\(size)` must be above zero", "give a size such as 100Gi") }
        let sizeGiB = size.gib
        var resolved = ResolvedClass(
            storageClass: sc, profile: profile, size: size, sizeGiB: sizeGiB, values: [:], enabled: read.enabled, warnings: read.warnings, notes: [])

        // Values of the formula variables, in the profile's parameter order (the first wins).
        let autoIncrease = resolved.enabled.contains { $0.lowercased() == autoIncreaseParameter.lowercased() }
        for p in profile.parameters {
            guard let variable = p.sets, resolved.values[variable] == nil,
                let (_, key, number) = given.first(where: { $0.0.name == p.name }), let raw = number
            else { continue }
            guard let formula = p.formula else {
                resolved.values[variable] = raw
                continue
            }
            var v: Double
            do {
                v = try formula.evaluate(["value": raw, "size_gib": sizeGiB])
            } catch let e {
                throw fail("parameter `\(key)`: formula `\(formula)` of profile \(profile.name): \(e)")
            }
            var note = "\(key) \(fmt(raw)) x \(fmt(sizeGiB)) GiB = \(fmt(v)) \(variable)"
            let range = Self.range(of: variable, in: profile)
            if let lo = range.min, v < lo {
                if autoIncrease {
                    v = lo
                    note += ", raised to the \(profile.name) minimum \(fmt(lo)) (\(autoIncreaseParameter))"
                } else {
                    resolved.warnings.append(
                        "\(sc.location): `\(key)` x size gives \(fmt(v)) \(variable), below the \(profile.name) minimum \(fmt(lo)): the driver refuses the volume; "
                            + "set \(autoIncreaseParameter): \"true\" or raise \(key)")
                }
            }
            if let hi = range.max, v > hi {
                v = hi
                note += ", capped at the \(profile.name) maximum \(fmt(hi))"
            }
            if let perGiB = range.perGiB, v > perGiB * sizeGiB, perGiB * sizeGiB >= (range.min ?? 0) {
                v = perGiB * sizeGiB
                note += ", capped at \(fmt(perGiB)) per GiB = \(fmt(v))"
            }
            resolved.notes.append(note)
            resolved.values[variable] = v
        }
        return resolved
    }

    /// The range of a variable from the profile's `rejected` limit rules: `variable` in [min, max],
    /// and `variable / size_gib` at most `perGiB`.
    static func range(of variable: String, in profile: Profile) -> (min: Double?, max: Double?, perGiB: Double?) {
        var result: (min: Double?, max: Double?, perGiB: Double?) = (nil, nil, nil)
        for rule in profile.limits where rule.effect == .rejected {
            let source = rule.value.source.filter { !$0.isWhitespace }
            if source == variable {
                if let lo = rule.min { result.min = Swift.max(result.min ?? lo, lo) }
                if let hi = rule.max { result.max = Swift.min(result.max ?? hi, hi) }
            } else if source == "\(variable)/size_gib", let hi = rule.max {
                result.perGiB = Swift.min(result.perGiB ?? hi, hi)
            }
        }
        return result
    }

    struct ConversionError: Error {
        var message: String
        var fix: String? = nil
    }

    /// A parameter's text as a number in the parameter's unit (booleans: 1 or 0; strings: nil).
    static func convert(_ p: Parameter, _ text: String) throws(ConversionError) -> Double? {
        let t = text.trimmingWhitespace
        switch p.kind {
        case .string:
            return nil
        case .boolean:
            // Go's strconv.ParseBool, which the drivers use.
            switch t {
            case "1", "t", "T", "true", "TRUE", "True": return 1
            case "0", "f", "F", "false", "FALSE", "False": return 0
            default: throw ConversionError(message: "`\(text)` is not true or false", fix: "give \"true\" or \"false\"")
            }
        case .integer:
            guard let v = Int64(t) else { throw ConversionError(message: "`\(text)` is not an integer", fix: "give a whole number, quoted, e.g. \"16000\"") }
            return Double(v)
        case .number:
            guard let v = Double(t), v.isFinite else { throw ConversionError(message: "`\(text)` is not a number", fix: "give a number, quoted, e.g. \"10\"") }
            return v
        case .quantity:
            let q: Quantity
            do { q = try Quantity.parse(t) } catch let e { throw ConversionError(message: e.description) }
            guard let unit = p.unit else { return Double(q.bytes) }
            guard let per = bytesPerUnit(unit) else {
                throw ConversionError(message: "the profile gives unit `\(unit)`, which tierbench cannot convert a quantity to")
            }
            // Whole units, rounded up, as the GCP driver converts `provisioned-throughput-on-create`.
            return (Double(q.bytes) / per).rounded(.up)
        }
    }

    /// Bytes in one `unit` (`MiB/s` -> 2^20, `MB/s` -> 10^6, `GiB` -> 2^30).
    static func bytesPerUnit(_ unit: String) -> Double? {
        let base = unit.hasSuffix("/s") ? String(unit.dropLast(2)) : unit
        let table: [String: Double] = [
            "B": 1, "KiB": 1_024, "MiB": 1_048_576, "GiB": 1_073_741_824, "TiB": 1_099_511_627_776,
            "kB": 1e3, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12,
        ]
        return table[base]
    }
}

extension ProfileSet {
    /// A tier named directly (`--tier gp3 --iops 16000 --throughput 1000 --size 500Gi`): the
    /// profile with the given provisioned values, keyed as its parameters' `sets` variables.
    /// `iops` goes to the variable `iops`; `throughput` (in the profile's throughput unit) to the
    /// variable a throughput parameter sets. Lint applies to them as to a StorageClass's values.
    public func resolve(tier: String, size: Quantity, iops: Double?, throughput: Double?) throws(ManifestProblem) -> ResolvedClass {
        func fail(_ m: String) -> ManifestProblem { ManifestProblem(file: "--tier", reason: m) }
        guard let profile = self[tier] else {
            let near = names.filter { $0.lowercased() == tier.lowercased() }
            throw fail("no profile is named `\(tier)`\(near.isEmpty ? "" : "; did you mean \(near[0])?") (profiles: \(names.filter { !self[$0]!.template }.joined(separator: ", ")))")
        }
        guard size.bytes > 0 else { throw fail("the volume size `\(size)` must be above zero") }
        let label = "--tier \(tier)"
        var resolved = ResolvedClass(
            storageClass: StorageClass(name: label, provisioner: profile.provisioners.first?.name ?? "", file: "<command line>"),
            profile: profile, size: size, sizeGiB: size.gib, values: [:], enabled: [], warnings: [], notes: [])
        let settable = Set(profile.parameters.filter { $0.formula == nil }.compactMap(\.sets))
        if let iops {
            guard settable.contains("iops") else {
                throw fail("--iops: tier \(tier) has no provisioned IOPS (its IOPS follow from the size); leave --iops out")
            }
            resolved.values["iops"] = iops
        }
        if let throughput {
            guard let variable = settable.sorted().first(where: { $0.hasPrefix("throughput") }) else {
                throw fail("--throughput: tier \(tier) has no provisioned throughput (it follows from the size); leave --throughput out")
            }
            resolved.values[variable] = throughput
        }
        return resolved
    }
}

extension ResolvedClass {
    /// Provisioned values the tier needs but neither the class nor a default gives: each variable
    /// with the parameters that would set it (io2 without `iops` or `iopsPerGB`).
    public var missingProvisionedValues: [(variable: String, parameters: [String])] {
        Self.missing(profile: profile, provisioner: storageClass.provisioner) { values[$0] != nil }
    }

    /// The variables some applicable parameter sets that are not `given` and have no default.
    static func missing(profile: Profile, provisioner: String, given: (String) -> Bool) -> [(variable: String, parameters: [String])] {
        let applicable = profile.parameters.filter { $0.provisioners.isEmpty || $0.provisioners.contains(provisioner) }
        var byVariable: [String: [Parameter]] = [:]
        for p in applicable { if let v = p.sets { byVariable[v, default: []].append(p) } }
        // A default counts whichever provisioner its parameter is for: the formulas see it (`variables`).
        let defaulted = Set(profile.parameters.filter { $0.formula == nil && $0.numericDefault != nil }.compactMap(\.sets))
        return byVariable.keys.sorted().compactMap { v in
            guard !given(v), !defaulted.contains(v) else { return nil }
            return (v, byVariable[v]!.map(\.name))
        }
    }
}
