import Profiles

/// One StorageClass of the user's manifests as the cluster would provision it: translated (CSI
/// migration), matched to a profile, with its zone facts, and evaluated at a size when one is
/// known; or the problem that stopped it, in its place.
public struct ClassEvaluation: Sendable {
    /// The class as written.
    public var storageClass: StorageClass
    /// The class the cluster provisions (the CSI class for an in-tree one); nil when it failed before.
    public var provisioned: StorageClass?
    public var profile: Profile?
    public var zone: ZoneFacts?
    /// The class at the size (`--size`, or a claim's); nil without a size or when it failed.
    public var subject: CheckSubject?
    public var problem: ManifestProblem?
    /// What CSI migration changed.
    public var notes: [String] = []
    /// Size-independent warnings (parameters, migration, binding); the subject's own are at its size.
    public var warnings: [String] = []

    public var evaluated: Bool { problem == nil }
}

/// One claim (a PVC or a StatefulSet's claim template): the class it gets and what its volumes
/// deliver at its size; or why that cannot be said.
public struct ClaimEvaluation: Sendable {
    public var claim: Claim
    /// The class the claim gets, and how (`storageClassName`, or the default class).
    public var className: String?
    public var classFrom: String
    public var evaluation: ClassEvaluation?
    /// Why the claim cannot be evaluated (a class the files do not contain, ...): needs a look.
    public var problem: ManifestProblem?
    /// A claim with `storageClassName: ""` binds only to pre-provisioned volumes: said, not a finding.
    public var note: String?

    /// The cloud would refuse a volume of this claim (a lint finding with effect `rejected`).
    public var rejected: Bool { evaluation?.subject?.lint.contains { $0.effect == .rejected } ?? false }
}

/// Evaluates classes and claims against the profiles, for one Kubernetes version's semantics.
public struct ClassEvaluator: Sendable {
    public var profiles: ProfileSet
    /// nil: a current cluster (CSI migration on); an older one reads in-tree classes itself.
    public var kubernetesVersion: KubernetesVersion?

    public init(profiles: ProfileSet, kubernetesVersion: KubernetesVersion? = nil) {
        self.profiles = profiles
        self.kubernetesVersion = kubernetesVersion
    }

    /// A class, evaluated at `size` when given.
    public func evaluate(_ sc: StorageClass, size: Quantity?) -> ClassEvaluation {
        var e = ClassEvaluation(storageClass: sc)
        do throws(ManifestProblem) {
            let (provisioned, notes, migrationWarnings) = try CSIMigration.translate(sc, kubernetesVersion: kubernetesVersion)
            e.provisioned = provisioned
            e.notes = notes
            e.warnings = migrationWarnings
            let read: ProfileSet.ClassParameters
            do {
                read = try profiles.parameters(of: provisioned)
            } catch {
                e.zone = ZoneFacts(provisioned, profile: nil)
                throw error
            }
            e.profile = read.profile
            e.zone = ZoneFacts(provisioned, profile: read.profile)
            e.warnings += e.zone!.warnings
            if let missing = read.missingProvisionedValues.first {
                e.warnings += read.warnings
                throw Self.missingProblem(sc, profile: read.profile, missing)
            }
            guard let size else {
                e.warnings += read.warnings
                return e
            }
            var resolved = try profiles.resolve(provisioned, size: size)
            resolved.notes = notes + resolved.notes
            resolved.warnings = e.warnings + resolved.warnings
            do {
                e.subject = try CheckSubject(resolved)
            } catch let error {
                throw ManifestProblem(file: sc.file, line: sc.line, subject: "StorageClass `\(sc.name)`", reason: "\(error)",
                                      fix: "check the profile \(read.profile.name) (\(read.profile.file ?? "built in"))")
            }
        } catch {
            e.problem = error
        }
        return e
    }

    /// A formula variable in the user's words: `iops` -> IOPS, `throughput_mibps` -> throughput.
    public static func provisionedName(_ variable: String) -> String {
        variable == "iops" ? "IOPS" : variable.hasPrefix("throughput") ? "throughput" : variable
    }

    /// io2 without `iops` or `iopsPerGB`: the tier's numbers need a value the class does not set.
    static func missingProblem(_ sc: StorageClass, profile: Profile, _ missing: (variable: String, parameters: [String])) -> ManifestProblem {
        let what = provisionedName(missing.variable)
        return ManifestProblem(file: sc.file, line: sc.line, subject: "StorageClass `\(sc.name)`",
                               reason: "tier \(profile.name) needs a provisioned \(what), and the class sets none",
                               fix: "set parameter \(missing.parameters.map { "`\($0)`" }.joined(separator: " or "))")
    }

    /// A claim: its class from `storageClassName` or the default class among `classes`, evaluated
    /// at the claim's size.
    public func evaluate(_ claim: Claim, classes: [StorageClass], classProblems: [ManifestProblem] = []) -> ClaimEvaluation {
        let subject = claim.label
        func problem(_ reason: String, _ fix: String) -> ManifestProblem {
            ManifestProblem(file: claim.file, line: claim.line, subject: subject, reason: reason, fix: fix)
        }
        switch claim.storageClass {
        case .none:
            return ClaimEvaluation(claim: claim, className: nil, classFrom: "storageClassName: \"\"",
                                   note: "`storageClassName: \"\"`: the claim binds only to a pre-provisioned PersistentVolume; no class, no tier to evaluate")
        case .named(let name):
            guard let sc = classes.first(where: { $0.name == name }) else {
                if let p = classProblems.first(where: { $0.subject == "StorageClass `\(name)`" }) {
                    return ClaimEvaluation(claim: claim, className: name, classFrom: "storageClassName",
                                           problem: problem("its StorageClass `\(name)` cannot be evaluated (\(p.source): \(p.reason))", p.fix ?? "fix the class"))
                }
                let known = classes.map(\.name)
                return ClaimEvaluation(claim: claim, className: name, classFrom: "storageClassName",
                                       problem: problem("it names StorageClass `\(name)`, which the manifests do not contain"
                                                            + (known.isEmpty ? "" : " (they have: \(known.joined(separator: ", ")))"),
                                                        "add the class's manifest (kubectl get storageclass \(name) -o yaml) or correct storageClassName"))
            }
            return ClaimEvaluation(claim: claim, className: name, classFrom: "storageClassName", evaluation: evaluate(sc, size: claim.size))
        case .clusterDefault:
            let defaults = classes.filter(\.isDefaultClass)
            guard let sc = defaults.last else {
                return ClaimEvaluation(claim: claim, className: nil, classFrom: "the default class",
                                       problem: problem("it has no storageClassName, so it gets the cluster's default class, and no class in the manifests is annotated as the default",
                                                        "add the cluster's classes (kubectl get storageclass -o yaml) or set storageClassName"))
            }
            var e = ClaimEvaluation(claim: claim, className: sc.name, classFrom: "the default class", evaluation: evaluate(sc, size: claim.size))
            if defaults.count > 1 {
                e.note = "several classes are annotated as the default (\(defaults.map(\.name).joined(separator: ", "))): Kubernetes uses the newest; tierbench took the last in the files, \(sc.name)"
            }
            return e
        }
    }
}
