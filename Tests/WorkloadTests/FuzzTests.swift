import Foundation
import Stats
import Testing
@testable import Workload

/// Property-based fuzzing of the parsers of user input: each target runs generated inputs for a
/// time budget (TIERBENCH_FUZZ_SECONDS, default 3 s per target) from a seed that is printed (and can
/// be fixed with TIERBENCH_FUZZ_SEED), and checks that the parser never traps and that what it
/// accepts and what it refuses obeys the properties below. A failing input is printed escaped, ready
/// to be added to the regression list.
@Suite struct FuzzTests {
    // MARK: - Units.parseSize

    @Test func parseSizeNeverTrapsAndAcceptsOnlyExactByteCounts() async {
        await Fuzz.run("Units.parseSize", corpus: Fuzz.sizeCorpus, units: Fuzz.sizeUnits) { text, report in
            Self.checkSize(text, report)
        }
    }

    static func checkSize(_ text: String, _ report: (String) -> Void) {
        let result = Result { () throws(InputError) in try Units.parseSize(text, option: "--size") }
        let expected = ReferenceSize.parse(text)
        switch (result, expected) {
        case (.success(let v), _) where v > UInt64(Int64.max):
            report("accepted \(v), above the 8 EiB limit")
        case (.success, _) where !text.trimmingBlanks.allSatisfy(\.isASCII):
            report("accepted non-ASCII input")
        case (.success(let v), .value(let e)) where v != e:
            report("gave \(v), the exact value is \(e)")
        case (.success(let v), .refused(let why)):
            report("accepted as \(v), but it is \(why)")
        case (.failure(let error), .value(let e)):
            report("refused (\(error.message)), but it is exactly \(e) bytes")
        case (.failure(let error), .refused(let why)) where why == .tooLarge && !error.message.contains("too large"):
            report("refused without saying it is too large: \(error.message)")
        case (.failure(let error), _):
            Fuzz.checkMessage(error.message, option: "--size", report)
        default:
            break
        }
    }

    // MARK: - Units.parseDuration

    @Test func parseDurationNeverTrapsAndStaysInRange() async {
        await Fuzz.run("Units.parseDuration", corpus: Fuzz.durationCorpus, units: Fuzz.timeUnits) { text, report in
            Self.checkDuration(text, report)
        }
    }

    static func checkDuration(_ text: String, _ report: (String) -> Void) {
        do {
            let ns = try Units.parseDuration(text, option: "--runtime")
            if ns > UInt64(Int64.max) { report("accepted \(ns) ns, beyond Int64") }
            if !text.trimmingBlanks.allSatisfy(\.isASCII) { report("accepted non-ASCII input") }
            // Whole numbers with a unit are exact while they fit a Double's 53 bits.
            if let (number, unitNs) = ReferenceSize.wholeWithUnit(text, units: Fuzz.timeUnitNanoseconds, defaultUnit: "s") {
                let (exact, overflow) = number.multipliedReportingOverflow(by: unitNs)
                if !overflow && exact < 1 << 53 && ns != exact { report("gave \(ns) ns, the exact value is \(exact)") }
            }
        } catch {
            Fuzz.checkMessage(error.message, option: "--runtime", report)
        }
    }

    // MARK: - Units.parseInteger

    @Test func parseIntegerNeverTrapsAndAcceptsOnlyWholeNumbers() async {
        await Fuzz.run("Units.parseInteger", corpus: Fuzz.integerCorpus, units: ["", "k", "0", "x", "e3"]) { text, report in
            Self.checkInteger(text, report)
        }
    }

    static func checkInteger(_ text: String, _ report: (String) -> Void) {
        let trimmed = text.trimmingBlanks
        let unsigned = trimmed.hasPrefix("+") ? trimmed.dropFirst() : Substring(trimmed)
        let isWhole = !unsigned.isEmpty && unsigned.allSatisfy { $0.isASCII && $0.isNumber }
        do {
            let v = try Units.parseInteger(text, option: "--iodepth")
            if v < 0 { report("accepted a negative number \(v)") }
            if !isWhole { report("accepted \(v), but the input is not a whole number") }
            if isWhole, let e = Int(unsigned), e != v { report("gave \(v), the value is \(e)") }
        } catch {
            if isWhole, Int(unsigned) != nil { report("refused a whole number: \(error.message)") }
            if isWhole, Int(unsigned) == nil, !error.message.contains("too large") { report("refused without saying it is too large: \(error.message)") }
            Fuzz.checkMessage(error.message, option: "--iodepth", report)
        }
    }

