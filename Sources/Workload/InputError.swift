/// A mistake in what the user gave tierbench: the option it is in (as data, not as a flag's
/// spelling), the value given, what is wrong and the fix. Each front end words it in its own
/// language (`OptionSpelling`): the command line as `--bs 4q: ...`, a fio job file as `bs=4q: ...`,
/// a tierbench job file as `bs: 4q: ...`. The CLI prints it as one line and exits with status 2.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The option the mistake is in, by tierbench's key (`bs`, `iodepth-batch`); nil: not one option's.
    public let option: String?
    /// The value of `option` as the message quotes it; nil: the message names the option alone.
    public let value: String?
    /// What follows the option and value: ` is negative; give ...` or `: unknown unit ...` (the
    /// whole message when there is no option). Other options it names are `mention`s.
    public let problem: String

    /// A message about no single option (it may `mention` some).
    public init(_ message: String) {
        option = nil; value = nil; problem = message
    }

    /// A message about `option` (a key, `bs`; a flag's `--bs` is taken as its key) and its
    /// `value`: `problem` follows them, starting with a space (` is negative`) or a colon (`: unknown unit`).
    public init(option: String, value: String?, _ problem: String) {
        self.option = String(option.drop { $0 == "-" }); self.value = value; self.problem = problem
    }

    /// Two errors are the same when they say the same (in the command line's words).
    public static func == (a: InputError, b: InputError) -> Bool { a.message == b.message }

    /// The message in the command line's words (`--bs 4q: ...`).
    public var message: String { message(.commandLine) }
    public var description: String { message }

    /// The message in a front end's words. Control characters in it (from the input it quotes:
    /// `--size $'4\nk'`) are shown escaped, so it stays one line and cannot drive the terminal.
    public func message(_ spelling: OptionSpelling) -> String {
        let head = option.map { spelling.subject($0, value) } ?? ""
        return Self.printable(spelling.spellMentions(head + problem))
    }

    /// `problem` with its mentions spelled (` is negative`, `: unknown unit ...`), for a front end
    /// that writes the option and value itself.
    public func problem(_ spelling: OptionSpelling) -> String { Self.printable(spelling.spellMentions(problem)) }

    /// Another option named inside a message (`give --rw too`, `e.g. --bs 4k` with a value): a
    /// marker each front end spells.
    public static func mention(_ key: String, _ value: String? = nil) -> String {
        "\u{E000}\(key)\(value.map { "\u{E002}\($0)" } ?? "")\u{E001}"
    }

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

/// How a front end writes an option: its name (`--bs`, `bs`) and the option with a value
/// (`--bs 4q`, `bs=4q`, `bs: 4q`).
public struct OptionSpelling: Sendable {
    public let name: @Sendable (_ key: String) -> String
    public let subject: @Sendable (_ key: String, _ value: String?) -> String

    public init(name: @escaping @Sendable (String) -> String, subject: @escaping @Sendable (String, String?) -> String) {
        self.name = name; self.subject = subject
    }

    /// `--bs 4q`.
    public static let commandLine = OptionSpelling(name: { "--\($0)" }, subject: { key, value in value.map { "--\(key) \($0)" } ?? "--\(key)" })

    /// Keys as they are, for input that is neither flags nor a job file (a fio result's options): `bs 4q`.
    public static let plain = OptionSpelling(name: { $0 }, subject: { key, value in value.map { "\(key) \($0)" } ?? key })

    func spellMentions(_ text: String) -> String {
        guard text.unicodeScalars.contains("\u{E000}") else { return text }
        var out = ""
        var rest = Substring(text)
        while let start = rest.firstIndex(of: "\u{E000}") {
            out += rest[..<start]
            let after = rest[rest.index(after: start)...]
            guard let end = after.firstIndex(of: "\u{E001}") else { break }
            let parts = after[..<end].split(separator: "\u{E002}", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            out += parts.count == 2 ? subject(parts[0], parts[1]) : name(parts[0])
            rest = after[after.index(after: end)...]
        }
        return out + rest
    }
}
