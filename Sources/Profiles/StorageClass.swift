import Yams

/// A Kubernetes StorageClass as tierbench needs it: name, provisioner, parameters, and the fields
/// that decide where its volumes are created (`volumeBindingMode`, `allowedTopologies`). Everything
/// else (`allowVolumeExpansion`, `reclaimPolicy`, ...) is ignored.
public struct StorageClass: Sendable, Equatable {
    public var name: String
    public var provisioner: String
    /// The parameters with their keys spelled as in the manifest.
    public var parameters: [String: String]
    /// `Immediate` or `WaitForFirstConsumer`; nil when absent (Kubernetes defaults it to Immediate).
    public var volumeBindingMode: String?
    /// `allowedTopologies`: each term's label requirements (key and values), in order.
    public var allowedTopologies: [[TopologyRequirement]]
    /// Annotated `storageclass.kubernetes.io/is-default-class: "true"` (or the beta annotation).
    public var isDefaultClass: Bool
    /// Where the class was read (for messages).
    public var file: String
    public var line: Int?

    public init(name: String, provisioner: String, parameters: [String: String] = [:], volumeBindingMode: String? = nil,
                allowedTopologies: [[TopologyRequirement]] = [], isDefaultClass: Bool = false, file: String = "<input>", line: Int? = nil) {
        self.name = name
        self.provisioner = provisioner
        self.parameters = parameters
        self.volumeBindingMode = volumeBindingMode
        self.allowedTopologies = allowedTopologies
        self.isDefaultClass = isDefaultClass
        self.file = file
        self.line = line
    }

    /// `file:line: StorageClass `name``, the prefix of every message about this class.
    public var location: String {
        "\(file)\(line.map { ":\($0)" } ?? ""): StorageClass `\(name)`"
    }

    /// `file:line`.
    public var source: String { "\(file)\(line.map { ":\($0)" } ?? "")" }

    /// The parameter's value, its key compared without case (as the cloud drivers do).
    public func parameter(_ key: String) -> String? {
        parameters.first { $0.key.lowercased() == key.lowercased() }?.value
    }
}

/// One `matchLabelExpressions` entry of a StorageClass's `allowedTopologies`.
public struct TopologyRequirement: Sendable, Equatable {
    public var key: String
    public var values: [String]
    public init(key: String, values: [String]) { self.key = key; self.values = values }
}

/// The annotations Kubernetes reads to find the default class (the beta one is still honoured).
let defaultClassAnnotations = ["storageclass.kubernetes.io/is-default-class", "storageclass.beta.kubernetes.io/is-default-class"]

extension StorageClass {
    /// Reads a `kind: StorageClass` object. A class that is not well-formed is a problem naming
    /// the field and the fix; `name` is the class's name when it has one (for the report).
    static func read(_ map: Node.Mapping, file: String, line: Int?) throws(ManifestProblem) -> StorageClass {
        let metadata = map["metadata"]?.mapping
        guard let name = metadata?["name"]?.scalar?.string, !name.isEmpty else {
            throw ManifestProblem(file: file, line: line, subject: "StorageClass", reason: "it has no `metadata.name`", fix: "give the class a name")
        }
        let subject = "StorageClass `\(name)`"
        func problem(_ reason: String, _ fix: String, at node: Node? = nil) -> ManifestProblem {
            ManifestProblem(file: file, line: node?.mark?.line ?? line, subject: subject, reason: reason, fix: fix)
        }
        guard let provisioner = map["provisioner"]?.scalar?.string, !provisioner.isEmpty else {
            throw problem("it has no `provisioner`", "set `provisioner` to the CSI driver that creates its volumes (e.g. ebs.csi.aws.com)")
        }
        var parameters: [String: String] = [:]
        if let p = map["parameters"], !p.isNull {
            guard let pm = p.mapping else {
                throw problem("`parameters` must be a mapping of strings", "write `parameters:` as `key: \"value\"` lines", at: p)
            }
            for (k, v) in pm {
                guard let key = k.scalar?.string, let value = v.scalar?.string, !v.isNull else {
                    throw problem("parameter `\(k.scalar?.string ?? "?")` must be a string", "quote its value", at: k)
                }
                if parameters[key] != nil {
                    throw problem("parameter `\(key)` is given twice", "remove one of them", at: k)
                }
                parameters[key] = value
            }
        }
        var mode: String?
        if let m = map["volumeBindingMode"], !m.isNull {
            guard let s = m.scalar?.string, ["Immediate", "WaitForFirstConsumer"].contains(s) else {
                throw problem("`volumeBindingMode: \(m.scalar?.string ?? "...")` is not a binding mode", "use Immediate or WaitForFirstConsumer", at: m)
            }
            mode = s
        }
        var topologies: [[TopologyRequirement]] = []
        if let t = map["allowedTopologies"], !t.isNull {
            guard let terms = t.sequence else {
                throw problem("`allowedTopologies` must be a list of terms", "write it as `- matchLabelExpressions: [{key: ..., values: [...]}]`", at: t)
            }
            for term in terms {
                var requirements: [TopologyRequirement] = []
                let expressions = term.mapping?["matchLabelExpressions"]
                guard let list = expressions?.sequence else {
                    throw problem("an `allowedTopologies` term has no `matchLabelExpressions` list", "give each term `matchLabelExpressions: [{key: ..., values: [...]}]`", at: term)
                }
                for e in list {
                    guard let key = e.mapping?["key"]?.scalar?.string,
                        let values = e.mapping?["values"]?.sequence?.compactMap({ $0.scalar?.string }), !values.isEmpty
                    else {
                        throw problem("an `allowedTopologies` expression needs `key` and `values`", "write it as `{key: topology.kubernetes.io/zone, values: [zone-a]}`", at: e)
                    }
                    requirements.append(TopologyRequirement(key: key, values: values))
                }
                topologies.append(requirements)
            }
        }
        let annotations = metadata?["annotations"]?.mapping
        let isDefault = defaultClassAnnotations.contains { annotations?[.init($0)]?.scalar?.string == "true" }
        return StorageClass(name: name, provisioner: provisioner, parameters: parameters, volumeBindingMode: mode,
                            allowedTopologies: topologies, isDefaultClass: isDefault, file: file, line: line)
    }
}

extension Node {
    /// A null scalar (`~`, `null`, nothing).
    var isNull: Bool { scalar.map { $0.tag == .init(.null) || ($0.string.isEmpty && $0.style == .plain) } ?? false }
}
