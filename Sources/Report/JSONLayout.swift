/// Re-indents compact JSON (as JSONEncoder writes it) for people: two spaces per level, one
/// key per line, and arrays of plain values (numbers, strings) kept on one line, so a
/// histogram's `[value, count]` bins stay one per line. Bytes of values are copied unchanged.
enum JSONLayout {
    static func pretty(_ compact: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(compact.count * 2)
        var depth = 0
        var i = 0
        // Containers laid out inline: depth at which the current inline array started.
        var inlineDepth: Int?
        func newline() {
            out.append(UInt8(ascii: "\n"))
            for _ in 0..<(depth * 2) { out.append(UInt8(ascii: " ")) }
        }
        while i < compact.count {
            let c = compact[i]
            switch c {
            case UInt8(ascii: "\""):
                // Copy the string through its closing quote, escapes included.
                var j = i + 1
                while j < compact.count && compact[j] != UInt8(ascii: "\"") {
                    j += compact[j] == UInt8(ascii: "\\") ? 2 : 1
                }
                out += compact[i...min(j, compact.count - 1)]
                i = j + 1
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                out.append(c)
                depth += 1
                if inlineDepth == nil {
                    if isEmptyContainer(compact, i) {
                        out.append(compact[i + 1]); depth -= 1; i += 2; continue
                    }
                    if c == UInt8(ascii: "[") && holdsOnlyScalars(compact, i) {
                        inlineDepth = depth
                    } else {
                        newline()
                    }
                }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if inlineDepth == depth {
                    inlineDepth = nil
                    depth -= 1
                } else {
                    depth -= 1
                    if inlineDepth == nil { newline() }
                }
                out.append(c)
            case UInt8(ascii: ","):
                out.append(c)
                if inlineDepth != nil { out.append(UInt8(ascii: " ")) } else { newline() }
            case UInt8(ascii: ":"):
                out.append(c)
                if inlineDepth == nil { out.append(UInt8(ascii: " ")) }
            default:
                out.append(c)
            }
            i += 1
        }
        out.append(UInt8(ascii: "\n"))
        return String(decoding: out, as: UTF8.self)
    }

    static func isEmptyContainer(_ b: [UInt8], _ i: Int) -> Bool {
        i + 1 < b.count && (b[i + 1] == UInt8(ascii: "]") || b[i + 1] == UInt8(ascii: "}"))
    }

    /// Whether the array opening at `i` holds no object (nested arrays of scalars are fine).
    static func holdsOnlyScalars(_ b: [UInt8], _ i: Int) -> Bool {
        var depth = 0
        var j = i
        while j < b.count {
            switch b[j] {
            case UInt8(ascii: "\""):
                j += 1
                while j < b.count && b[j] != UInt8(ascii: "\"") { j += b[j] == UInt8(ascii: "\\") ? 2 : 1 }
            case UInt8(ascii: "{"): return false
            case UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return true }
            default: break
            }
            j += 1
        }
        return true
    }
}
