import Yams

/// A workload object that owns or uses claims: `StatefulSet/db`, `Deployment/app`.
public struct WorkloadRef: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var kind: String
    public var name: String
    public var namespace: String?
    public init(kind: String, name: String, namespace: String? = nil) { self.kind = kind; self.name = name; self.namespace = namespace }
    public var description: String { "\(kind) `\(name)`" }
}

/// Which class a claim asks for (`spec.storageClassName`).
public enum ClassRequest: Sendable, Equatable {
    /// No `storageClassName`: the cluster's default class.
    case clusterDefault
    /// `storageClassName: ""`: no class; the claim binds only to a pre-provisioned volume.
    case none
    case named(String)
}

/// A PersistentVolumeClaim, or a StatefulSet's `volumeClaimTemplates` entry (one claim per replica,
/// named `<template>-<statefulset>-<ordinal>`): what tierbench needs to say what its volumes deliver.
public struct Claim: Sendable, Equatable {
    /// The PVC's name, or the template's.
    public var name: String
    public var namespace: String?
    /// The StatefulSet whose template this is; nil for a PersistentVolumeClaim.
    public var owner: WorkloadRef?
    /// Volumes the claim makes: the StatefulSet's `replicas` (default 1), else 1.
    public var replicas: Int
    public var storageClass: ClassRequest
    /// `spec.resources.requests.storage`.
    public var size: Quantity
    /// `Filesystem` (the default) or `Block`.
    public var volumeMode: String
    public var accessModes: [String]
    /// Workloads that mount the claim by name (`persistentVolumeClaim.claimName`).
    public var usedBy: [WorkloadRef]
    public var file: String
    public var line: Int?

    /// `file:line`.
    public var source: String { "\(file)\(line.map { ":\($0)" } ?? "")" }

    /// `claim `data` of StatefulSet `db`` or `PersistentVolumeClaim `data``.
    public var label: String {
        owner.map { "claim template `\(name)` of \($0)" } ?? "PersistentVolumeClaim `\(name)`"
    }

    /// The names of the PVCs the cluster makes: the PVC's own, or one per StatefulSet replica.
    public var claimNames: [String] {
        guard let owner else { return [name] }
        return (0..<replicas).map { "\(name)-\(owner.name)-\($0)" }
    }

    /// True when `text` names this claim: its name, `<statefulset>/<template>`, or a replica's PVC name.
    public func isNamed(_ text: String) -> Bool {
        text == name || owner.map { text == "\($0.name)/\(name)" } == true || claimNames.contains(text)
    }
}

extension Claim {
    /// Reads a claim spec (a PVC's `spec`, or a template). Problems name the field and the fix.
    static func read(spec: Node?, name: String, namespace: String?, owner: WorkloadRef?, replicas: Int,
                     file: String, line: Int?, subject: String) throws(ManifestProblem) -> Claim {
        func problem(_ reason: String, _ fix: String, at node: Node? = nil) -> ManifestProblem {
            ManifestProblem(file: file, line: node?.mark?.line ?? line, subject: subject, reason: reason, fix: fix)
        }
        guard let spec = spec?.mapping else {
            throw problem("it has no `spec`", "give it `spec.resources.requests.storage` and `spec.accessModes`")
        }
        let request: ClassRequest
        if let c = spec["storageClassName"], !c.isNull {
            guard let s = c.scalar?.string else { throw problem("`storageClassName` must be a string", "give the class's name", at: c) }
            request = s.isEmpty ? .none : .named(s)
        } else {
            request = .clusterDefault
        }
        guard let storage = spec["resources"]?.mapping?["requests"]?.mapping?["storage"], let text = storage.scalar?.string else {
            throw problem("it has no `spec.resources.requests.storage`", "give the size, e.g. `resources: {requests: {storage: 100Gi}}`")
        }
        let size: Quantity
        do { size = try Quantity.parse(text) } catch {
            throw problem("`storage: \(text)`: \(error.reason)", "give a Kubernetes quantity such as 100Gi", at: storage)
        }
        guard size.bytes > 0 else { throw problem("`storage: \(text)` must be above zero", "give e.g. 100Gi", at: storage) }
        var mode = "Filesystem"
        if let m = spec["volumeMode"], !m.isNull {
            guard let s = m.scalar?.string, ["Filesystem", "Block"].contains(s) else {
                throw problem("`volumeMode: \(m.scalar?.string ?? "...")` is not a volume mode", "use Filesystem or Block", at: m)
            }
            mode = s
        }
        let modes = spec["accessModes"]?.sequence?.compactMap { $0.scalar?.string } ?? []
        return Claim(name: name, namespace: namespace, owner: owner, replicas: replicas, storageClass: request, size: size,
                     volumeMode: mode, accessModes: modes, usedBy: [], file: file, line: line)
    }
}
