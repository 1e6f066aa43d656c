import Foundation
import Testing
@testable import Report
import Text

@Suite struct TrimmingTests {
    @Test func trimsWhitespaceAtBothEndsOnly() {
        #expect(" \t4k\n".trimmingWhitespace == "4k")
        #expect("a b".trimmingWhitespace == "a b")
        #expect("  \n".trimmingWhitespace == "")
        #expect("x\r\n".trimmingWhitespace == "x")
        #expect("50 "[...].trimmingWhitespace == "50")
    }
}

@Suite struct CSVFieldTests {
    /// `"` followed by U+0301 is one Character that is not `"`: the old quoting split by
    /// Character and left that quote single, so a CSV reader saw the field end there.
    @Test func aQuoteBeforeACombiningMarkIsDoubled() {
        #expect(Array(CSVReport.field("a\"\u{301}b").unicodeScalars) == Array("\"a\"\"\u{301}b\"".unicodeScalars))
        #expect(Array(CSVReport.field("a,b\r\nc").unicodeScalars) == Array("\"a,b\r\nc\"".unicodeScalars))
        #expect(CSVReport.field("plain") == "plain")
    }

    /// Report had its own `replacingOccurrences(of:with:)`, which shadowed Foundation's in the whole
    /// module and trapped (`Character(target)`) on a target that is not exactly one Character.
    @Test func replacingInReportTakesAnyTarget() {
        #expect("a</b</c".replacingOccurrences(of: "</", with: "<\\/") == "a<\\/b<\\/c")
        #expect("abc".replacingOccurrences(of: "", with: "x") == "abc")
    }
}
