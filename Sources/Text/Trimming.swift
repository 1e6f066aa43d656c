extension StringProtocol {
    /// The text without the leading and trailing characters that `trimmed` accepts.
    public func trimming(while trimmed: (Character) -> Bool) -> String {
        guard let first = firstIndex(where: { !trimmed($0) }), let last = lastIndex(where: { !trimmed($0) }) else { return "" }
        return String(self[first...last])
    }

    /// Without leading and trailing spaces and tabs: a value as a user typed it (`--bs " 4k"`,
    /// `bs = 4k`, `50, 99`). A line break stays, for the parser to refuse.
    public var trimmingBlanks: String { trimming { $0 == " " || $0 == "\t" } }

    /// Without leading and trailing whitespace, line breaks included (`Character.isWhitespace`):
    /// a sysfs file's `4096\n`, a YAML value.
    public var trimmingWhitespace: String { trimming(while: \.isWhitespace) }
}
