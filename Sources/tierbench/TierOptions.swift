import ArgumentParser
import Check
import Foundation
import Glibc
import Profiles

/// Which tier and volume to expect or check: StorageClass manifests and a size, or a tier named
/// directly. Shared by `expect` and `check`.
struct TierOptions: ParsableArguments {
    @Option(help: "StorageClass manifest: one or several YAML documents (other kinds are skipped) or `kubectl get storageclass -o yaml` output. Repeatable.")
    var storageclass: [String] = []
    @Option(name: .customLong("class"), help: "With --storageclass: the class to use (default: all of them).")
    var className: String?
    @Option(help: "Volume size as a Kubernetes quantity: 500Gi, 1Ti, 100G. check: default the size of a block-device --target.")
    var size: String?
    @Option(help: "A tier by profile name instead of a StorageClass: gp3, io2, pd-balanced, Premium_LRS, ...")
    var tier: String?
    @Option(parsing: .unconditional, help: "With --tier: provisioned IOPS.")
    var iops: String?
    @Option(parsing: .unconditional, help: "With --tier: provisioned throughput, in the tier's unit (MiB/s for AWS and GCP, MB/s for Azure).")
    var throughput: String?
    @Option(help: "A directory of profile YAML files that add to or replace the built-in ones (same name replaces). Repeatable.")
    var profiles: [String] = []

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

    /// Resolves the options to subjects. `defaultSize`: used when --size is absent (check on a block device).
    /// `single`: exactly one class is wanted (check measures one volume).
    func subjects(defaultSize: Quantity? = nil, sizeHint: String = "give --size, e.g. --size 500Gi", single: Bool = false) throws(ValidationFailure) -> [CheckSubject] {
        if storageclass.isEmpty && tier == nil {
            throw ValidationFailure("give --storageclass FILE (your StorageClass manifest) or --tier NAME (e.g. --tier gp3)")
        }
        if !storageclass.isEmpty && tier != nil {
            throw ValidationFailure("--storageclass and --tier both name the tier; give one of them")
        }
        if tier == nil {
            if iops != nil { throw ValidationFailure("--iops goes with --tier; with --storageclass the class's parameters give the IOPS") }
            if throughput != nil { throw ValidationFailure("--throughput goes with --tier; with --storageclass the class's parameters give the throughput") }
        }
        if tier != nil && className != nil { throw ValidationFailure("--class picks a class from --storageclass; with --tier leave it out") }
        let volume: Quantity
        if let size {
            do { volume = try Quantity.parse(size) } catch { throw ValidationFailure("--size \(size): \(error.reason); give a Kubernetes quantity such as 500Gi") }
            guard volume.bytes > 0 else { throw ValidationFailure("--size \(size) must be above zero; give e.g. 500Gi") }
        } else if let defaultSize {
            volume = defaultSize
        } else {
            throw ValidationFailure("--size is missing: the tier's numbers depend on the volume size; \(sizeHint)")
        }
        let set = try profileSet()
        var resolved: [ResolvedClass] = []
        let iopsValue = try number(iops, "--iops"), throughputValue = try number(throughput, "--throughput")
        do throws(StorageClassError) {
            if let tier {
                resolved = [try set.resolve(tier: tier, size: volume, iops: iopsValue, throughput: throughputValue)]
            } else {
                var classes: [StorageClass] = []
                var files: [StorageClassFile] = []
                for path in storageclass {
                    let f = try StorageClassFile.load(path)
                    files.append(f)
                    if className == nil { classes += try f.select() }
                }
                if let className {
                    classes = files.flatMap { $0.classes.filter { $0.name == className } }
                    if classes.isEmpty {
                        let names = files.flatMap { $0.classes.map(\.name) }
                        throw StorageClassError(file: storageclass.joined(separator: ", "),
                                                message: "no StorageClass named `\(className)` (found: \(names.isEmpty ? "none" : names.joined(separator: ", "))); give one of those to --class")
                    }
                }
                if single && classes.count > 1 {
                    throw StorageClassError(file: storageclass.joined(separator: ", "),
                                            message: "\(classes.count) classes (\(classes.map(\.name).joined(separator: ", "))); check measures one volume: give --class NAME")
                }
                resolved = try classes.map { sc throws(StorageClassError) in try set.resolve(sc, size: volume) }
            }
        } catch {
            throw ValidationFailure(error.description)
        }
        var subjects: [CheckSubject] = []
        for r in resolved {
            do { subjects.append(try CheckSubject(r)) } catch {
                // A tier whose numbers need a provisioned value nobody gave (io2 without IOPS).
                guard let missing = r.missingProvisionedValues.first else { throw ValidationFailure(error.description) }
                let what = missing.variable == "iops" ? "IOPS" : missing.variable.hasPrefix("throughput") ? "throughput" : missing.variable
                if tier != nil {
                    let flag = missing.variable == "iops" ? "--iops N" : "--throughput N (in \(r.profile.throughputUnit.rawValue))"
                    throw ValidationFailure("--tier \(r.profile.name) needs a provisioned \(what): give \(flag)")
                }
                throw ValidationFailure("\(r.storageClass.location): tier \(r.profile.name) needs a provisioned \(what), and the class sets none; set parameter \(missing.parameters.map { "`\($0)`" }.joined(separator: " or "))")
            }
        }
        return subjects
    }

    func number(_ text: String?, _ option: String) throws(ValidationFailure) -> Double? {
        guard let text else { return nil }
        guard let v = Double(text.replacingOccurrences(of: "_", with: "")), v.isFinite, v > 0 else {
            throw ValidationFailure("\(option) \(text) is not a positive number; give e.g. \(option) \(option == "--iops" ? "16000" : "1000")")
        }
        return v
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