    // MARK: - ReadWrite.parse

    @Test func readWriteParseAcceptsOnlyKnownNames() async {
        let names = Set(ReadWrite.allCases.map(\.rawValue) + ["seqread", "seqwrite", "mixed", "rw"])
        await Fuzz.run("ReadWrite.parse", corpus: Array(names) + ["RandRW", "Mixed", "SEQREAD"], units: ["", "s", "rw", "read"]) { text, report in
            do throws(InputError) {
                let (kind, preset) = try ReadWrite.parse(text)
                if !text.allSatisfy(\.isASCII) || !names.contains(text.lowercased()) { report("accepted an unknown name as \(kind)") }
                if let preset, !(0...100).contains(preset) { report("preset read share \(preset) outside 0-100") }
            } catch {
                Fuzz.checkMessage(error.message, option: "--rw", report)
            }
        }
    }

    // MARK: - PercentileList(parsing:)

    @Test func percentileListNeverTrapsAndKeepsItsInvariants() async {
        await Fuzz.run("PercentileList(parsing:)", corpus: Fuzz.percentileCorpus, units: [",", ":", ", ", "", "%"]) { text, report in
            do throws(PercentileListError) {
                let list = try PercentileList(parsing: text)
                let v = list.values
                if v.isEmpty { report("accepted an empty list") }
                if !v.allSatisfy({ $0.isFinite && $0 > 0 && $0 <= 100 }) { report("accepted a value outside (0, 100]: \(v)") }
                if zip(v, v.dropFirst()).contains(where: { $0 >= $1 }) { report("values not strictly ascending: \(v)") }
            } catch {
                // Stats' messages echo the input as typed (control characters included), so only
                // the start is checked here; the CLI prints the first line.
                if !error.message.hasPrefix("--percentiles") { report("message does not name the option: \(error.message)") }
            }
        }
    }

    // MARK: - RawJobOptions.resolve()

    @Test func resolveNeverTrapsAndResolvesOnlyRunnableJobs() async {
        await Fuzz.runCases("RawJobOptions.resolve()") { gen in
            let options = gen.jobOptions()
            return (describe(options), { report in Self.checkResolve(options, report) })
        }
    }

    static func checkResolve(_ o: RawJobOptions, _ report: (String) -> Void) {
        do {
            let jobs = try o.resolve()
            if jobs.count != (o.rw == nil ? 5 : 1) { report("resolved \(jobs.count) jobs") }
            for j in jobs {
                if !(1...(1 << 30)).contains(j.blockSizeBytes) { report("block size \(j.blockSizeBytes)") }
                if !(1...RawJobOptions.maxIodepth).contains(j.iodepth) { report("iodepth \(j.iodepth)") }
                if !(1...RawJobOptions.maxIodepth).contains(j.iodepthBatch) { report("iodepth batch \(j.iodepthBatch)") }
                if !(1...RawJobOptions.maxNumjobs).contains(j.numjobs) { report("numjobs \(j.numjobs)") }
                if !(0...100).contains(j.rwmixread) { report("rwmixread \(j.rwmixread)") }
                if let size = j.sizeBytes, size == 0 || size < j.blockSizeBytes || size > UInt64(Int64.max) { report("size \(size)") }
                if j.offsetBytes > UInt64(Int64.max) || j.offsetIncrementBytes > UInt64(Int64.max) { report("offset beyond 8 EiB") }
                if j.runtimeNanoseconds == 0 { report("runtime 0") }
                if j.timeBased != (o.timeBased || o.rw == nil) { report("time-based \(j.timeBased)") }
                if j.randomMap == o.norandommap { report("random map \(j.randomMap)") }
                // Ranges of every clone, on targets of any size, must not trap (validation names them).
                for targetSize in [0, 4096, UInt64(Int64.max), UInt64.max] {
                    for clone in [0, j.numjobs - 1] { _ = j.range(clone: clone, targetSize: targetSize) }
                }
            }
        } catch {
            Fuzz.checkMessage(error.message, option: "--", report)
        }
    }

