import Foundation
import Testing
@testable import JobFiles

/// Arithmetic that is long rather than nested: a chain of `^` is right-associative and must not
/// take a stack frame per operator.
@Suite struct ArithmeticDepthTests {
    @Test func longPowerChainNeitherOverflowsTheStackNorRecurses() throws {
        let ones = "(" + Array(repeating: "1", count: 300_001).joined(separator: "^") + ")"
        #expect(try FioValues.evaluate(ones) == 1)
        let twos = "(" + Array(repeating: "2", count: 300_001).joined(separator: "^") + ")"
        if let e = #expect(throws: (any Error).self, performing: { try FioValues.evaluate(twos) }) {
            #expect("\(e)".contains("overflows"), "\(e)")
        }
        // Through the parser: a value of 300,000 `^` in a job file is computed or refused in one line.
        let jobs = try FioJobFile.parse(text: "[j]\nrw=read\nsize=\(ones)m\n", file: "t.fio").jobs
        #expect(jobs[0].value("size") == "1048576")
        // Right-associative, as before: 2^3^2 = 2^9.
        #expect(try FioValues.evaluate("2^3^2") == 512)
        #expect(try FioValues.evaluate("(2^3)^2") == 64)
        #expect(try FioValues.evaluate("-2^3") == -8)
        #expect(throws: (any Error).self) { try FioValues.evaluate("2^-1") }
    }
}
