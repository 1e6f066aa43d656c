extension StringProtocol {
    /// The text without its leading and trailing whitespace (`Character.isWhitespace`: spaces,
    /// tabs, line breaks and the other Unicode spaces), as a user means "the value" in `bs = 4k `,
    /// `50, 99` or a sysfs file's `4096\n`.
    public var trimmingWhitespace: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
}