    // MARK: - Regressions: inputs the fuzzer found, each with what it must give now

    @Test(arguments: [
        // Hex was not held to the 8 EiB limit of decimal sizes.
        ("0xffffffffffffffff", nil), ("0x8000000000000000", nil), ("0x7fffffffffffffff", Int64.max),
        // Decimals went through Double: rounding accepted non-whole byte counts and crossed 8 EiB.
        ("8191.99999999999999p", nil), ("1000000.000001t", nil), ("1.0000000000000001k", nil),
        ("9000.5p", nil), ("8191.5p", 9_222_809_086_901_354_496), ("0.5k", 512), ("1.", 1), (".5k", 512),
        ("0.0009765625m", 1024), ("0.00000000000000088817841970012523233890533447265625p", 1),
        // Unicode case folding made the Kelvin sign (U+212A) a "k".
        ("4\u{212A}", nil), ("4\u{212A}iB", nil),
        // The 8 EiB edges.
        ("8192p", nil), ("8191p", 9_222_246_136_947_933_184), ("9223372036854775807", Int64.max),
        ("9223372036854775808", nil), ("18446744073709551616", nil), ("99999999T", nil),
        // Hex beyond 64 bits was "not a hexadecimal number" rather than too large.
        ("0x7ffffffffffffffffffffffffff", nil), ("0x00000000000000000000001000", 4096),
    ] as [(String, Int64?)])
    func sizeRegressions(text: String, bytes: Int64?) {
        let got = try? Units.parseSize(text, option: "--size")
        #expect(got == bytes.map(UInt64.init), "\(text.debugDescription)")
        Self.checkSize(text) { Issue.record("\(text.debugDescription): \($0)") }
    }

    @Test func integerRegressions() {
        // A "+" before a number too large for Int was "not a whole number" rather than too large.
        #expect(throws: InputError("--iodepth +23058430092136939520 is too large; the limit is 8 EiB")) {
            try Units.parseInteger("+23058430092136939520", option: "--iodepth")
        }
        for text in ["+23058430092136939520", "+5", "\t0.0", "41879x\0"] {
            Self.checkInteger(text) { Issue.record("\(text.debugDescription): \($0)") }
        }
    }

    @Test func resolveRegressions() {
        // The default suite with a --size below its 1 MiB blocks resolved, and the run then asked
        // for "a smaller --bs", which the suite refuses.
        var o = RawJobOptions()
        o.size = "4kb"
        #expect(throws: InputError("--size 4KiB is smaller than the default suite's 1MiB blocks; give --size 1MiB or more, or --rw for one workload")) {
            try o.resolve()
        }
        o.size = "1m"
        #expect((try? o.resolve())?.count == 5)
        Self.checkResolve(o) { Issue.record("\(describe(o)): \($0)") }
    }

    @Test(arguments: ["4\nk", "4k\n", "\u{1B}[31m4k", "4\rk", "4\u{0}k", "4\u{85}k", "4\u{2028}k"])
    func controlCharactersInInputStayOnOneVisibleLine(text: String) {
        // A newline in an argument made the message two lines (and the CLI printed only the
        // first, "--size 4", losing the problem and the fix); escape sequences reached the terminal.
        let error = #expect(throws: InputError.self) { try Units.parseSize(text, option: "--size") }
        #expect(error?.message.contains("unit") == true)
        Fuzz.checkMessage(error?.message ?? "", option: "--size ") { Issue.record("\(text.debugDescription): \($0)") }
        #expect((try? Units.parseSize("4\nk", option: "--size")) == nil)
        #expect(InputError("--size 4\nk: unknown unit").message == "--size 4\\nk: unknown unit")
        #expect(InputError("--name \u{1B}[31m").message == "--name \\u{1b}[31m")
    }
}

// MARK: - The reference model for sizes

/// An independent, exact model of fio-style sizes (integers with a 1024-base unit, exact
/// decimals, `0x` hex), for comparison with `Units.parseSize`.
enum ReferenceSize {
    enum Refusal: Equatable { case tooLarge, notWhole }
    enum Outcome { case value(UInt64), refused(Refusal), notModelled }

