import Foundation
import XCTest
@testable import JobFiles

/// Arithmetic that is long rather than nested: a chain of `^` is right-associative and must not
/// take a stack frame per operator.
final class ArithmeticDepthTests: XCTestCase {
    func testLongPowerChainNeitherOverflowsTheStackNorRecurses() throws {
        let ones = "(" + Array(repeating: "1", count: 300_001).joined(separator: "^") + ")"
        XCTAssertEqual(try FioValues.evaluate(ones), 1)
        let twos = "(" + Array(repeating: "2", count: 300_001).joined(separator: "^") + ")"
        XCTAssertThrowsError(try FioValues.evaluate(twos)) { e in
            XCTAssertTrue("\(e)".contains("overflows"), "\(e)")
        }
        // Through the parser: a value of 300,000 `^` in a job file is computed or refused in one line.
        let jobs = try FioJobFile.parse(text: "[j]\nrw=read\nsize=\(ones)m\n", file: "t.fio").jobs
        XCTAssertEqual(jobs[0].value("size"), "1048576")
        // Right-associative, as before: 2^3^2 = 2^9.
        XCTAssertEqual(try FioValues.evaluate("2^3^2"), 512)
        XCTAssertEqual(try FioValues.evaluate("(2^3)^2"), 64)
        XCTAssertEqual(try FioValues.evaluate("-2^3"), -8)
        XCTAssertThrowsError(try FioValues.evaluate("2^-1"))
    }
}
