import Foundation

/// A manifest as an ordered tree (keys keep the order they were written in, so the YAML reads as
/// people write Kubernetes objects), rendered as YAML for people and JSON for kubectl.
public indirect enum Tree: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    case string(String)
    case int(Int)
    case bool(Bool)
    case array([Tree])
    case object([(String, Tree)])

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: Tree...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, Tree)...) { self = .object(elements) }

    public static func == (a: Tree, b: Tree) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)): return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// The value at `key` of an object.
    public subscript(key: String) -> Tree? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.first { $0.0 == key }?.1
    }

    /// Sets `key` (replacing it, or appending it) in an object.
    public mutating func set(_ key: String, _ value: Tree) {
        guard case .object(var pairs) = self else { return }
        if let i = pairs.firstIndex(where: { $0.0 == key }) { pairs[i].1 = value } else { pairs.append((key, value)) }
        self = .object(pairs)
    }

    /// Compact JSON (what kubectl reads on stdin).
    public var json: String {
        switch self {
        case .string(let s): return Self.quoted(s)
        case .int(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        case .array(let a): return "[" + a.map(\.json).joined(separator: ",") + "]"
        case .object(let o): return "{" + o.map { "\(Self.quoted($0.0)):\($0.1.json)" }.joined(separator: ",") + "}"
        }
    }

    /// Block-style YAML: strings double-quoted (JSON escapes are valid YAML), so no value is ever
    /// read back as another type.
    public func yaml(indent: Int = 0) -> String {
        let pad = String(repeating: " ", count: indent)
        switch self {
        case .object(let o) where !o.isEmpty:
            return o.map { key, value in
                let k = Self.plainKey(key) ? key : Self.quoted(key)
                switch value {
                case .object(let inner) where !inner.isEmpty: return "\(pad)\(k):\n" + value.yaml(indent: indent + 2)
                case .array(let inner) where !inner.isEmpty: return "\(pad)\(k):\n" + value.yaml(indent: indent)
                case .string(let text) where Self.literalBlock(text):
                    let body = text.hasSuffix("\n") ? String(text.dropLast()) : text
                    let inner = String(repeating: " ", count: indent + 2)
                    return "\(pad)\(k): |\(text.hasSuffix("\n") ? "" : "-")\n" + body.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "\n" : "\(inner)\($0)\n" }.joined()
                default: return "\(pad)\(k): \(value.scalarYAML)\n"
                }
            }.joined()
        case .array(let a) where !a.isEmpty:
            return a.map { item in
                switch item {
                case .object(let inner) where !inner.isEmpty:
                    // The first key on the dash's line, the rest indented under it.
                    let body = item.yaml(indent: indent + 2)
                    return pad + "- " + body.dropFirst(indent + 2)
                case .array(let inner) where !inner.isEmpty:
                    return "\(pad)-\n" + item.yaml(indent: indent + 2)
                default:
                    return "\(pad)- \(item.scalarYAML)\n"
                }
            }.joined()
        default:
            return pad + scalarYAML + "\n"
        }
    }

    var scalarYAML: String {
        switch self {
        case .object: return "{}"
        case .array: return "[]"
        case .string(let text) where Self.plainScalar(text): return text
        default: return json
        }
    }

    /// A string YAML reads back as the same string without quotes (no number, boolean or null).
    static func plainScalar(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, CharacterSet.letters.contains(first) || first == "/" else { return false }
        guard s.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._/-".unicodeScalars.contains($0)) }) else { return false }
        return !["y", "n", "yes", "no", "true", "false", "on", "off", "null"].contains(s.lowercased())
    }

    /// A multi-line string that a literal block (`|`) keeps exactly.
    static func literalBlock(_ s: String) -> Bool {
        s.contains("\n") && !s.hasPrefix(" ") && !s.hasPrefix("\n") && !s.hasSuffix("\n\n")
            && s.unicodeScalars.allSatisfy { $0 == "\n" || ($0.value >= 0x20 && $0.value != 0x7f) }
            && !s.split(separator: "\n").contains { $0.hasSuffix(" ") }
    }

    static func plainKey(_ k: String) -> Bool {
        !k.isEmpty && k.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "._-/".unicodeScalars.contains($0) }
            && k.first != "-"
    }

    static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if u.value < 0x20 || u.value == 0x7f { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}
