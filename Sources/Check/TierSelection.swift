import Foundation
import Glibc
import Profiles

/// Which tier and volume `expect` and `check` are about, as the user gave it: Kubernetes
/// manifests (classes, claims) with a class, claim and size, or a tier named directly with its
/// size and provisioned values. Texts as typed; `request` checks the combination and reads them.
public struct TierSelection: Sendable {
    public var manifests: [String] = []
    public var className: String?
    public var size: String?
    public var tier: String?
    public var iops: String?
    public var throughput: String?
    /// The built-in profile directory (or why none was found), then directories that add to or
    /// replace its profiles.
    public var builtInProfiles: Result<String, SelectionError>
    public var profiles: [String] = []
    public var kubernetesVersion: String?
    /// `check --claim`.
    public var claim: String?

    public init(builtInProfiles: Result<String, SelectionError>) { self.builtInProfiles = builtInProfiles }

    /// What the options ask for: a tier named directly, or manifests with a class, claim and size.
    public enum Request {
        case tier(CheckSubject)
        case manifests(Manifests, ClassEvaluator, size: Quantity?)
    }

    func usage(_ message: String) -> SelectionError { SelectionError(kind: .usage, message: message) }

    /// Checks the combination of options and reads the input: a usage mistake is a `.usage`
    /// error, input that cannot be read an `.input` one. `defaultSize`: the size without `--size`
    /// (check: a block-device target's).
    public func request(defaultSize: Quantity? = nil) throws(SelectionError) -> Request {
        if manifests.isEmpty && tier == nil {
            throw usage("give --storageclass FILE (or -f FILE_OR_DIR: your StorageClass and claim manifests) or --tier NAME (e.g. --tier gp3)")
        }
        if !manifests.isEmpty && tier != nil {
            throw usage("-f/--storageclass and --tier both name the tier; give one of them")
        }
        if tier == nil {
            if iops != nil { throw usage("--iops goes with --tier; with --storageclass the class's parameters give the IOPS") }
            if throughput != nil { throw usage("--throughput goes with --tier; with --storageclass the class's parameters give the throughput") }
        }
        if tier != nil && className != nil { throw usage("--class picks a class from --storageclass; with --tier leave it out") }
        if tier != nil && claim != nil { throw usage("--claim picks a claim from -f manifests; with --tier leave it out") }
        if claim != nil && size != nil { throw usage("--claim takes the size from the claim; leave --size out") }
        var version: KubernetesVersion?
        if let kubernetesVersion {
            guard let v = KubernetesVersion(kubernetesVersion), v.major == 1 else {
                throw usage("--kubernetes-version \(kubernetesVersion) is not a Kubernetes version; give MAJOR.MINOR, e.g. --kubernetes-version 1.22")
            }
            if tier != nil { throw usage("--kubernetes-version changes how StorageClasses are read; with --tier leave it out") }
            version = v
        }
        var volume: Quantity?
        if let size {
            do { volume = try Quantity.parse(size) } catch { throw usage("--size \(size): \(error.reason); give a Kubernetes quantity such as 500Gi") }
            guard volume!.bytes > 0 else { throw usage("--size \(size) must be above zero; give e.g. 500Gi") }
        } else {
            volume = defaultSize
        }
        let set = try profileSet()
        guard let tier else {
            let loaded: Manifests
            do { loaded = try Manifests.load(manifests) } catch { throw SelectionError(kind: .input, message: error.description) }
            return .manifests(loaded, ClassEvaluator(profiles: set, kubernetesVersion: version), size: volume)
        }
        guard let volume else { throw usage("--size is missing: the tier's numbers depend on the volume size; give --size, e.g. --size 500Gi") }
        let iopsValue = try number(iops, "--iops"), throughputValue = try number(throughput, "--throughput")
        let resolved: ResolvedClass
        do { resolved = try set.resolve(tier: tier, size: volume, iops: iopsValue, throughput: throughputValue) } catch {
            throw usage(error.description)
        }
        do { return .tier(try CheckSubject(resolved)) } catch {
            // A tier whose numbers need a provisioned value nobody gave (io2 without IOPS).
            guard let missing = resolved.missingProvisionedValues.first else { throw usage(error.description) }
            let what = ClassEvaluator.provisionedName(missing.variable)
            let flag = missing.variable == "iops" ? "--iops N" : "--throughput N (in \(resolved.profile.throughputUnit.rawValue))"
            throw usage("--tier \(resolved.profile.name) needs a provisioned \(what): give \(flag)")
        }
    }

    /// The volumes `check` judges: the one it measures (a tier, a class or `--claim`), or, judging
    /// a result file (`judgingResults`, no claim), every class that can be evaluated; `warn` gets
    /// each class that cannot.
    public func checkSubjects(defaultSize: Quantity?, judgingResults: Bool, warn: (String) -> Void) throws(SelectionError) -> [CheckSubject] {
        switch try request(defaultSize: defaultSize) {
        case .tier(let subject):
            return [subject]
        case .manifests(let manifests, let evaluator, let size):
            if !judgingResults || claim != nil {
                return [try evaluator.subject(manifests, className: className, claimName: claim, size: size)]
            }
            let all = try evaluator.evaluate(manifests, className: className, size: size)
            for c in all.classes { if let p = c.problem { warn("not judged: \(p.description)") } }
            let subjects = all.classes.compactMap(\.subject)
            if subjects.isEmpty {
                throw SelectionError(kind: .input, message: all.classes.first?.problem?.description ?? "no class to judge; give --size, e.g. --size 500Gi")
            }
            return subjects
        }
    }

    /// The profile set: the built-in directory, then each `profiles` directory.
    public func profileSet() throws(SelectionError) -> ProfileSet {
        let builtIn = try builtInProfiles.get()
        for dir in profiles {
            var st = stat()
            guard stat(dir, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
                throw usage("--profiles \(dir) is not a directory; give a directory of profile YAML files (see profiles/README.md)")
            }
        }
        do { return try ProfileSet.load(builtIn: builtIn, extra: profiles) } catch { throw usage(error.description) }
    }

    func number(_ text: String?, _ option: String) throws(SelectionError) -> Double? {
        guard let text else { return nil }
        guard let v = Double(text.replacingOccurrences(of: "_", with: "")), v.isFinite, v > 0 else {
            throw usage("\(option) \(text) is not a positive number; give e.g. \(option) \(option == "--iops" ? "16000" : "1000")")
        }
        return v
    }
}
