/// The formula language of tier profiles: arithmetic on sizes and provisioned values.
///
/// Grammar (whitespace is allowed between tokens):
///
///     formula  = sum
///     sum      = product { ("+" | "-") product }
///     product  = unary { ("*" | "/") unary }
///     unary    = "-" unary | primary
///     primary  = number | name | call | "(" sum ")"
///     call     = name "(" argument { "," argument } ")"
///     argument = sum | rows                      (rows only as the 2nd argument of table)
///     rows     = "[" row { "," row } "]"
///     row      = "[" sum "," sum "]"             (bound, value)
///     number   = digit { digit | "_" } [ "." digit { digit | "_" } ]
///     name     = ( letter | "_" ) { letter | digit | "_" }
///
/// Functions: `min(a, b, ...)`, `max(a, b, ...)` (one or more arguments), `ceil(x)`, `floor(x)`,
/// `table(x, [[bound1, value1], [bound2, value2], ...])`: the value of the first row whose bound is
/// >= x (rows must be in ascending order of bound; an x above the last bound is an error).
/// `*` and `/` bind tighter than `+` and `-`; all are left-associative; unary minus binds tightest.
/// Names are variables bound at evaluation (`size_gib`, the provisioned values a profile's
/// parameters set, and `baseline_iops`, `maximum_iops`, `baseline_throughput`,
/// `maximum_throughput` where a profile's documentation says so). Every value is a Double.
public struct Formula: Sendable, Hashable, CustomStringConvertible {
    /// The text as written in the profile.
    public let source: String
    let root: Expr

    public init(_ source: String) throws(FormulaError) {
        self.source = source
        var parser = FormulaParser(source)
        self.root = try parser.parseFormula()
    }

    public var description: String { source }

    /// The variables the formula reads, in order of first use.
    public var variables: [String] {
        var seen: [String] = []
        root.collectVariables(into: &seen)
        return seen
    }

    /// Evaluates the formula with the given variables bound.
    public func evaluate(_ variables: [String: Double]) throws(FormulaError) -> Double {
        do {
            return try root.evaluate(variables)
        } catch let failure {
            throw FormulaError(formula: source, position: failure.position, message: failure.message)
        }
    }

    public static func == (a: Formula, b: Formula) -> Bool { a.source == b.source }
    public func hash(into hasher: inout Hasher) { hasher.combine(source) }
}

/// A parse or evaluation error: the formula, the 1-based character position, what went wrong.
public struct FormulaError: Error, Sendable, Equatable, CustomStringConvertible {
    public let formula: String
    /// 1-based character position in `formula`.
    public let position: Int
    public let message: String

    public var description: String {
        "formula `\(formula)`, at character \(position): \(message)"
    }
}

struct EvaluationFailure: Error {
    let position: Int
    let message: String
}

enum BinaryOperator: Character, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/"
}

enum Function: String, Sendable, CaseIterable {
    case min, max, ceil, floor, table
}

indirect enum Expr: Sendable {
    case number(Double)
    case variable(String, position: Int)
    case negate(Expr)
    case binary(BinaryOperator, Expr, Expr, position: Int)
    case call(Function, [Expr], position: Int)
    case table(Expr, [(bound: Expr, value: Expr)], position: Int)

    func collectVariables(into seen: inout [String]) {
        switch self {
        case .number: break
        case .variable(let name, _): if !seen.contains(name) { seen.append(name) }
        case .negate(let e): e.collectVariables(into: &seen)
        case .binary(_, let a, let b, _):
            a.collectVariables(into: &seen)
            b.collectVariables(into: &seen)
        case .call(_, let args, _): for a in args { a.collectVariables(into: &seen) }
        case .table(let x, let rows, _):
            x.collectVariables(into: &seen)
            for row in rows {
                row.bound.collectVariables(into: &seen)
                row.value.collectVariables(into: &seen)
            }
        }
    }

    func evaluate(_ env: [String: Double]) throws(EvaluationFailure) -> Double {
        switch self {
        case .number(let v):
            return v
        case .variable(let name, let position):
            guard let v = env[name] else {
                let known = env.keys.sorted().joined(separator: ", ")
                throw EvaluationFailure(
                    position: position,
                    message: "variable `\(name)` has no value (bound here: \(known.isEmpty ? "none" : known))")
            }
            return v
        case .negate(let e):
            return -(try e.evaluate(env))
        case .binary(let op, let a, let b, let position):
            let x = try a.evaluate(env)
            let y = try b.evaluate(env)
            switch op {
            case .add: return x + y
            case .subtract: return x - y
            case .multiply: return x * y
            case .divide:
                guard y != 0 else { throw EvaluationFailure(position: position, message: "division by zero") }
                return x / y
            }
        case .call(let function, let args, _):
            var values: [Double] = []
            for a in args { values.append(try a.evaluate(env)) }
            switch function {
            case .min: return values.min()!
            case .max: return values.max()!
            case .ceil: return values[0].rounded(.up)
            case .floor: return values[0].rounded(.down)
            case .table: fatalError("table is parsed into .table")
            }
        case .table(let x, let rows, let position):
            let v = try x.evaluate(env)
            var bounds: [Double] = []
            for row in rows {
                let bound = try row.bound.evaluate(env)
                if let last = bounds.last, bound < last {
                    throw EvaluationFailure(position: position, message: "table bounds are not ascending (\(fmt(bound)) after \(fmt(last)))")
                }
                bounds.append(bound)
            }
            let last = bounds.last!
            if let i = bounds.firstIndex(where: { $0 >= v }) { return try rows[i].value.evaluate(env) }
            throw EvaluationFailure(position: position, message: "\(fmt(v)) is above the table's last bound \(fmt(last))")
        }
    }
}

