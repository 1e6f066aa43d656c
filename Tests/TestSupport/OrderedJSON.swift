/// A JSON document that keeps each object's keys in the order they were written (Foundation's
/// parser does not), for comparing layouts key by key.
public indirect enum OrderedJSON: Sendable {
    case object([(key: String, value: OrderedJSON)])
    case array([OrderedJSON])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    /// "object", "array", "string", "number", "bool" or "null".
    public var kind: String {
        switch self {
        case .object: "object"
        case .array: "array"
        case .string: "string"
        case .number: "number"
        case .bool: "bool"
        case .null: "null"
        }
    }

    public struct ParseError: Error, CustomStringConvertible {
        public let offset: Int
        public var description: String { "not JSON at byte \(offset)" }
    }

    /// Parses one document (leading and trailing white space allowed).
    public init(parsing text: String) throws {
        var p = Parser(bytes: Array(text.utf8))
        self = try p.value()
        p.skipSpace()
        guard p.at == p.bytes.count else { throw ParseError(offset: p.at) }
    }

    private struct Parser {
        let bytes: [UInt8]
        var at = 0

        mutating func skipSpace() {
            while at < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[at]) { at += 1 }
        }

        mutating func expect(_ byte: UInt8) throws {
            skipSpace()
            guard at < bytes.count, bytes[at] == byte else { throw ParseError(offset: at) }
            at += 1
        }

        mutating func value() throws -> OrderedJSON {
            skipSpace()
            guard at < bytes.count else { throw ParseError(offset: at) }
            switch bytes[at] {
            case UInt8(ascii: "{"):
                at += 1
                var members: [(key: String, value: OrderedJSON)] = []
                skipSpace()
                if at < bytes.count, bytes[at] == UInt8(ascii: "}") { at += 1; return .object(members) }
                repeat {
                    skipSpace()
                    let key = try string()
                    try expect(UInt8(ascii: ":"))
                    members.append((key, try value()))
                    skipSpace()
                } while try separator(closing: UInt8(ascii: "}"))
                return .object(members)
            case UInt8(ascii: "["):
                at += 1
                var elements: [OrderedJSON] = []
                skipSpace()
                if at < bytes.count, bytes[at] == UInt8(ascii: "]") { at += 1; return .array(elements) }
                repeat {
                    elements.append(try value())
                    skipSpace()
                } while try separator(closing: UInt8(ascii: "]"))
                return .array(elements)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try word("true"); return .bool(true)
            case UInt8(ascii: "f"): try word("false"); return .bool(false)
            case UInt8(ascii: "n"): try word("null"); return .null
            default:
                let start = at
                while at < bytes.count, "+-0123456789.eE".utf8.contains(bytes[at]) { at += 1 }
                guard at > start else { throw ParseError(offset: at) }
                return .number(String(decoding: bytes[start..<at], as: UTF8.self))
            }
        }

        /// After a member or element: true on ",", false on `closing`.
        mutating func separator(closing: UInt8) throws -> Bool {
            guard at < bytes.count else { throw ParseError(offset: at) }
            at += 1
            if bytes[at - 1] == UInt8(ascii: ",") { return true }
            if bytes[at - 1] == closing { return false }
            throw ParseError(offset: at - 1)
        }

        mutating func word(_ w: String) throws {
            let w = Array(w.utf8)
            guard at + w.count <= bytes.count, Array(bytes[at..<at + w.count]) == w else { throw ParseError(offset: at) }
            at += w.count
        }

        /// A string, its escapes kept as written (keys are compared as fio spells them).
        mutating func string() throws -> String {
            guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { throw ParseError(offset: at) }
            at += 1
            let start = at
            while at < bytes.count, bytes[at] != UInt8(ascii: "\"") { at += bytes[at] == UInt8(ascii: "\\") ? 2 : 1 }
            guard at < bytes.count else { throw ParseError(offset: at) }
            at += 1
            return String(decoding: bytes[start..<at - 1], as: UTF8.self)
        }
    }
}
