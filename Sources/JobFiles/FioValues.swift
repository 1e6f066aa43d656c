import Foundation
import Glibc
import Text
import Workload

/// fio's value syntax, normalised to what tierbench's options take: sizes in plain bytes (after
/// `kb_base`), times with an explicit unit, per-direction comma lists, ranges, `bssplit`.
/// Errors name the value (or part of it) they are about; the caller adds file, line and option.
enum FioValues {
    struct Failure: Error {
        /// The value, or the part of it, the problem is in; nil: `problem` is the whole message.
        let value: String?
        /// What follows `value`: ` is not a whole number`, `: a percentage ...`.
        let problem: String
        init(_ message: String) { value = nil; problem = message }
        init(value: String, _ problem: String) { self.value = value; self.problem = problem }
        /// Units' error in fio's words (the value and what is wrong with it).
        init(_ error: InputError) { value = error.value; problem = error.problem(.fio) }

        var message: String { (value ?? "") + problem }

        /// The message for `option=written` (`substituted`: after keywords and arithmetic): the
        /// part in error is named only when it is not the whole value (`bs=4k,4q: 4q: unknown unit`).
        func message(option: String, value written: String?, substituted: String?) -> String {
            let subject = written.map { "\(option)=\($0)" } ?? option
            guard let value else { return "\(subject): \(problem)" }
            if value.trimmingBlanks == (substituted ?? written)?.trimmingBlanks || value.trimmingBlanks == written?.trimmingBlanks {
                return subject + problem
            }
            return "\(subject): \(value)\(problem)"
        }
    }

    // MARK: Keywords and arithmetic

    /// fio's `$ncpus`, `$pagesize`, `$mb_memory` (init.c: online CPUs, page size, physical memory in MiB).
    static var keywords: [(String, String)] {
        let pagesize = Int(sysconf(Int32(_SC_PAGESIZE)))
        let pages = Int(sysconf(Int32(_SC_PHYS_PAGES)))
        return [("$ncpus", String(sysconf(Int32(_SC_NPROCESSORS_ONLN)))), ("$pagesize", String(pagesize)),
                ("$mb_memory", String(pages * pagesize / (1 << 20)))]
    }

    /// `${VAR}` from `environment` (undefined: empty), as fio expands a job file's lines.
    static func expandEnvironment(_ line: String, _ environment: [String: String]) -> String {
        guard line.contains("${") else { return line }
        var out = ""
        var rest = Substring(line)
        while let start = rest.range(of: "${") {
            out += rest[..<start.lowerBound]
            let after = rest[start.upperBound...]
            guard let close = after.firstIndex(of: "}") else { out += rest[start.lowerBound...]; return out }
            out += environment[String(after[..<close])] ?? ""
            rest = after[after.index(after: close)...]
        }
        return out + rest
    }

    /// A value after fio's keywords and arithmetic. A value that had a keyword and contains an
    /// operator is computed as fio's `bc` does, giving a plain number (the option's default unit
    /// applies: `runtime=$ncpus*10` is seconds). A value in parentheses is computed (fio's
    /// arithmetic), keeping a unit written after the closing parenthesis; `isExpression` tells a
    /// time option that fio's unit for those (microseconds) applies. With `bare`, a numeric
    /// option's expression without parentheses (`iodepth=128*1`) is computed too, and `note` says
    /// so where fio, which reads such a value up to its first operator, takes another number.
    static func substitute(_ value: String, bare: Bool = false) throws(Failure) -> (value: String, isExpression: Bool, note: String?) {
        var v = value
        var replaced = false
        for (word, number) in keywords where v.contains(word) {
            v = v.replacingOccurrences(of: word, with: number)
            replaced = true
        }
        let trimmed = String(v.trimmingBlanks)
        if trimmed.hasPrefix("(") {
            if let close = matchingParen(trimmed) {
                let inner = String(trimmed[trimmed.index(after: trimmed.startIndex)..<close])
                let unit = String(trimmed[trimmed.index(after: close)...])
                if unit.allSatisfy({ $0.isLetter }) { return (String(try evaluate(inner)) + unit, true, nil) }
            }
            return (String(try evaluate(trimmed)), true, nil)
        }
        guard isArithmetic(trimmed), replaced || bare else { return (v, false, nil) }
        let result = try evaluate(trimmed)
        guard !replaced else { return (String(result), false, nil) }
        let digits = trimmed.drop { $0 == " " || $0 == "\t" }.prefix { $0.isNumber }
        let fioReads = Int64(digits) ?? 0
        let note = fioReads == result ? nil
            : "\(value) is computed as \(result); fio reads a value without parentheses up to its first operator (\(fioReads)): write (\(trimmed)) for fio to compute it too"
        return (String(result), false, note)
    }

    /// Numbers and at least one operator between them (`128*1`, `2 * 4096`), not a plain or negative number.
    static func isArithmetic(_ s: String) -> Bool {
        guard s.allSatisfy({ $0.isASCII && ($0.isNumber || "+-*/%^() ".contains($0)) }) else { return false }
        guard let last = s.last(where: { $0 != " " }), last.isNumber || last == ")" else { return false }  // `50%` is a percentage
        return s.dropFirst().contains(where: { "+-*/%^".contains($0) }) && s.contains(where: \.isNumber)
    }

