import Foundation
import Yams

/// The Kubernetes objects tierbench reads from the user's manifests: StorageClasses, claims
/// (PersistentVolumeClaims and StatefulSet `volumeClaimTemplates`) and the workloads that mount
/// claims by name. Input is any mix of files and directories (`*.yaml`, `*.yml`, `*.json` in a
/// directory, not recursive, as `kubectl -f DIR`): single or multi-document YAML, JSON, and
/// `kubectl get ... -o yaml|json` output (`kind: List` or `...List` with `items`). Other kinds are
/// skipped. An object that is not well-formed is a problem reported in place; only input that
/// cannot be read at all (a missing file, YAML that does not parse) is an error.
public struct Manifests: Sendable {
    public var classes: [StorageClass] = []
    public var claims: [Claim] = []
    /// Objects that could not be read, in file order.
    public var problems: [ManifestProblem] = []
    /// The kinds of the documents that were skipped (for the message when nothing is found).
    public var skippedKinds: [String] = []
    /// The files read, in order.
    public var files: [String] = []

    public init() {}

    /// Reads files and directories in order.
    public static func load(_ paths: [String]) throws(ManifestReadError) -> Manifests {
        var result = Manifests()
        var references: [(WorkloadRef, String)] = []
        for path in paths {
            for file in try files(at: path) {
                let text: String
                do {
                    text = try String(contentsOfFile: file, encoding: .utf8)
                } catch {
                    throw ManifestReadError(file: file, message: "cannot read the manifest: \(Self.reason(error))")
                }
                try result.add(text: text, file: file, references: &references)
            }
        }
        result.link(references)
        return result
    }

    /// Reads the text of one file.
    public static func parse(text: String, file: String) throws(ManifestReadError) -> Manifests {
        var result = Manifests()
        var references: [(WorkloadRef, String)] = []
        try result.add(text: text, file: file, references: &references)
        result.link(references)
        return result
    }