    static let shifts: [String: Int] = {
        var table: [String: Int] = ["": 0, "b": 0]
        for (i, letter) in ["k", "m", "g", "t", "p"].enumerated() {
            for form in ["", "b", "i", "ib"] { table[letter + form] = 10 * (i + 1) }
        }
        return table
    }()

    static func parse(_ text: String) -> Outcome {
        let s = text.trimmingBlanks
        let bytes = Array(s.utf8)
        if bytes.count > 2, bytes[0] == UInt8(ascii: "0"), bytes[1] | 0x20 == UInt8(ascii: "x"),
           bytes[2...].allSatisfy({ isHexDigit($0) }) {
            // Exact hex: the value, unless it has more than 63 significant bits.
            let digits = bytes[2...].drop { $0 == UInt8(ascii: "0") }
            guard digits.count <= 16, let v = UInt64(String(decoding: digits.isEmpty ? [UInt8(ascii: "0")] : Array(digits), as: UTF8.self), radix: 16) else { return .refused(.tooLarge) }
            return v > UInt64(Int64.max) ? .refused(.tooLarge) : .value(v)
        }
        let numberEnd = bytes.firstIndex { !isDigit($0) && $0 != UInt8(ascii: ".") } ?? bytes.count
        let number = bytes[..<numberEnd]
        guard number.filter({ $0 == UInt8(ascii: ".") }).count <= 1, number.contains(where: isDigit),
              let shift = shifts[String(decoding: bytes[numberEnd...].map { isUpper($0) ? $0 | 0x20 : $0 }, as: UTF8.self)]
        else { return .notModelled }
        // As integers: all the digits (whole and fraction) times 2^shift by repeated doubling of
        // the decimal string, then divided by 10^k (k fraction digits) by dropping the last k
        // digits, which must be zeros.
        let dot = number.firstIndex(of: UInt8(ascii: ".")) ?? number.endIndex
        let k = dot < number.endIndex ? number.endIndex - dot - 1 : 0
        var digits = number.filter { $0 != UInt8(ascii: ".") }.map { Int($0 - 48) }
        for _ in 0..<shift {
            var carry = 0
            for i in digits.indices.reversed() {
                let d = digits[i] * 2 + carry
                digits[i] = d % 10
                carry = d / 10
            }
            if carry > 0 { digits.insert(carry, at: 0) }
        }
        let integer = digits.dropLast(k).drop { $0 == 0 }
        let tooLarge = integer.count > 19 || UInt64(integer.map(String.init).joined()).map { $0 > UInt64(Int64.max) } ?? false
        if tooLarge { return .refused(.tooLarge) }
        if digits.suffix(k).contains(where: { $0 != 0 }) { return .refused(.notWhole) }
        return .value(UInt64(integer.map(String.init).joined()) ?? 0)
    }