    static func matchingParen(_ s: String) -> String.Index? {
        var depth = 0
        for i in s.indices {
            if s[i] == "(" { depth += 1 }
            if s[i] == ")" { depth -= 1; if depth == 0 { return i } }
        }
        return nil
    }

    /// Integer arithmetic: + - * / % ^ (power, right-associative), parentheses, unary minus.
    static func evaluate(_ text: String) throws(Failure) -> Int64 {
        var p = ExpressionParser(Array(text.utf8.filter { $0 != 32 && $0 != 9 }))
        let v = try p.sum()
        guard p.i == p.s.count else { throw Failure("(\(text)) is not an arithmetic expression; use numbers, + - * / % ^ and parentheses") }
        return v
    }

    struct ExpressionParser {
        let s: [UInt8]
        var i = 0
        var depth = 0
        init(_ s: [UInt8]) { self.s = s }
        var text: String { String(decoding: s, as: UTF8.self) }
        func bad() -> Failure { Failure("(\(text)) is not an arithmetic expression; use numbers, + - * / % ^ and parentheses") }

        mutating func sum() throws(Failure) -> Int64 {
            var v = try product()
            while i < s.count, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") {
                let op = s[i]; i += 1
                let r = try product()
                let (x, o) = op == UInt8(ascii: "+") ? v.addingReportingOverflow(r) : v.subtractingReportingOverflow(r)
                if o { throw Failure("(\(text)) overflows") }
                v = x
            }
            return v
        }
        mutating func product() throws(Failure) -> Int64 {
            var v = try power()
            while i < s.count, [UInt8(ascii: "*"), UInt8(ascii: "/"), UInt8(ascii: "%")].contains(s[i]) {
                let op = s[i]; i += 1
                let r = try power()
                if op != UInt8(ascii: "*") && r == 0 { throw Failure("(\(text)) divides by zero") }
                let (x, o) = op == UInt8(ascii: "*") ? v.multipliedReportingOverflow(by: r)
                    : op == UInt8(ascii: "/") ? v.dividedReportingOverflow(by: r) : v.remainderReportingOverflow(dividingBy: r)
                if o { throw Failure("(\(text)) overflows") }
                v = x
            }
            return v
        }
        /// `a ^ b ^ c` is `a ^ (b ^ c)`: the operands are read in a loop and folded from the right,
        /// so a long chain takes no stack (recursion here overflowed it at a few 100,000 `^`).
        mutating func power() throws(Failure) -> Int64 {
            var operands = [try unary()]
            while i < s.count, s[i] == UInt8(ascii: "^") {
                i += 1
                operands.append(try unary())
            }
            var v = operands.removeLast()
            while let base = operands.popLast() { v = try raise(base, v) }
            return v
        }
        func raise(_ base: Int64, _ e: Int64) throws(Failure) -> Int64 {
            guard e >= 0 else { throw Failure("(\(text)) has a negative exponent") }
            if base == 0 || base == 1 { return e == 0 ? 1 : base }
            if base == -1 { return e % 2 == 0 ? 1 : -1 }
            var v: Int64 = 1
            for _ in 0..<e {  // |base| >= 2: overflows within 64 steps
                let (x, o) = v.multipliedReportingOverflow(by: base)
                if o { throw Failure("(\(text)) overflows") }
                v = x
            }
            return v
        }
        mutating func unary() throws(Failure) -> Int64 {
            guard i < s.count else { throw bad() }
            depth += 1
            defer { depth -= 1 }
            guard depth <= 64 else { throw Failure("(\(text)) nests too deeply") }
            if s[i] == UInt8(ascii: "-") {
                i += 1
                let (v, o) = Int64(0).subtractingReportingOverflow(try unary())
                if o { throw Failure("(\(text)) overflows") }
                return v
            }
            if s[i] == UInt8(ascii: "(") {
                i += 1
                let v = try sum()
                guard i < s.count, s[i] == UInt8(ascii: ")") else { throw bad() }
                i += 1
                return v
            }
            let start = i
            while i < s.count, (48...57).contains(s[i]) { i += 1 }
            guard i > start, let v = Int64(String(decoding: s[start..<i], as: UTF8.self)) else { throw bad() }
            return v
        }
    }

    // MARK: Sizes, times, lists

    /// A size in bytes, as fio reads it: `kb_base=1024` (default) makes k/kb/kib all 1024;
    /// `kb_base=1000` makes k/kb 1000 and only kib 1024.
    static func size(_ text: String, kbBase: Int) throws(Failure) -> UInt64 {
        let s = String(text.trimmingBlanks)
        if s.hasSuffix("%") { throw Failure(value: text, ": a percentage of the file is valid fio but not supported; give a size such as 1g") }
        if kbBase == 1000 {
            let digits = s.prefix { $0.isNumber || $0 == "." }
            let unit = s.dropFirst(digits.count).lowercased()
            let powers: [String: Int] = ["k": 1, "kb": 1, "m": 2, "mb": 2, "g": 3, "gb": 3, "t": 4, "tb": 4, "p": 5, "pb": 5]
            if let n = powers[unit] {
                guard let whole = UInt64(digits) else { throw Failure(value: text, " is not a whole number with a unit under kb_base=1000") }
                var v = whole
                for _ in 0..<n {
                    let (x, o) = v.multipliedReportingOverflow(by: 1000)
                    if o { throw Failure(value: text, " is too large") }
                    v = x
                }
                return v
            }
        }
        do { return try Units.parseSize(s, option: "size") } catch { throw Failure(error) }
    }

    /// fio's per-direction list `read,write,trim`, each element converted by `element`. An empty
    /// element is that direction's default (fio's HOWTO: `bs=,8k` reads 4k; `rate=,500k` limits
    /// only writes) and stays empty, which the engine's parser reads the same way. An empty trim
    /// element is dropped; a trim value is refused (tierbench issues no trims). All empty is refused,
    /// as fio does.
    static func sizeList(_ text: String, kbBase: Int, element: (String) throws(Failure) -> String) throws(Failure) -> String {
        var parts = text.split(separator: ",", omittingEmptySubsequences: false).map { String($0.trimmingBlanks) }
        guard parts.count <= 3 else { throw Failure(value: text, " has more than three per-direction values (read,write,trim)") }
        if parts.count == 3 {
            guard parts[2].isEmpty else { throw Failure(value: text, ": a trim value is valid fio but tierbench does not issue trims; give read,write") }
            parts.removeLast()
        }
        guard parts.contains(where: { !$0.isEmpty }) else { throw Failure(value: text, " gives no value; give e.g. 4k, or read,write values") }
        var out: [String] = []
        for p in parts { out.append(p.isEmpty ? "" : try element(p)) }
        return out.joined(separator: ",")
    }

    static func sizes(_ text: String, kbBase: Int) throws(Failure) -> String {
        try sizeList(text, kbBase: kbBase) { p throws(Failure) in String(try size(p, kbBase: kbBase)) }
    }

    /// `1k-4k` or `1k:4k` per direction, in bytes: `1024-4096`.
    static func ranges(_ text: String, kbBase: Int) throws(Failure) -> String {
        try sizeList(text, kbBase: kbBase) { p throws(Failure) in
            let ends = p.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "-" || $0 == ":" })
            guard ends.count == 2 else { throw Failure(value: p, " is not a range; write it as low-high, e.g. 1k-4k") }
            return "\(try size(String(ends[0]), kbBase: kbBase))-\(try size(String(ends[1]), kbBase: kbBase))"
        }
    }

    /// `4k/10:64k/90` per direction, block sizes in bytes: `4096/10:65536/90`. An entry without a
    /// percentage keeps it empty (fio shares the rest among those).
    static func bssplit(_ text: String, kbBase: Int) throws(Failure) -> String {
        try sizeList(text, kbBase: kbBase) { p throws(Failure) in
            var out: [String] = []
            for item in p.split(separator: ":") {
                let parts = item.split(separator: "/", omittingEmptySubsequences: false)
                guard parts.count <= 2, let first = parts.first else { throw Failure(value: String(item), " is not size/percent, e.g. 4k/10") }
                var entry = String(try size(String(first), kbBase: kbBase))
                if parts.count == 2 {
                    guard let pct = Int(parts[1].trimmingBlanks), (0...100).contains(pct) else {
                        throw Failure(value: String(item), ": \(parts[1]) is not a percentage from 0 to 100")
                    }
                    entry += "/\(pct)"
                }
                out.append(entry)
            }
            guard !out.isEmpty else { throw Failure(value: text, " is empty; give e.g. 4k/10:64k/90") }
            return out.joined(separator: ":")
        }
    }

    /// A time with an explicit unit: a bare number gets `defaultUnit` (fio's: seconds for
    /// `runtime`, microseconds for `thinktime` and for any arithmetic expression).
    static func time(_ text: String, defaultUnit: String) throws(Failure) -> String {
        let s = String(text.trimmingBlanks)
        let withUnit = s.allSatisfy({ $0.isNumber || $0 == "." }) ? s + defaultUnit : s
        do { _ = try Units.parseDuration(withUnit, option: "runtime") } catch { throw Failure(error) }
        return withUnit
    }

    /// A non-negative whole number.
    static func integer(_ text: String) throws(Failure) -> String {
        let s = String(text.trimmingBlanks)
        if s.lowercased().hasPrefix("0x"), let v = UInt64(s.dropFirst(2), radix: 16) { return String(v) }
        guard let v = UInt64(s) else { throw Failure(value: text, " is not a whole number") }
        return String(v)
    }

    /// Integers per direction: `1000,500`.
    static func integers(_ text: String) throws(Failure) -> String {
        try sizeList(text, kbBase: 1024) { p throws(Failure) in try integer(p) }
    }

    /// fio's booleans: 1/0 and true/false/yes/no/on/off.
    static func bool(_ text: String) throws(Failure) -> Bool {
        guard let v = BooleanValue.parse(String(text.trimmingBlanks)) else { throw Failure(value: text, " is not 0 or 1") }
        return v
    }
}
