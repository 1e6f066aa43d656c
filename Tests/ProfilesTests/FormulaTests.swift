import Testing
@testable import Profiles

@Suite struct FormulaTests {
    func value(_ text: String, _ env: [String: Double] = [:]) throws -> Double {
        try Formula(text).evaluate(env)
    }

    func parseError(_ text: String) -> FormulaError? {
        do {
            _ = try Formula(text)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        ("2 + 3 * 4", 14.0), ("(2 + 3) * 4", 20), ("10 - 4 - 3", 3), ("8 / 4 / 2", 1), ("-2 * 3", -6),
        ("2 * -3", -6), ("- (1 + 2)", -3), ("1_000_000", 1_000_000), ("0.25 * 4", 1), ("5_400_000 / (3_000 - 300)", 2_000),
        ("min(3, 1, 2)", 1), ("max(3, 1, 2)", 3), ("min(7)", 7), ("ceil(1.2)", 2), ("floor(1.8)", 1),
        ("ceil(-1.5)", -1), ("max(min(5, 9), 2) + 1", 6), ("2 * (3 + (4 - 1)) / 3", 4),
    ])
    func arithmeticAndFunctions(text: String, expected: Double) throws {
        #expect(try value(text) == expected)
    }

    @Test func variables() throws {
        let f = try Formula("min(max(3 * size_gib, 100), 16_000)")
        #expect(f.variables == ["size_gib"])
        #expect(try f.evaluate(["size_gib": 1]) == 100)
        #expect(try f.evaluate(["size_gib": 100]) == 300)
        #expect(try f.evaluate(["size_gib": 6_000]) == 16_000)
        #expect(try Formula("iops / size_gib + iops").variables == ["iops", "size_gib"])
    }

    @Test func tableTakesTheFirstRowWhoseBoundHoldsX() throws {
        let t = "table(size_gib, [[32, 120], [64, 240], [128, 500]])"
        #expect(try value(t, ["size_gib": 1]) == 120)
        #expect(try value(t, ["size_gib": 32]) == 120)
        #expect(try value(t, ["size_gib": 33]) == 240)
        #expect(try value(t, ["size_gib": 128]) == 500)
        #expect(try value("table(x * 2, [[1 + 1, 10 * 2], [4, 40]])", ["x": 2]) == 40)
        #expect(try value("table(1, [[2, 3]]) + 1") == 4)
    }

    @Test(arguments: [
        ("min(3 *, 4)", 8, "expected a number, a name, a function call or `(` but found `,`"),
        ("2 +", 4, "found the end of the formula"),
        ("foo(1)", 1, "unknown function `foo`"),
        ("ceil(1, 2)", 1, "`ceil` takes one argument, found 2"),
        ("1 2", 3, "expected an operator (+ - * /) or the end of the formula but found `2`"),
        ("(1 + 2", 7, "expected `)`"),
        ("table(x, [[1, 2], [3]])", 21, "expected `,` between a row's bound and value"),
        ("table(x, 3)", 10, "expected `[` starting the rows of the table"),
        ("table(x)", 8, "expected `,` and the rows of the table"),
        ("1__0", 3, "`_` in a number must follow a digit"),
        ("", 1, "expected a formula but found nothing"),
        ("3 % 2", 3, "found `%`"),
        ("min()", 5, "found `)`"),
    ])
    func parseErrorsNameThePosition(text: String, position: Int, message: String) throws {
        let e = try #require(parseError(text))
        #expect(e.position == position, "\(e)")
        #expect(e.message.contains(message), "\(e)")
        #expect(e.description.contains("`\(text)`"))
        #expect(e.description.contains("at character \(position)"))
    }

    @Test func evaluationErrorsNameThePosition() throws {
        #expect(throws: FormulaError(formula: "1 + iops", position: 5, message: "variable `iops` has no value (bound here: size_gib)")) {
            try Formula("1 + iops").evaluate(["size_gib": 1])
        }
        let div = #expect(throws: FormulaError.self) { try Formula("1 / (x - 1)").evaluate(["x": 1]) }
        #expect(div?.position == 3)
        #expect(div?.message == "division by zero")
        let above = #expect(throws: FormulaError.self) { try Formula("table(x, [[1, 2], [3, 4]])").evaluate(["x": 5]) }
        #expect(above?.message == "5 is above the table's last bound 3")
        let order = #expect(throws: FormulaError.self) { try Formula("table(x, [[3, 2], [1, 4]])").evaluate(["x": 2]) }
        #expect(order?.message.contains("not ascending") == true)
    }
}
