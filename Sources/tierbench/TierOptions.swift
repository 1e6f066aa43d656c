import ArgumentParser
import Check
import Foundation
import Glibc
import Profiles

/// Which tier and volume to expect or check: Kubernetes manifests (classes, claims) and a size, or
/// a tier named directly. Shared by `expect` and `check`; the selection itself is Check's.
struct TierOptions: ParsableArguments {
    @Option(name: [.customShort("f"), .customLong("storageclass"), .customLong("filename")],
            help: ArgumentHelp("Kubernetes manifests: a file or a directory of *.yaml/*.yml/*.json (multi-document YAML, JSON, `kubectl get sc,pvc,sts -A -o yaml|json` output). StorageClasses, PersistentVolumeClaims and StatefulSets are read, other kinds skipped. Repeatable.", valueName: "file-or-dir"))
    var storageclass: [String] = []
    @Option(name: .customLong("class"), help: "With -f: the class to use (default: all of them).")
    var className: String?
    @Option(help: "Volume size as a Kubernetes quantity: 500Gi, 1Ti, 100G. Claims are evaluated at their own size. check: default the size of a block-device --target.")
    var size: String?
    @Option(help: "A tier by profile name instead of a StorageClass: gp3, io2, pd-balanced, Premium_LRS, ...")
    var tier: String?
    @Option(parsing: .unconditional, help: "With --tier: provisioned IOPS.")
    var iops: String?
    @Option(parsing: .unconditional, help: "With --tier: provisioned throughput, in the tier's unit (MiB/s for AWS and GCP, MB/s for Azure).")
    var throughput: String?
    @Option(help: "A directory of profile YAML files that add to or replace the built-in ones (same name replaces). Repeatable.")
    var profiles: [String] = []
    @Option(name: .customLong("kubernetes-version"),
            help: "The cluster's Kubernetes version, e.g. 1.22: before 1.23 in-tree classes (kubernetes.io/aws-ebs, gce-pd, azure-disk) are read with the in-tree plugins' parameters; from 1.23 (the default) they are translated to the CSI driver's class (CSI migration).")
    var kubernetesVersion: String?

    /// The profile set: the built-in directory, then each --profiles directory.
    func profileSet() throws(ValidationFailure) -> ProfileSet {
        let builtIn: String
        do { builtIn = try builtInProfilesDirectory() } catch { throw error }
        for dir in profiles {
            var st = stat()
            guard stat(dir, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
                throw ValidationFailure("--profiles \(dir) is not a directory; give a directory of profile YAML files (see profiles/README.md)")
            }
        }
        do { return try ProfileSet.load(builtIn: builtIn, extra: profiles) } catch { throw ValidationFailure(error.description) }
    }

    /// What the options ask for: a tier named directly, or manifests with a class, claim and size.
    enum Request {
        case tier(CheckSubject)
        case manifests(Manifests, ClassEvaluator, size: Quantity?)
    }

