import Text

/// A Kubernetes resource quantity (`500Gi`, `1.5Ti`, `100G`, `1e3`, `250Mi`) as a whole number of
/// bytes. The grammar is Kubernetes': an unsigned decimal number, then nothing, a binary suffix
/// (Ki Mi Gi Ti Pi Ei: powers of 1024), a decimal suffix (n u m k M G T P E: powers of 1000), or a
/// decimal exponent (`e3`, `E-2`). The arithmetic is exact; a fraction of a byte rounds up, as
/// Kubernetes' `Quantity.Value()` does. Negative values and values above Int64 are refused.
public struct Quantity: Sendable, Equatable, CustomStringConvertible {
    /// The text as given.
    public let text: String
    /// The value in bytes (whole, rounded up).
    public let bytes: Int64

    public var description: String { text }

    /// The value in GiB (2^30 bytes), exact up to Double precision.
    public var gib: Double { Double(bytes) / 1_073_741_824 }

    /// The value in whole GiB, rounded up (what a cloud allocates for a disk of this size).
    public var gibRoundedUp: Int64 { bytes / 1_073_741_824 + (bytes % 1_073_741_824 == 0 ? 0 : 1) }

    public init(bytes: Int64) {
        self.text = String(bytes)
        self.bytes = bytes
    }

    /// Suffix -> (power of 2, power of 10).
    static let suffixes: [String: (binary: Int, decimal: Int)] = [
        "": (0, 0),
        "Ki": (10, 0), "Mi": (20, 0), "Gi": (30, 0), "Ti": (40, 0), "Pi": (50, 0), "Ei": (60, 0),
        "n": (0, -9), "u": (0, -6), "m": (0, -3),
        "k": (0, 3), "M": (0, 6), "G": (0, 9), "T": (0, 12), "P": (0, 15), "E": (0, 18),
    ]

    public static func parse(_ input: String) throws(QuantityError) -> Quantity {
        let text = input.trimmingWhitespace
        func fail(_ why: String) -> QuantityError { QuantityError(input: input, reason: why) }
        guard !text.isEmpty else { throw fail("it is empty") }
        var chars = Substring(text)
        if chars.first == "-" { throw fail("it is negative") }
        if chars.first == "+" { chars = chars.dropFirst() }
        // Mantissa: digits with at most one point.
        var digits = ""
        var fractionDigits = 0
        var seenPoint = false
        while let c = chars.first, c.isASCII, c.isNumber || c == "." {
            if c == "." {
                if seenPoint { throw fail("it has two decimal points") }
                seenPoint = true
            } else {
                digits.append(c)
                if seenPoint { fractionDigits += 1 }
            }
            chars = chars.dropFirst()
        }
        guard !digits.isEmpty else { throw fail("it does not start with a number") }
        let suffix = String(chars)
        var binary = 0
        var decimal = -fractionDigits
        if let s = suffixes[suffix] {
            binary = s.binary
            decimal += s.decimal
        } else if let first = suffix.first, first == "e" || first == "E",
            let exp = Int(suffix.dropFirst()), suffix.dropFirst().allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-" || $0 == "+") })
        {
            guard abs(exp) <= 100 else { throw fail("the exponent \(exp) is out of range") }
            decimal += exp
        } else {
            throw fail("`\(suffix)` is not a unit")
        }
        // Exact: digits * 10^decimal * 2^binary in 128 bits, rounded up to a whole byte.
        let tooLarge = fail("it is larger than Kubernetes allows (2^63 - 1 bytes)")
        let trimmed = digits.drop { $0 == "0" }
        guard trimmed.count <= 30, var value = Int128(trimmed.isEmpty ? "0" : String(trimmed)) else { throw tooLarge }
        func times(_ k: Int128, _ n: Int) throws(QuantityError) {
            for _ in 0..<n {
                let (v, o) = value.multipliedReportingOverflow(by: k)
                if o { throw tooLarge }
                value = v
            }
        }
        if value != 0 {
            try times(2, binary)
            if decimal > 0 { try times(10, decimal) }
            if decimal < 0 {
                // Divide by 10^-decimal, rounding up; past 10^38 any quotient of these values is below 1.
                if -decimal > 38 {
                    value = 1
                } else {
                    var divisor: Int128 = 1
                    for _ in 0 ..< -decimal { divisor *= 10 }
                    value = value / divisor + (value % divisor == 0 ? 0 : 1)
                }
            }
        }
        guard value <= Int128(Int64.max) else { throw tooLarge }
        return Quantity(text: text, bytes: Int64(value))
    }

    init(text: String, bytes: Int64) {
        self.text = text
        self.bytes = bytes
    }
}

/// A quantity that could not be parsed: one line naming the input, what is wrong and the fix.
public struct QuantityError: Error, Sendable, Equatable, CustomStringConvertible {
    public var input: String
    public var reason: String

    public var description: String {
        "`\(input)` is not a valid Kubernetes quantity: \(reason); write a non-negative number with an optional unit, "
            + "Ki Mi Gi Ti Pi Ei (powers of 1024) or k M G T P E (powers of 1000), e.g. 500Gi or 1.5Ti"
    }
}

