import Testing
@testable import Harness

@Suite struct ThinkTimeTests {
    @Test func stallsAfterEveryNIssuedAndEndsAtItsEnd() {
        var t = ThinkTime(nanoseconds: 1_000, every: 2)
        t.issued()
        #expect(!t.due)
        t.issued()
        #expect(t.due)
        let got1 = t.stallEnd(now: 5)
        #expect(got1 == 1_005)
        let got2 = t.stallEnd(now: 900)
        #expect(got2 == 1_005, "the stall starts once, at the first look")
        t.woke(at: 1_004)
        #expect(t.due)
        t.woke(at: 1_005)
        #expect(!t.due)
        t.issued()
        #expect(!t.due, "the count starts again after a stall")
        t.issued()
        let end = t.stallEnd(now: 2_000)
        #expect(t.due && end == 3_000)
    }

    @Test func noThinkTimeNeverStallsAndCancelDropsAStall() {
        var none = ThinkTime(nanoseconds: nil, every: nil)
        for _ in 0..<10 { none.issued() }
        #expect(!none.due)
        var t = ThinkTime(nanoseconds: 10, every: nil)
        t.issued()
        #expect(t.due)
        t.cancel()
        #expect(!t.due)
    }
}
