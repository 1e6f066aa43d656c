import Foundation
import Yams

/// An error loading a profile file: where (file, line, column, key) and what.
public struct ProfileLoadError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    /// The key path (`iops.baseline`, `limits[2].value`), when known.
    public var key: String?
    public var message: String

    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        if let column { s += ":\(column)" }
        s += ": "
        if let key, !key.isEmpty { s += "key `\(key)`: " }
        return s + message
    }
}

/// The profiles by name: the built-in directory, then extra directories that add profiles or
/// replace those with the same name (the last directory wins).
public struct ProfileSet: Sendable {
    /// Profiles by name.
    public private(set) var byName: [String: Profile] = [:]

    public init(_ profiles: [Profile] = []) {
        for p in profiles { byName[p.name] = p }
    }

    public var names: [String] { byName.keys.sorted() }
    public var profiles: [Profile] { names.map { byName[$0]! } }
    public subscript(name: String) -> Profile? { byName[name] }

    /// Loads `builtIn` and then each of `extra`, in order. Within one directory two files with the
    /// same profile name are an error; a later directory's profile replaces an earlier one's.
    public static func load(builtIn: String, extra: [String] = []) throws(ProfileLoadError) -> ProfileSet {
        var set = ProfileSet()
        for dir in [builtIn] + extra {
            for p in try loadDirectory(dir) { set.byName[p.name] = p }
        }
        return set
    }

    /// The profiles in one directory: every `*.yaml` and `*.yml` file, in name order.
    public static func loadDirectory(_ dir: String) throws(ProfileLoadError) -> [Profile] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: dir)
        } catch {
            throw ProfileLoadError(file: dir, message: "cannot read the profile directory: \(error.localizedDescription)")
        }
        var seen: [String: String] = [:]
        var result: [Profile] = []
        for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            let path = (dir as NSString).appendingPathComponent(name)
            let profile = try loadFile(path)
            if let other = seen[profile.name] {
                throw ProfileLoadError(file: path, key: "name", message: "profile `\(profile.name)` is also defined in \(other)")
            }
            seen[profile.name] = path
            result.append(profile)
        }
        return result
    }

    public static func loadFile(_ path: String) throws(ProfileLoadError) -> Profile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ProfileLoadError(file: path, message: "cannot read: \(error.localizedDescription)")
        }
        return try parse(text, file: path)
    }

    /// Decodes one profile from YAML text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws(ProfileLoadError) -> Profile {
        let node: Node
        do {
            guard let n = try Yams.compose(yaml: text) else {
                throw ProfileLoadError(file: file, message: "the file is empty")
            }
            node = n
        } catch let e as ProfileLoadError {
            throw e
        } catch let e as YamlError {
            throw yamlError(e, file: file)
        } catch {
            throw ProfileLoadError(file: file, message: "\(error)")
        }
        do {
            var profile = try YAMLDecoder().decode(Profile.self, from: node)
            profile.file = file
            return profile
        } catch let e as DecodingError {
            throw decodingError(e, node: node, file: file)
        } catch let e as YamlError {
            throw yamlError(e, file: file)
        } catch {
            throw ProfileLoadError(file: file, message: "\(error)")
        }
    }

    static func yamlError(_ e: YamlError, file: String) -> ProfileLoadError {
        switch e {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let what = [context.map { "\($0.text)" }, problem].compactMap { $0 }.filter { !$0.isEmpty }
            return ProfileLoadError(file: file, line: mark.line, column: mark.column, message: "malformed YAML: \(what.joined(separator: ", "))")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ProfileLoadError(
                file: file, line: context.mark.line, column: context.mark.column,
                message: "duplicated keys: \(duplicates.joined(separator: ", "))")
        default:
            return ProfileLoadError(file: file, message: "malformed YAML: \(e)")
        }
    }

    static func decodingError(_ e: DecodingError, node: Node, file: String) -> ProfileLoadError {
        let path: [any CodingKey]
        let message: String
        var formulaPosition: Int?
        switch e {
        case .keyNotFound(let key, let ctx):
            path = ctx.codingPath
            message = "missing key `\(key.stringValue)`"
        case .typeMismatch(let type, let ctx):
            path = ctx.codingPath
            message = "expected \(describe(type)): \(ctx.debugDescription)"
        case .valueNotFound(let type, let ctx):
            path = ctx.codingPath
            message = "expected \(describe(type)), found nothing"
        case .dataCorrupted(let ctx):
            path = ctx.codingPath
            message = ctx.debugDescription
            formulaPosition = (ctx.underlyingError as? FormulaError)?.position
        @unknown default:
            return ProfileLoadError(file: file, message: "\(e)")
        }
        let (target, mark) = locate(path, in: node)
        var column = mark?.column
        if let p = formulaPosition, case .scalar(let scalar)? = target, let c = column {
            let quoted = scalar.style == .singleQuoted || scalar.style == .doubleQuoted
            if !scalar.string.contains("\n") { column = c + (quoted ? 1 : 0) + p - 1 }
        }
        return ProfileLoadError(file: file, line: mark?.line, column: column, key: keyPath(path), message: message)
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Double.Type, is Int.Type: "a number"
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        default: "\(type)"
        }
    }

    static func keyPath(_ path: [any CodingKey]) -> String {
        var s = ""
        for k in path {
            if let i = k.intValue { s += "[\(i)]" } else { s += s.isEmpty ? k.stringValue : ".\(k.stringValue)" }
        }
        return s
    }

    /// The deepest node along `path` and its position.
    static func locate(_ path: [any CodingKey], in root: Node) -> (Node?, Mark?) {
        var node = root
        for key in path {
            let next: Node?
            if let i = key.intValue, case .sequence(let seq) = node, i < seq.count {
                next = seq[i]
            } else if case .mapping(let map) = node {
                next = map[key.stringValue]
            } else {
                next = nil
            }
            guard let next else { break }
            node = next
        }
        return (node, node.mark)
    }
}

extension ProfileSet {
    /// The profiles a StorageClass selects: those with a provisioner of this name whose selecting
    /// parameter has this value (nil: the parameter is absent, so the driver's default tier).
    public func matching(provisioner: String, parameters: [String: String]) -> [Profile] {
        profiles.filter { profile in
            !profile.template && profile.provisioners.contains { p in
                guard p.name == provisioner else { return false }
                let keys = ([p.parameter] + p.parameterAliases).map { $0.lowercased() }
                guard let given = parameters.first(where: { keys.contains($0.key.lowercased()) })?.value else {
                    return p.isDefault
                }
                return p.valueCaseInsensitive ? given.lowercased() == p.value.lowercased() : given == p.value
            }
        }
    }
}
