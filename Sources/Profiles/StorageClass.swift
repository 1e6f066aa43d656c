import Foundation
import Yams

/// A Kubernetes StorageClass as tierbench needs it: name, provisioner, parameters. Everything else
/// (`allowVolumeExpansion`, `reclaimPolicy`, `volumeBindingMode`, ...) is ignored.
public struct StorageClass: Sendable, Equatable {
    public var name: String
    public var provisioner: String
    /// The parameters with their keys spelled as in the manifest.
    public var parameters: [String: String]
    /// Where the class was read (for messages).
    public var file: String
    public var line: Int?

    public init(name: String, provisioner: String, parameters: [String: String] = [:], file: String = "<input>", line: Int? = nil) {
        self.name = name
        self.provisioner = provisioner
        self.parameters = parameters
        self.file = file
        self.line = line
    }

    /// `file:line: StorageClass `name``, the prefix of every message about this class.
    public var location: String {
        "\(file)\(line.map { ":\($0)" } ?? ""): StorageClass `\(name)`"
    }
}

/// An error reading StorageClasses or resolving one against the profiles: one line, with where.
public struct StorageClassError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String

    public init(file: String, line: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): \(message)" }
}

/// The StorageClasses of one file: single or multi-document YAML manifests (other kinds skipped) and
/// `kubectl get storageclass -o yaml` output (`kind: List` or `StorageClassList` with `items`).
public struct StorageClassFile: Sendable {
    public var file: String
    public var classes: [StorageClass]
    /// The kinds of the documents that were skipped (for the message when no class is found).
    public var skippedKinds: [String]

    public static func load(_ path: String) throws(StorageClassError) -> StorageClassFile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw StorageClassError(file: path, message: "cannot read the StorageClass file: \(error.localizedDescription)")
        }
        return try parse(text: text, file: path)
    }

    public static func parse(text: String, file: String) throws(StorageClassError) -> StorageClassFile {
        var documents: [Node] = []
        do {
            var sequence = try Yams.compose_all(yaml: text)
            while let node = sequence.next() { documents.append(node) }
            if let e = sequence.error { throw e }
        } catch let e as YamlError {
            let p = ProfileSet.yamlError(e, file: file)
            throw StorageClassError(file: file, line: p.line, message: p.message)
        } catch {
            throw StorageClassError(file: file, message: "malformed YAML: \(error)")
        }
        var result = StorageClassFile(file: file, classes: [], skippedKinds: [])
        for (i, doc) in documents.enumerated() {
            try result.add(doc, document: i + 1, inList: false)
        }
        return result
    }

    private mutating func add(_ node: Node, document: Int, inList: Bool) throws(StorageClassError) {
        let line = node.mark?.line
        if case .scalar(let s) = node, s.tag == .init(.null) || s.string.isEmpty { return }  // an empty document
        guard let map = node.mapping else {
            throw StorageClassError(
                file: file, line: line,
                message: "\(inList ? "an item of a List" : "document \(document)") is not a Kubernetes object (a mapping with `kind`)")
        }
        let kind = map["kind"]?.scalar?.string ?? ""
        if kind == "List" || (kind.hasSuffix("List") && map["items"] != nil) {
            guard let items = map["items"] else { return }
            guard let seq = items.sequence else {
                throw StorageClassError(file: file, line: items.mark?.line, message: "`items` of a \(kind) must be a list")
            }
            let isClassList = kind == "StorageClassList"
            for item in seq {
                // Items of a StorageClassList may omit their kind.
                if isClassList, var m = item.mapping, m["kind"] == nil {
                    m["kind"] = "StorageClass"
                    try add(.mapping(m), document: document, inList: true)
                } else {
                    try add(item, document: document, inList: true)
                }
            }
            return
        }
        guard kind == "StorageClass" else {
            skippedKinds.append(kind.isEmpty ? "(no kind)" : kind)
            return
        }
        guard let name = map["metadata"]?.mapping?["name"]?.scalar?.string, !name.isEmpty else {
            throw StorageClassError(file: file, line: line, message: "a StorageClass without `metadata.name`")
        }
        guard let provisioner = map["provisioner"]?.scalar?.string, !provisioner.isEmpty else {
            throw StorageClassError(file: file, line: line, message: "StorageClass `\(name)` has no `provisioner`")
        }
        var parameters: [String: String] = [:]
        if let p = map["parameters"], !(p.scalar.map { $0.tag == .init(.null) } ?? false) {
            guard let pm = p.mapping else {
                throw StorageClassError(file: file, line: p.mark?.line, message: "StorageClass `\(name)`: `parameters` must be a mapping of strings")
            }
            for (k, v) in pm {
                guard let key = k.scalar?.string, let value = v.scalar?.string else {
                    throw StorageClassError(
                        file: file, line: k.mark?.line,
                        message: "StorageClass `\(name)`: parameter `\(k.scalar?.string ?? "?")` must be a string (quote it)")
                }
                if parameters[key] != nil {
                    throw StorageClassError(file: file, line: k.mark?.line, message: "StorageClass `\(name)`: parameter `\(key)` is given twice")
                }
                parameters[key] = value
            }
        }
        if let other = classes.first(where: { $0.name == name }) {
            throw StorageClassError(
                file: file, line: line,
                message: "StorageClass `\(name)` is defined twice (also at line \(other.line.map(String.init) ?? "?"))")
        }
        classes.append(StorageClass(name: name, provisioner: provisioner, parameters: parameters, file: file, line: line))
    }

    /// The class named `name`, or every class when `name` is nil (`--class`). Errors name the
    /// available classes, or the kinds found when the file holds none.
    public func select(name: String? = nil) throws(StorageClassError) -> [StorageClass] {
        guard !classes.isEmpty else {
            let kinds = skippedKinds.isEmpty ? "it is empty" : "it holds \(Set(skippedKinds).sorted().joined(separator: ", "))"
            throw StorageClassError(file: file, message: "no StorageClass found (\(kinds)); pass a file with `kind: StorageClass` documents or `kubectl get storageclass -o yaml` output")
        }
        guard let name else { return classes }
        guard let c = classes.first(where: { $0.name == name }) else {
            throw StorageClassError(
                file: file,
                message: "no StorageClass named `\(name)`; the file has: \(classes.map(\.name).joined(separator: ", "))")
        }
        return [c]
    }
}
