/// A mistake in what the user gave tierbench: the message names the input and the fix.
/// The CLI prints it as one line and exits with status 2.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    /// Control characters in the message (from the input it quotes: `--size $'4\nk'`) are shown
    /// escaped, so it stays one line and cannot drive the terminal.
    public init(_ message: String) { self.message = Self.printable(message) }
    public var description: String { message }

    /// `text` with newlines, escape sequences and other control characters (and the Unicode line
    /// and paragraph separators) written as Swift escapes: `\n`, `\u{1b}`.
    public static func printable(_ text: String) -> String {
        func isControl(_ s: Unicode.Scalar) -> Bool {
            s.properties.generalCategory == .control || s == "\u{2028}" || s == "\u{2029}"
        }
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out.append(contentsOf: #"\n"#.unicodeScalars)
            case "\r": out.append(contentsOf: #"\r"#.unicodeScalars)
            case "\t": out.append(contentsOf: #"\t"#.unicodeScalars)
            case _ where isControl(scalar): out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16))}".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }
}
