import ArgumentParser
import Check
import Foundation
import Glibc
import Profiles

/// Which tier and volume to expect or check: Kubernetes manifests (classes, claims) and a size, or
/// a tier named directly. Shared by `expect` and `check`; the selection itself is Check's (`TierSelection`).
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

    /// The options as Check's selection (`claim`: check's `--claim`).
    func selection(claim: String? = nil) -> TierSelection {
        var s = TierSelection(builtInProfiles: Result { () throws(ValidationFailure) in try builtInProfilesDirectory() }
            .mapError { SelectionError(kind: .usage, message: $0.message) })
        s.manifests = storageclass; s.className = className; s.size = size; s.tier = tier
        s.iops = iops; s.throughput = throughput; s.profiles = profiles; s.kubernetesVersion = kubernetesVersion
        s.claim = claim
        return s
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
            return ExitCode(1)
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