    /// Checks the combination of options and reads the input. A usage mistake is a
    /// `ValidationFailure` (exit 2); input that cannot be read is an `InputFailure` (exit 1).
    func request(defaultSize: Quantity? = nil, claim: String? = nil) throws(TierOptionsError) -> Request {
        if storageclass.isEmpty && tier == nil {
            throw .usage("give --storageclass FILE (or -f FILE_OR_DIR: your StorageClass and claim manifests) or --tier NAME (e.g. --tier gp3)")
        }
        if !storageclass.isEmpty && tier != nil {
            throw .usage("-f/--storageclass and --tier both name the tier; give one of them")
        }
        if tier == nil {
            if iops != nil { throw .usage("--iops goes with --tier; with --storageclass the class's parameters give the IOPS") }
            if throughput != nil { throw .usage("--throughput goes with --tier; with --storageclass the class's parameters give the throughput") }
        }
        if tier != nil && className != nil { throw .usage("--class picks a class from --storageclass; with --tier leave it out") }
        if tier != nil && claim != nil { throw .usage("--claim picks a claim from -f manifests; with --tier leave it out") }
        if claim != nil && size != nil { throw .usage("--claim takes the size from the claim; leave --size out") }
        var version: KubernetesVersion?
        if let kubernetesVersion {
            guard let v = KubernetesVersion(kubernetesVersion), v.major == 1 else {
                throw .usage("--kubernetes-version \(kubernetesVersion) is not a Kubernetes version; give MAJOR.MINOR, e.g. --kubernetes-version 1.22")
            }
            if tier != nil { throw .usage("--kubernetes-version changes how StorageClasses are read; with --tier leave it out") }
            version = v
        }
        var volume: Quantity?
        if let size {
            do { volume = try Quantity.parse(size) } catch { throw .usage("--size \(size): \(error.reason); give a Kubernetes quantity such as 500Gi") }
            guard volume!.bytes > 0 else { throw .usage("--size \(size) must be above zero; give e.g. 500Gi") }
        } else {
            volume = defaultSize
        }
        let set: ProfileSet
        do { set = try profileSet() } catch { throw .usage(error.message) }
        guard let tier else {
            let manifests: Manifests
            do { manifests = try Manifests.load(storageclass) } catch { throw .input(error.description) }
            return .manifests(manifests, ClassEvaluator(profiles: set, kubernetesVersion: version), size: volume)
        }
        guard let volume else { throw .usage("--size is missing: the tier's numbers depend on the volume size; give --size, e.g. --size 500Gi") }
        let iopsValue = try number(iops, "--iops"), throughputValue = try number(throughput, "--throughput")
        let resolved: ResolvedClass
        do { resolved = try set.resolve(tier: tier, size: volume, iops: iopsValue, throughput: throughputValue) } catch {
            throw .usage(error.description)
        }
        do { return .tier(try CheckSubject(resolved)) } catch {
            // A tier whose numbers need a provisioned value nobody gave (io2 without IOPS).
            guard let missing = resolved.missingProvisionedValues.first else { throw .usage(error.description) }
            let what = ClassEvaluator.provisionedName(missing.variable)
            let flag = missing.variable == "iops" ? "--iops N" : "--throughput N (in \(resolved.profile.throughputUnit.rawValue))"
            throw .usage("--tier \(resolved.profile.name) needs a provisioned \(what): give \(flag)")
        }
    }

    func number(_ text: String?, _ option: String) throws(TierOptionsError) -> Double? {
        guard let text else { return nil }
        guard let v = Double(text.replacingOccurrences(of: "_", with: "")), v.isFinite, v > 0 else {
            throw .usage("\(option) \(text) is not a positive number; give e.g. \(option) \(option == "--iops" ? "16000" : "1000")")
        }
        return v
    }
}

/// A mistake in the options (exit 2) or input that cannot be read or used (exit 1).
enum TierOptionsError: Error {
    case usage(String)
    case input(String)

    init(_ e: SelectionError) { self = e.kind == .usage ? .usage(e.message) : .input(e.message) }

    /// Prints an input error and ends with status 1, or turns a usage mistake into argument-parser's error (status 2).
    func exit() -> any Error {
        switch self {
        case .usage(let m): return ValidationError(m)
        case .input(let m):
            printError("tierbench: error: \(m)")
            return ExitNow(code: 1)
        }
    }
}

/// The built-in profiles: `TIERBENCH_PROFILES`, else a `profiles` directory next to the binary or
/// in a directory above it (the source tree, for a binary under .build), else
/// `../share/tierbench/profiles` from the binary (an installed layout).
func builtInProfilesDirectory() throws(ValidationFailure) -> String {
    if let env = ProcessInfo.processInfo.environment["TIERBENCH_PROFILES"], !env.isEmpty { return env }
    var looked: [String] = []
    var dir = ((try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0] as String)
    for _ in 0..<6 {
        dir = (dir as NSString).deletingLastPathComponent
        for candidate in ["\(dir)/profiles", "\(dir)/share/tierbench/profiles"] {
            looked.append(candidate)
            if FileManager.default.fileExists(atPath: "\(candidate)/gp3.yaml") { return candidate }
        }
        if dir == "/" || dir.isEmpty { break }
    }
    throw ValidationFailure("no built-in profiles found next to the tierbench binary (looked in \(looked.prefix(3).joined(separator: ", ")), ...); set TIERBENCH_PROFILES=DIR or pass --profiles DIR")
}
