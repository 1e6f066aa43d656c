/// fio's number syntax: sizes with k/m/g/t/p suffixes (case-insensitive, optional `i` and `b`,
/// base 1024 as fio's default `kb_base=1024`), `0x` hex, and times with us/ms/s/m/h/d.
public enum Units {
    /// Parses a byte count such as `4k`, `1MiB`, `512`, `0x1000`.
    /// - Throws: `InputError` naming `option` for empty, negative, unknown-unit or overflowing values.
    public static func parseSize(_ text: String, option: String) throws(InputError) -> UInt64 {
        let s = text.trimmingCharacters()
        guard !s.isEmpty else { throw InputError("\(option) is empty; give a size such as 4k, 1m or 10g") }
        if s.hasPrefix("-") {
            throw InputError("\(option) \(text) is negative; give a positive size such as 4k, 1m or 10g")
        }
        if s.lowercased().hasPrefix("0x") {
            guard let v = UInt64(s.dropFirst(2), radix: 16) else {
                throw InputError("\(option) \(text) is not a hexadecimal number; write e.g. 0x1000")
            }
            return v
        }
        let digits = s.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        let suffix = s.dropFirst(digits.count).lowercased()
        guard !digits.isEmpty, let number = Double(digits) else {
            throw InputError("\(option) \(text) is not a size; give a number with an optional unit (k, m, g, t, p), e.g. 4k")
        }
        let multiplier: UInt64
        switch suffix {
        case "", "b": multiplier = 1
        case "k", "kb", "ki", "kib": multiplier = 1 << 10
        case "m", "mb", "mi", "mib": multiplier = 1 << 20
        case "g", "gb", "gi", "gib": multiplier = 1 << 30
        case "t", "tb", "ti", "tib": multiplier = 1 << 40
        case "p", "pb", "pi", "pib": multiplier = 1 << 50
        default:
            throw InputError("\(option) \(text): unknown unit '\(s.dropFirst(digits.count))'; use k, m, g, t or p (1024 base), e.g. 4k")
        }
        if digits.contains(".") {
            let bytes = number * Double(multiplier)
            guard bytes < 1.8e19 else { throw tooLarge(option, text) }
            guard bytes == bytes.rounded() else {
                throw InputError("\(option) \(text) is not a whole number of bytes; use a smaller unit")
            }
            return UInt64(bytes)
        }
        guard let whole = UInt64(digits) else { throw tooLarge(option, text) }
        let (product, overflow) = whole.multipliedReportingOverflow(by: multiplier)
        if overflow || product > UInt64(Int64.max) { throw tooLarge(option, text) }
        return product
    }

    /// Parses a duration in nanoseconds: `10` (in `defaultUnit`), `500ms`, `2m`, `1h`.
    public static func parseDuration(
        _ text: String, option: String, defaultUnit: String = "s"
    ) throws(InputError) -> UInt64 {
        let s = text.trimmingCharacters()
        guard !s.isEmpty else { throw InputError("\(option) is empty; give a time such as 10s, 500ms or 2m") }
        if s.hasPrefix("-") {
            throw InputError("\(option) \(text) is negative; give a time such as 10s, 500ms or 2m")
        }
        let digits = s.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        var unit = String(s.dropFirst(digits.count)).lowercased()
        guard !digits.isEmpty, let number = Double(digits) else {
            throw InputError("\(option) \(text) is not a time; give a number with an optional unit (us, ms, s, m, h, d), e.g. 30s")
        }
        if unit.isEmpty { unit = defaultUnit }
        let nanos: Double
        switch unit {
        case "ns": nanos = 1
        case "us", "usec": nanos = 1e3
        case "ms", "msec": nanos = 1e6
        case "s", "sec": nanos = 1e9
        case "m", "min": nanos = 60e9
        case "h": nanos = 3600e9
        case "d": nanos = 86400e9
        default:
            throw InputError("\(option) \(text): unknown time unit '\(unit)'; use us, ms, s, m, h or d, e.g. 30s")
        }
        let value = number * nanos
        guard value < 9.2e18 else { throw tooLarge(option, text) }
        return UInt64(value)
    }

    /// Parses a plain non-negative integer.
    public static func parseInteger(_ text: String, option: String) throws(InputError) -> Int {
        let s = text.trimmingCharacters()
        if s.hasPrefix("-") { throw InputError("\(option) \(text) is negative; give a whole number of 1 or more") }
        guard let v = Int(s) else {
            if !s.isEmpty && s.allSatisfy({ $0.isASCII && $0.isNumber }) { throw tooLarge(option, text) }
            throw InputError("\(option) \(text) is not a whole number; give e.g. \(option) 8")
        }
        return v
    }

    static func tooLarge(_ option: String, _ text: String) -> InputError {
        InputError("\(option) \(text) is too large; the limit is 8 EiB")
    }

    /// `4096` -> `4KiB`, `1048576` -> `1MiB`, `1000` -> `1000B`: exact binary units for display.
    public static func formatSize(_ bytes: UInt64) -> String {
        let units: [(UInt64, String)] = [(1 << 50, "PiB"), (1 << 40, "TiB"), (1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")]
        for (size, name) in units where bytes >= size && bytes % size == 0 {
            return "\(bytes / size)\(name)"
        }
        return "\(bytes)B"
    }
}

extension String {
    public func trimmingCharacters() -> Substring {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return s
    }
}
