/// fio's number syntax: sizes with k/m/g/t/p suffixes (case-insensitive, optional `i` and `b`,
/// base 1024 as fio's default `kb_base=1024`), `0x` hex, and times with us/ms/s/m/h/d.
public enum Units {
    /// Parses a byte count such as `4k`, `1MiB`, `512`, `0x1000`.
    /// - Throws: `InputError` in `option` (a key: `bs`) for empty, negative, unknown-unit or overflowing values.
    public static func parseSize(_ text: String, option: String) throws(InputError) -> UInt64 {
        let s = text.trimmingCharacters()
        guard !s.isEmpty else { throw InputError(option: option, value: nil, " is empty; give a size such as 4k, 1m or 10g") }
        if s.hasPrefix("-") {
            throw InputError(option: option, value: text, " is negative; give a positive size such as 4k, 1m or 10g")
        }
        if s.lowercased().hasPrefix("0x") {
            let hex = s.dropFirst(2)
            guard let v = UInt64(hex, radix: 16) else {
                if !hex.isEmpty && hex.allSatisfy({ $0.isASCII && $0.isHexDigit }) { throw tooLarge(option, text) }
                throw InputError(option: option, value: text, " is not a hexadecimal number; write e.g. 0x1000")
            }
            guard v <= UInt64(Int64.max) else { throw tooLarge(option, text) }
            return v
        }
        let digits = s.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        let unit = s.dropFirst(digits.count)
        let dot = digits.firstIndex(of: ".")
        let wholeDigits = digits[..<(dot ?? digits.endIndex)]
        var fractionDigits = dot.map { digits[digits.index(after: $0)...] } ?? ""
        guard wholeDigits.count + fractionDigits.count > 0, !fractionDigits.contains(".") else {
            throw InputError(option: option, value: text, " is not a size; give a number with an optional unit (k, m, g, t, p), e.g. 4k")
        }
        // ASCII case folding only: Unicode's maps the Kelvin sign (U+212A) to "k".
        let shift: UInt64
        switch String(decoding: unit.utf8.map { (65...90).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self) {
        case "", "b": shift = 0
        case "k", "kb", "ki", "kib": shift = 10
        case "m", "mb", "mi", "mib": shift = 20
        case "g", "gb", "gi", "gib": shift = 30
        case "t", "tb", "ti", "tib": shift = 40
        case "p", "pb", "pi", "pib": shift = 50
        default:
            throw InputError(option: option, value: text, ": unknown unit '\(unit)'; use k, m, g, t or p (1024 base), e.g. 4k")
        }
        guard let whole = wholeDigits.isEmpty ? 0 : UInt64(wholeDigits) else { throw tooLarge(option, text) }
        let (wholeBytes, overflow) = whole.multipliedReportingOverflow(by: 1 << shift)
        if overflow || wholeBytes > UInt64(Int64.max) { throw tooLarge(option, text) }
        // The fraction exactly (not through Double, whose rounding accepted e.g. 1000000.000001t
        // and 8191.99999999999999p = 2^63): 0.d1...dk x 2^shift is whole only if k <= shift once
        // trailing zeros are dropped, and its bytes are the digits shifted out by doubling.
        while fractionDigits.last == "0" { fractionDigits = fractionDigits.dropLast() }
        guard fractionDigits.count <= shift else { throw notWhole(option, text) }
        var fraction = fractionDigits.map { Int($0.asciiValue! - 48) }
        var fractionBytes: UInt64 = 0
        for _ in 0..<shift {
            var carry = 0
            for i in fraction.indices.reversed() {
                let d = fraction[i] * 2 + carry
                fraction[i] = d % 10
                carry = d / 10
            }
            fractionBytes = fractionBytes << 1 | UInt64(carry)
        }
        guard fraction.allSatisfy({ $0 == 0 }) else { throw notWhole(option, text) }
        // Below 2^63: wholeBytes is a multiple of 2^shift below 2^63, fractionBytes below 2^shift.
        return wholeBytes + fractionBytes
    }

    static func notWhole(_ option: String, _ text: String) -> InputError {
        InputError(option: option, value: text, " is not a whole number of bytes; use a smaller unit")
    }

    /// Parses a duration in nanoseconds: `10` (in `defaultUnit`), `500ms`, `2m`, `1h`.
    public static func parseDuration(
        _ text: String, option: String, defaultUnit: String = "s"
    ) throws(InputError) -> UInt64 {
        let s = text.trimmingCharacters()
        guard !s.isEmpty else { throw InputError(option: option, value: nil, " is empty; give a time such as 10s, 500ms or 2m") }
        if s.hasPrefix("-") {
            throw InputError(option: option, value: text, " is negative; give a time such as 10s, 500ms or 2m")
        }
        let digits = s.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        var unit = String(s.dropFirst(digits.count)).lowercased()
        guard !digits.isEmpty, let number = Double(digits) else {
            throw InputError(option: option, value: text, " is not a time; give a number with an optional unit (us, ms, s, m, h, d), e.g. 30s")
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
            throw InputError(option: option, value: text, ": unknown time unit '\(unit)'; use us, ms, s, m, h or d, e.g. 30s")
        }
        let value = number * nanos
        guard value < 9.2e18 else { throw tooLarge(option, text) }
        return UInt64(value)
    }

    /// Parses a plain non-negative integer.
    public static func parseInteger(_ text: String, option: String) throws(InputError) -> Int {
        let s = text.trimmingCharacters()
        if s.hasPrefix("-") { throw InputError(option: option, value: text, " is negative; give a whole number of 1 or more") }
        guard let v = Int(s) else {
            let digits = s.hasPrefix("+") ? s.dropFirst() : s
            if !digits.isEmpty && digits.allSatisfy({ $0.isASCII && $0.isNumber }) { throw tooLarge(option, text) }
            throw InputError(option: option, value: text, " is not a whole number; give e.g. \(InputError.mention(option, "8"))")
        }
        return v
    }

    static func tooLarge(_ option: String, _ text: String) -> InputError {
        InputError(option: option, value: text, " is too large; the limit is 8 EiB")
    }

    /// `4096` -> `4KiB`, `1048576` -> `1MiB`, `1000` -> `1000B`: exact binary units for display.
    public static func formatSize(_ bytes: UInt64) -> String {
        let units: [(UInt64, String)] = [(1 << 50, "PiB"), (1 << 40, "TiB"), (1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")]
        for (size, name) in units where bytes >= size && bytes % size == 0 {
            return "\(bytes / size)\(name)"
        }
        return "\(bytes)B"
    }

    /// `4096` -> `4k`, `1048576` -> `1m`, `1000` -> `1000`: as a fio job file writes sizes (1024 base).
    public static func fioSize(_ bytes: UInt64) -> String {
        let units: [(UInt64, String)] = [(1 << 40, "t"), (1 << 30, "g"), (1 << 20, "m"), (1 << 10, "k")]
        for (size, name) in units where bytes >= size && bytes % size == 0 {
            return "\(bytes / size)\(name)"
        }
        return "\(bytes)"
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
