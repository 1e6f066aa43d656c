import Foundation
import Testing
@testable import Report
import Text

@Suite struct TrimmingTests {
    @Test func whitespaceAtBothEndsOnly() {
        #expect(" \t4k\n".trimmingWhitespace == "4k")
        #expect("a b".trimmingWhitespace == "a b")
        #expect("  \n".trimmingWhitespace == "")
        #expect("x\r\n".trimmingWhitespace == "x")
        #expect("50 "[...].trimmingWhitespace == "50")
    }

    /// Blanks are spaces and tabs: a line break in a value stays, so the value is refused.
    @Test func blanksKeepLineBreaks() {
        #expect(" \t4k \t".trimmingBlanks == "4k")
        #expect("4k\n".trimmingBlanks == "4k\n")
        #expect(" \t ".trimmingBlanks == "")
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