    /// A file as it is, or a directory's manifest files, sorted.
    static func files(at path: String) throws(ManifestReadError) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ManifestReadError(file: path, message: "no such file or directory; give a manifest file or a directory of them")
        }
        guard isDirectory.boolValue else { return [path] }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: path) } catch {
            throw ManifestReadError(file: path, message: "cannot list the directory: \(Self.reason(error))")
        }
        let manifests = names.filter { n in [".yaml", ".yml", ".json"].contains { n.hasSuffix($0) } && !n.hasPrefix(".") }.sorted()
        guard !manifests.isEmpty else {
            throw ManifestReadError(file: path, message: "the directory holds no .yaml, .yml or .json file; give a manifest file or a directory of them")
        }
        return manifests.map { path.hasSuffix("/") ? "\(path)\($0)" : "\(path)/\($0)" }
    }

    static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return ns.localizedDescription
    }

    private mutating func add(text: String, file: String, references: inout [(WorkloadRef, String)]) throws(ManifestReadError) {
        files.append(file)
        var documents: [Node] = []
        do {
            // A byte-order mark (Windows editors) is not part of the YAML.
            var sequence = try Yams.compose_all(yaml: text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
            while let node = sequence.next() { documents.append(node) }
            if let e = sequence.error { throw e }
        } catch let e as YamlError {
            let p = ProfileSet.yamlError(e, file: file)
            throw ManifestReadError(file: file, line: p.line, message: "\(p.message); the file is not YAML or JSON that tierbench can read")
        } catch {
            throw ManifestReadError(file: file, message: "malformed YAML: \(error)")
        }
        for (i, doc) in documents.enumerated() {
            add(doc, file: file, document: i + 1, listKind: nil, references: &references)
        }
    }

    private mutating func add(_ node: Node, file: String, document: Int, listKind: String?, references: inout [(WorkloadRef, String)]) {
        let line = node.mark?.line
        if node.isNull { return }  // an empty document
        guard let map = node.mapping else {
            problems.append(ManifestProblem(
                file: file, line: line, subject: listKind.map { "an item of a \($0)" } ?? "document \(document)",
                reason: "it is not a Kubernetes object", fix: "give a mapping with `apiVersion`, `kind` and `metadata`"))
            return
        }
        var kind = map["kind"]?.scalar?.string ?? ""
        // Items of a typed list (StorageClassList) may omit their kind.
        if kind.isEmpty, let listKind, listKind.hasSuffix("List"), listKind != "List" { kind = String(listKind.dropLast(4)) }
        if kind == "List" || (kind.hasSuffix("List") && map["items"] != nil) {
            guard let items = map["items"], !items.isNull else { return }
            guard let seq = items.sequence else {
                problems.append(ManifestProblem(file: file, line: items.mark?.line, subject: kind, reason: "`items` must be a list", fix: "give `items:` as a list of objects"))
                return
            }
            for item in seq { add(item, file: file, document: document, listKind: kind, references: &references) }
            return
        }
        let metadata = map["metadata"]?.mapping
        let name = metadata?["name"]?.scalar?.string
        let namespace = metadata?["namespace"]?.scalar?.string
        do throws(ManifestProblem) {
            switch kind {
            case "StorageClass":
                let sc = try StorageClass.read(map, file: file, line: line)
                if let other = classes.first(where: { $0.name == sc.name }) {
                    throw ManifestProblem(file: file, line: line, subject: "StorageClass `\(sc.name)`",
                                          reason: "it is defined twice (also at \(other.source))", fix: "remove or rename one of them")
                }
                classes.append(sc)
            case "PersistentVolumeClaim":
                guard let name, !name.isEmpty else {
                    throw ManifestProblem(file: file, line: line, subject: "PersistentVolumeClaim", reason: "it has no `metadata.name`", fix: "give the claim a name")
                }
                claims.append(try Claim.read(spec: map["spec"], name: name, namespace: namespace, owner: nil, replicas: 1,
                                             file: file, line: line, subject: "PersistentVolumeClaim `\(name)`"))
            case "Pod", "Deployment", "ReplicaSet", "ReplicationController", "DaemonSet", "StatefulSet", "Job", "CronJob":
                guard let name, !name.isEmpty else {
                    throw ManifestProblem(file: file, line: line, subject: kind, reason: "it has no `metadata.name`", fix: "give the \(kind) a name")
                }
                let workload = WorkloadRef(kind: kind, name: name, namespace: namespace)
                for claimName in Self.claimNames(inPodSpecOf: map, kind: kind) { references.append((workload, claimName)) }
                if kind == "StatefulSet" { try addTemplates(of: map, workload: workload, file: file, line: line) }
            default:
                skippedKinds.append(kind.isEmpty ? "(no kind)" : kind)
            }
        } catch {
            var p = error
            p.kind = p.kind ?? kind
            p.name = p.name ?? name
            problems.append(p)
        }
    }

    /// A StatefulSet's `volumeClaimTemplates`: one claim each, with the set's replica count.
    private mutating func addTemplates(of map: Node.Mapping, workload: WorkloadRef, file: String, line: Int?) throws(ManifestProblem) {
        let spec = map["spec"]?.mapping
        var replicas = 1
        if let r = spec?["replicas"], !r.isNull {
            guard let n = r.scalar.flatMap({ Int($0.string) }), n >= 0 else {
                throw ManifestProblem(file: file, line: r.mark?.line, subject: "\(workload)", reason: "`replicas: \(r.scalar?.string ?? "...")` is not a count", fix: "give a whole number")
            }
            replicas = n
        }
        guard let templates = spec?["volumeClaimTemplates"], !templates.isNull else { return }
        guard let list = templates.sequence else {
            throw ManifestProblem(file: file, line: templates.mark?.line, subject: "\(workload)", reason: "`volumeClaimTemplates` must be a list", fix: "give a list of claim templates")
        }
        for t in list {
            let tline = t.mark?.line ?? line
            guard let tname = t.mapping?["metadata"]?.mapping?["name"]?.scalar?.string, !tname.isEmpty else {
                var p = ManifestProblem(file: file, line: tline, subject: "a claim template of \(workload)", reason: "it has no `metadata.name`", fix: "give the template a name")
                p.kind = workload.kind
                p.name = workload.name
                problems.append(p)
                continue
            }
            do {
                claims.append(try Claim.read(spec: t.mapping?["spec"], name: tname, namespace: workload.namespace, owner: workload, replicas: replicas,
                                             file: file, line: tline, subject: "claim template `\(tname)` of \(workload)"))
            } catch {
                var p = error
                p.kind = workload.kind
                p.name = workload.name
                problems.append(p)
            }
        }
    }

    /// `persistentVolumeClaim.claimName` of every volume in the pod template of a workload.
    static func claimNames(inPodSpecOf map: Node.Mapping, kind: String) -> [String] {
        var spec = map["spec"]?.mapping
        if kind == "CronJob" { spec = spec?["jobTemplate"]?.mapping?["spec"]?.mapping }
        if kind != "Pod" { spec = spec?["template"]?.mapping?["spec"]?.mapping }
        return spec?["volumes"]?.sequence?.compactMap { $0.mapping?["persistentVolumeClaim"]?.mapping?["claimName"]?.scalar?.string } ?? []
    }

    /// Records which workloads mount which claims.
    private mutating func link(_ references: [(WorkloadRef, String)]) {
        for (workload, name) in references {
            for i in claims.indices where claims[i].owner == nil && claims[i].name == name
                && (claims[i].namespace == nil || workload.namespace == nil || claims[i].namespace == workload.namespace)
                && !claims[i].usedBy.contains(workload)
            {
                claims[i].usedBy.append(workload)
            }
        }
        unmatchedReferences = references.filter { ref in
            !claims.contains { $0.owner == nil && $0.name == ref.1 && ($0.namespace == nil || ref.0.namespace == nil || $0.namespace == ref.0.namespace) }
        }.map { ClaimReference(workload: $0.0, claimName: $0.1) }
    }

    /// Workloads that mount a claim the manifests do not contain (a note: it may exist in the cluster).
    public var unmatchedReferences: [ClaimReference] = []
}

/// A workload mounting a claim by name.
public struct ClaimReference: Sendable, Equatable {
    public var workload: WorkloadRef
    public var claimName: String
}