func fmt(_ v: Double) -> String {
    v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
}

struct FormulaParser {
    let source: String
    let chars: [Character]
    var index = 0

    init(_ source: String) {
        self.source = source
        self.chars = Array(source)
    }

    /// 1-based position of the current character.
    var position: Int { index + 1 }

    mutating func skipSpace() {
        while index < chars.count, chars[index].isWhitespace { index += 1 }
    }

    func error(_ message: String, at position: Int? = nil) -> FormulaError {
        FormulaError(formula: source, position: position ?? self.position, message: message)
    }

    var found: String {
        index < chars.count ? "`\(chars[index])`" : "the end of the formula"
    }

    mutating func expect(_ c: Character, _ what: String) throws(FormulaError) {
        skipSpace()
        guard index < chars.count, chars[index] == c else {
            throw error("expected \(what) but found \(found)")
        }
        index += 1
    }

    mutating func peek(_ c: Character) -> Bool {
        skipSpace()
        return index < chars.count && chars[index] == c
    }

    mutating func parseFormula() throws(FormulaError) -> Expr {
        skipSpace()
        if index == chars.count { throw error("expected a formula but found nothing") }
        let e = try parseSum()
        skipSpace()
        if index < chars.count {
            throw error("expected an operator (+ - * /) or the end of the formula but found \(found)")
        }
        return e
    }

    mutating func parseSum() throws(FormulaError) -> Expr {
        var left = try parseProduct()
        while true {
            skipSpace()
            guard index < chars.count, let op = BinaryOperator(rawValue: chars[index]), op == .add || op == .subtract
            else { return left }
            let at = position
            index += 1
            left = .binary(op, left, try parseProduct(), position: at)
        }
    }

    mutating func parseProduct() throws(FormulaError) -> Expr {
        var left = try parseUnary()
        while true {
            skipSpace()
            guard index < chars.count, let op = BinaryOperator(rawValue: chars[index]),
                op == .multiply || op == .divide
            else { return left }
            let at = position
            index += 1
            left = .binary(op, left, try parseUnary(), position: at)
        }
    }

    mutating func parseUnary() throws(FormulaError) -> Expr {
        if peek("-") {
            index += 1
            return .negate(try parseUnary())
        }
        return try parsePrimary()
    }

    mutating func parsePrimary() throws(FormulaError) -> Expr {
        skipSpace()
        guard index < chars.count else {
            throw error("expected a number, a name, a function call or `(` but found the end of the formula")
        }
        let c = chars[index]
        if c == "(" {
            index += 1
            let e = try parseSum()
            try expect(")", "`)`")
            return e
        }
        if c.isASCII, c.isNumber || c == "." { return try parseNumber() }
        if c.isASCII, c.isLetter || c == "_" {
            let start = position
            var name = ""
            while index < chars.count, chars[index].isASCII,
                chars[index].isLetter || chars[index].isNumber || chars[index] == "_"
            {
                name.append(chars[index])
                index += 1
            }
            if peek("(") { return try parseCall(name, at: start) }
            return .variable(name, position: start)
        }
        throw error("expected a number, a name, a function call or `(` but found \(found)")
    }

    mutating func parseNumber() throws(FormulaError) -> Expr {
        let start = position
        var text = ""
        var seenDot = false
        var lastWasDigit = false
        while index < chars.count {
            let c = chars[index]
            if c.isASCII, c.isNumber {
                text.append(c)
                lastWasDigit = true
            } else if c == "_" {
                guard lastWasDigit else { throw error("`_` in a number must follow a digit") }
                lastWasDigit = false
            } else if c == "." && !seenDot {
                guard lastWasDigit || text.isEmpty else { throw error("`.` in a number must follow a digit") }
                seenDot = true
                text.append(c)
                lastWasDigit = false
            } else {
                break
            }
            index += 1
        }
        guard lastWasDigit, let v = Double(text) else {
            throw error("malformed number (a number is digits with optional `_` separators and an optional fraction)", at: start)
        }
        return .number(v)
    }

    mutating func parseCall(_ name: String, at start: Int) throws(FormulaError) -> Expr {
        guard let function = Function(rawValue: name) else {
            let known = Function.allCases.map(\.rawValue).joined(separator: ", ")
            throw error("unknown function `\(name)` (known: \(known))", at: start)
        }
        try expect("(", "`(`")
        if function == .table {
            let x = try parseSum()
            try expect(",", "`,` and the rows of the table")
            let rows = try parseRows()
            try expect(")", "`)` after the rows of the table")
            return .table(x, rows, position: start)
        }
        var args = [try parseSum()]
        while peek(",") {
            index += 1
            args.append(try parseSum())
        }
        try expect(")", "`,` or `)`")
        switch function {
        case .ceil, .floor:
            guard args.count == 1 else {
                throw error("`\(name)` takes one argument, found \(args.count)", at: start)
            }
        default: break
        }
        return .call(function, args, position: start)
    }

    mutating func parseRows() throws(FormulaError) -> [(bound: Expr, value: Expr)] {
        try expect("[", "`[` starting the rows of the table")
        var rows: [(bound: Expr, value: Expr)] = []
        repeat {
            if !rows.isEmpty { index += 1 }  // the `,` between rows
            try expect("[", "`[` starting a row `[bound, value]`")
            let bound = try parseSum()
            try expect(",", "`,` between a row's bound and value")
            let value = try parseSum()
            try expect("]", "`]` ending a row `[bound, value]`")
            rows.append((bound, value))
        } while peek(",")
        try expect("]", "`,` or `]` ending the rows of the table")
        return rows
    }
}
