import Profiles

/// The user's manifests evaluated: one row per class (in file order, the ones that could not be
/// evaluated in their place), one per claim, the other objects that could not be read, and notes.
public struct ManifestEvaluation: Sendable {
    public var classes: [ClassEvaluation] = []
    public var claims: [ClaimEvaluation] = []
    /// Objects that are neither a class nor a claim and could not be read.
    public var problems: [ManifestProblem] = []
    public var notes: [String] = []
}

/// Why the manifests cannot be evaluated as asked: the user's options (`usage`) or the input
/// itself (nothing tierbench can use in it).
public struct SelectionError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable { case usage, input }
    public var kind: Kind
    public var message: String
    public var description: String { message }
    public init(kind: Kind, message: String) { self.kind = kind; self.message = message }
}

extension ClassEvaluator {
    /// Every class (or only `className`) at `size` when given, and every claim at its own size
    /// (with `className`: only the claims that get that class). A class or claim that cannot be
    /// evaluated is reported in place; only options that select nothing are errors.
    public func evaluate(_ m: Manifests, className: String? = nil, size: Quantity?) throws(SelectionError) -> ManifestEvaluation {
        let order = Dictionary(m.files.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        func position(_ file: String, _ line: Int?) -> (Int, Int) { (order[file] ?? 0, line ?? 0) }

        var result = ManifestEvaluation()
        var rows = m.classes.map { (position($0.file, $0.line), evaluate($0, size: size)) }
        let classProblems = m.problems.filter { $0.kind == "StorageClass" }
        for p in classProblems {
            let placeholder = StorageClass(name: p.name ?? "(no name)", provisioner: "", file: p.file, line: p.line)
            rows.append((position(p.file, p.line), ClassEvaluation(storageClass: placeholder, problem: p)))
        }
        rows.sort { $0.0 < $1.0 }
        result.classes = rows.map(\.1)

        var claims = m.claims.map { evaluate($0, classes: m.classes, classProblems: classProblems) }
        result.problems = m.problems.filter { $0.kind != "StorageClass" }
        result.notes = m.unmatchedReferences.map {
            "\($0.workload) mounts claim `\($0.claimName)`, which the manifests do not contain (it may exist in the cluster)"
        }

        if let className {
            result.classes = result.classes.filter { $0.storageClass.name == className }
            claims = claims.filter { $0.className == className }
            result.problems = []
            result.notes = []
            if result.classes.isEmpty {
                let names = Set(m.classes.map(\.name) + classProblems.compactMap(\.name)).sorted()
                throw SelectionError(kind: .usage, message: "no StorageClass named `\(className)` in \(m.files.joined(separator: ", ")) (found: \(names.isEmpty ? "none" : names.joined(separator: ", "))); give one of those to --class")
            }
        }
        result.claims = claims

        if result.classes.isEmpty && result.claims.isEmpty {
            let kinds = m.skippedKinds.isEmpty ? (m.problems.isEmpty ? "they are empty" : "no object could be read") : "they hold \(Set(m.skippedKinds).sorted().joined(separator: ", "))"
            throw SelectionError(kind: .input, message: "\(m.files.joined(separator: ", ")): no StorageClass or claim found (\(kinds)); pass StorageClass, PersistentVolumeClaim or StatefulSet manifests, or `kubectl get sc,pvc,sts -A -o yaml` output")
        }
        if size == nil && result.claims.isEmpty {
            throw SelectionError(kind: .usage, message: "--size is missing: the tier's numbers depend on the volume size, and the manifests hold no claim with a size; give --size, e.g. --size 500Gi")
        }
        return result
    }

    /// The one volume `check` measures: a claim (`--claim NAME`: its class and size) or a class at
    /// `size`. Anything that keeps it from being evaluated is an error naming the object and the fix.
    public func subject(_ m: Manifests, className: String?, claimName: String?, size: Quantity?) throws(SelectionError) -> CheckSubject {
        let evaluation: ClassEvaluation
        if let claimName {
            let matches = m.claims.filter { $0.isNamed(claimName) }
            guard !matches.isEmpty else {
                let names = m.claims.map { c in c.owner.map { "\($0.name)/\(c.name)" } ?? c.name }
                throw SelectionError(kind: .usage, message: "--claim \(claimName): no claim of that name in \(m.files.joined(separator: ", ")) (found: \(names.isEmpty ? "none" : names.joined(separator: ", ")))")
            }
            guard matches.count == 1 else {
                throw SelectionError(kind: .usage, message: "--claim \(claimName) names \(matches.count) claims (\(matches.map { "\($0.label) at \($0.source)" }.joined(separator: ", "))); give STATEFULSET/TEMPLATE or the PVC's own name")
            }
            let c = evaluate(matches[0], classes: m.classes, classProblems: m.problems.filter { $0.kind == "StorageClass" })
            if let p = c.problem { throw SelectionError(kind: .input, message: p.description) }
            guard let e = c.evaluation else { throw SelectionError(kind: .input, message: "\(matches[0].source): \(matches[0].label): \(c.note ?? "no class to evaluate")") }
            if let className, className != e.storageClass.name {
                throw SelectionError(kind: .usage, message: "--claim \(claimName) gets StorageClass `\(e.storageClass.name)`, not `\(className)`; leave --class out")
            }
            evaluation = e
        } else {
            let all = try evaluate(m, className: className, size: size)
            let named = all.classes
            guard named.count == 1 else {
                throw SelectionError(kind: .usage, message: "\(named.count) classes (\(named.map(\.storageClass.name).joined(separator: ", "))); check measures one volume: give --class NAME or --claim NAME")
            }
            evaluation = named[0]
        }
        if let p = evaluation.problem { throw SelectionError(kind: .input, message: p.description) }
        guard let subject = evaluation.subject else {
            throw SelectionError(kind: .usage, message: "--size is missing: the tier's numbers depend on the volume size; give --size (e.g. --size 500Gi), the size of the volume the class provisions")
        }
        return subject
    }
}