    /// `N` or `N unit` with N a whole ASCII number that fits UInt64 and a unit of `units`.
    static func wholeWithUnit(_ text: String, units: [String: UInt64], defaultUnit: String) -> (UInt64, UInt64)? {
        let s = Array(text.trimmingBlanks.utf8)
        let end = s.firstIndex { !isDigit($0) } ?? s.count
        guard end > 0, let n = UInt64(String(decoding: s[..<end], as: UTF8.self)) else { return nil }
        let unit = String(decoding: s[end...].map { isUpper($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
        guard let u = units[unit.isEmpty ? defaultUnit : unit] else { return nil }
        return (n, u)
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
    static func isUpper(_ b: UInt8) -> Bool { b >= 65 && b <= 90 }
    static func isHexDigit(_ b: UInt8) -> Bool { isDigit(b) || (b | 0x20 >= 97 && b | 0x20 <= 102) }
}

// MARK: - The fuzzer

enum Fuzz {
    static let secondsPerTarget: Double = ProcessInfo.processInfo.environment["TIERBENCH_FUZZ_SECONDS"].flatMap(Double.init) ?? 3
    static let seed: UInt64 = ProcessInfo.processInfo.environment["TIERBENCH_FUZZ_SEED"].flatMap { UInt64($0) }
        ?? UInt64.random(in: 0...UInt64.max)
    static let maxReportsPerTarget = 5

    static let sizeCorpus = [
        "4k", "4K", "4KiB", "4kb", "1m", "1M", "2g", "1t", "1p", "512", "512b", "0x1000", "0X1F", "1.5k", "8191p", "8192p",
        "8388607t", "0", "1", "64m", "1g", "16k", "0.5m", ".5k", "1.", "0x7fffffffffffffff", "9223372036854775807",
    ]
    static let sizeUnits = ["", "b", "k", "K", "kb", "KB", "KiB", "kib", "Ki", "m", "M", "MiB", "g", "GB", "t", "T", "p", "PiB", "i", "ib", "q", "e"]
    static let durationCorpus = [
        "10", "500ms", "2m", "1h", "250us", "1d", "0.5s", "1.5m", "10ns", "30sec", "5min", "1msec", "100usec", "106751d", "106752d",
        "9223372036s", "0", "0.000000001s",
    ]
    static let timeUnits = ["", "ns", "us", "usec", "ms", "msec", "s", "sec", "m", "min", "h", "d", "S", "MS", "y", "hr"]
    static let timeUnitNanoseconds: [String: UInt64] = [
        "ns": 1, "us": 1_000, "usec": 1_000, "ms": 1_000_000, "msec": 1_000_000, "s": 1_000_000_000, "sec": 1_000_000_000,
        "m": 60_000_000_000, "min": 60_000_000_000, "h": 3_600_000_000_000, "d": 86_400_000_000_000,
    ]
    static let integerCorpus = ["0", "1", "8", "4096", "4097", "256", "257", "9223372036854775807", "9223372036854775808", "+5", "07", "100", "101"]
    static let percentileCorpus = ["50,99,99.9", "1:5:10", "99.99", "100", "0.001", "50,50", "1e1", "0x1p6", "99.9999999999999999"]

    /// Tokens mixed into inputs: signs, prefixes, units, numbers at the edges, whitespace, unicode
    /// look-alikes (fullwidth and Arabic-Indic digits, the Kelvin sign, combining marks), control
    /// characters, separators.
    static let atoms = [
        "", " ", "\t", "\n", "\r\n", "\r", "\u{0}", "-", "+", ".", "..", "0x", "0X", "x", "e", "E", "e10", "e-3", "_", "/",
        "k", "K", "kb", "KiB", "m", "M", "g", "t", "T", "p", "P", "b", "i", "ib", "q", "ns", "us", "ms", "s", "sec", "min", "h", "d",
        "nan", "inf", "infinity", "-0", "0", "00", "1", "5", "9", "4096", "99999999T", "9223372036854775807", "9223372036854775808",
        "18446744073709551615", "18446744073709551616", "340282366920938463463374607431768211456",
        "\u{0661}\u{0662}", "\u{FF14}", "\u{212A}", "\u{00A0}", "\u{FEFF}", "\u{200B}", "e\u{301}", "1\u{301}", "\u{1F680}",
        "\u{1B}[31m", "\u{2028}", "\u{85}", "\u{7F}", ",", ":", "%", "=", "--", "read", "rw", "rand", "mixed", "\u{130}",
    ]

    /// Runs `check` on generated texts (structured inputs, mutated corpus entries, token soups,
    /// random bytes) until the time budget is spent; prints the count and the seed.
    static func run(_ target: String, corpus: [String], units: [String], check: @escaping @Sendable (String, (String) -> Void) -> Void) async {
        await runCases(target, corpus: corpus) { gen in
            let text = gen.text(corpus: corpus, units: units)
            return (text.debugDescription, { report in check(text, report) })
        }
    }

    /// Runs the cases `next` makes (an input shown as text, and its check) until the budget is
    /// spent, on a thread of its own (on Linux, Dispatch's global queues share their few threads
    /// with the cooperative pool, which must stay free for the tests that wait on processes),
    /// then records what they found.
    static func runCases(_ target: String, corpus: [String] = [], next: @escaping @Sendable (inout Generator) -> (String, ((String) -> Void) -> Void)) async {
        let problems = await withCheckedContinuation { (done: CheckedContinuation<[String], Never>) in
            Thread { done.resume(returning: loop(target, corpus: corpus, next: next)) }.start()
        }
        for problem in problems { Issue.record("\(problem)") }
    }

    static func loop(_ target: String, corpus: [String], next: (inout Generator) -> (String, ((String) -> Void) -> Void)) -> [String] {
        var targetSeed = SplitMix64(state: seed ^ UInt64(truncatingIfNeeded: target.utf8.reduce(5381) { $0 &* 33 &+ Int($1) }))
        var gen = Generator(rng: Xoshiro256(seed: targetSeed.next()))
        let start = ContinuousClock.now
        let budget = Duration.milliseconds(Int(secondsPerTarget * 1000))
        var cases = 0
        var problems: [String] = []
        // Every corpus entry as given first, then generated cases.
        var pending = corpus
        while problems.count < maxReportsPerTarget {
            if cases % 64 == 0 && ContinuousClock.now - start > budget { break }
            gen.pinned = pending.popLast()
            let (shown, check) = next(&gen)
            check { problem in problems.append("\(target): input \(shown) \(problem) (seed \(seed))") }
            cases += 1
        }
        let elapsed = (ContinuousClock.now - start).components
        let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        print("fuzz \(target): \(cases) cases in \(String(format: "%.1f", seconds)) s, seed \(seed) (TIERBENCH_FUZZ_SEED=\(seed) TIERBENCH_FUZZ_SECONDS=\(secondsPerTarget) to repeat)")
        return problems
    }

    /// An error message is one visible line, names the option first, and says more than that.
    static func checkMessage(_ message: String, option: String, _ report: (String) -> Void) {
        if !message.hasPrefix(option) { report("message does not start with \(option): \(message.debugDescription)") }
        if message.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}" }) {
            report("message is not one visible line: \(message.debugDescription)")
        }
    }
}

struct Generator {
    var rng: Xoshiro256
    /// When set, `text` returns it (the corpus entries, checked as given).
    var pinned: String?

    mutating func below(_ n: Int) -> Int { Int(rng.next(below: UInt64(n))) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<T>(_ list: [T]) -> T { list[below(list.count)] }

    /// A number: small, on a power-of-two or 2^63/2^64 edge, long, decimal, or with leading zeros.
    mutating func number() -> String {
        switch below(8) {
        case 0: return String(below(10))
        case 1: return String(rng.next(below: 100_000))
        case 2:
            let edge = UInt64(1) << UInt64(below(64))
            return String(pick([edge, edge &- 1, edge &+ 1]))
        case 3: return pick(["9223372036854775807", "9223372036854775808", "18446744073709551615", "18446744073709551616", "99999999"])
        case 4: return String((0..<(1 + below(chance(5) ? 400 : 30))).map { _ in Character(String(below(10))) })
        case 5: return "\(rng.next(below: 10_000)).\(String(rng.next(below: 1_000_000)).dropLast(below(6)))"
        case 6: return pick(["", ".", "0.", ".0", "0.5", "1.0001", "8191.99999999999999", "0.0009765625", "1..2"])
        default: return String(repeating: "0", count: below(25)) + String(rng.next(below: 5000))
        }
    }

    /// One input text for a parser: structured, a mutated corpus entry, a token soup, or bytes.
    mutating func text(corpus: [String], units: [String]) -> String {
        if let pinned { return pinned }
        switch below(100) {
        case 0..<40:
            var s = ""
            if chance(10) { s += pick([" ", "\t", "  ", "\n", "\u{00A0}"]) }
            if chance(8) { s += pick(["-", "+", "--"]) }
            if chance(10) { s += pick(["0x", "0X"]) + String(rng.next(), radix: 16).prefix(1 + below(17)) }
            s += number()
            if chance(85) { s += pick(units) }
            if chance(10) { s += pick([" ", "\t", "\n", "\r\n", "\u{0}", "x"]) }
            return s
        case 40..<70:
            var s = corpus.isEmpty ? number() : pick(corpus)
            for _ in 0..<(1 + below(4)) { s = mutate(s, units: units) }
            return s
        case 70..<88:
            return (0..<below(6)).map { _ in chance(30) ? pick(units) : pick(Fuzz.atoms) }.joined()
        default:
            let bytes = (0..<below(chance(3) ? 2000 : 16)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    mutating func mutate(_ s: String, units: [String]) -> String {
        var scalars = Array(s.unicodeScalars)
        let at = below(scalars.count + 1)
        switch below(8) {
        case 0: scalars.insert(contentsOf: pick(Fuzz.atoms).unicodeScalars, at: at)
        case 1: if at < scalars.count { scalars.removeSubrange(at..<min(scalars.count, at + 1 + below(3))) }
        case 2: if at < scalars.count { scalars.replaceSubrange(at...at, with: pick(units + Fuzz.atoms).unicodeScalars) }
        case 3: scalars += scalars[at...]
        case 4: scalars = Array(scalars[..<at])
        case 5:
            var bytes = Array(String(String.UnicodeScalarView(scalars)).utf8)
            if !bytes.isEmpty { bytes[below(bytes.count)] ^= UInt8(1) << UInt8(below(8)) }
            return String(decoding: bytes, as: UTF8.self)
        case 6: return String(String.UnicodeScalarView(scalars)).uppercased()
        default: scalars.insert(contentsOf: number().unicodeScalars, at: at)
        }
        return String(String.UnicodeScalarView(scalars))
    }

    /// Options as a user might type them: each absent, valid, or fuzzed.
    mutating func jobOptions() -> RawJobOptions {
        var o = RawJobOptions()
        func maybe(_ gen: inout Generator, _ corpus: [String], _ units: [String]) -> String? {
            gen.chance(40) ? nil : gen.chance(50) ? gen.pick(corpus) : gen.text(corpus: corpus, units: units)
        }
        let rws = ReadWrite.allCases.map(\.rawValue) + ["seqread", "seqwrite", "mixed", "rw"]
        o.rw = chance(20) ? nil : chance(80) ? pick(rws) : text(corpus: rws, units: ["", "rw"])
        o.rwmixread = maybe(&self, ["0", "50", "70", "100", "101"], [""])
        o.bs = maybe(&self, ["4k", "512", "1m", "1g", "0", "1025m", "8k", "0x200"], Fuzz.sizeUnits)
        o.iodepth = maybe(&self, ["1", "32", "4096", "4097", "0"], [""])
        o.iodepthBatch = maybe(&self, ["1", "4", "4096", "4097", "0"], [""])
        o.numjobs = maybe(&self, ["1", "4", "256", "257", "0"], [""])
        o.size = maybe(&self, Fuzz.sizeCorpus, Fuzz.sizeUnits)
        o.offset = maybe(&self, ["0", "4k", "1g", "8191p", "0xffffffffffffffff"], Fuzz.sizeUnits)
        o.offsetIncrement = maybe(&self, ["0", "4k", "1g", "8191p"], Fuzz.sizeUnits)
        o.runtime = maybe(&self, Fuzz.durationCorpus, Fuzz.timeUnits)
        o.rampTime = maybe(&self, Fuzz.durationCorpus, Fuzz.timeUnits)
        o.direct = maybe(&self, ["0", "1", "true", "off", "YES", "2"], [""])
        o.randseed = maybe(&self, ["0", "123", "18446744073709551615", "18446744073709551616", "-1"], [""])
        o.ioengine = maybe(&self, ["io_uring", "io-uring", "iouring", "psync", "auto", "libaio"], [""])
        o.name = chance(70) ? nil : text(corpus: ["job"], units: [""])
        o.timeBased = chance(50)
        o.norandommap = chance(30)
        o.continueOnError = chance(30)
        return o
    }
}

/// The options as command-line flags, for a failure message.
func describe(_ o: RawJobOptions) -> String {
    let fields: [(String, String?)] = [
        ("rw", o.rw), ("rwmixread", o.rwmixread), ("bs", o.bs), ("iodepth", o.iodepth), ("iodepth-batch", o.iodepthBatch),
        ("numjobs", o.numjobs), ("size", o.size), ("offset", o.offset), ("offset-increment", o.offsetIncrement),
        ("runtime", o.runtime), ("ramp-time", o.rampTime), ("direct", o.direct), ("randseed", o.randseed),
        ("ioengine", o.ioengine), ("name", o.name),
    ]
    let flags = [("time-based", o.timeBased), ("norandommap", o.norandommap), ("continue-on-error", o.continueOnError)]
    return (fields.compactMap { k, v in v.map { "--\(k) \($0.debugDescription)" } } + flags.filter(\.1).map { "--\($0.0)" })
        .joined(separator: " ")
}
