import Testing
@testable import Harness

@Suite struct SlotTableTests {
    @Test func aSlotGoesFromFreeToQueuedToSubmittedAndBack() {
        var t = SlotTable(depth: 3, blockBytes: 4096)
        #expect(t.freeCount == 3 && t.inFlight == 0)
        let next = t.nextFree
        let slot = next ?? -1
        #expect(slot >= 0)
        t.start(write: true, offset: 8192, length: 4096, prepared: 5)
        #expect(t.freeCount == 2 && t.queuedCount == 1 && t.inFlight == 1)
        #expect(t[slot].busy && t[slot].write && t[slot].offset == 8192 && t[slot].prepared == 5 && t[slot].done == 0)
        #expect(t.nextFree != slot, "a started slot is not handed out again")
        t.submitted(at: 7)
        #expect(t.queuedCount == 0 && t[slot].issued == 7)
        let atWrite = t.writeInFlight(at: 8192), elsewhere = t.writeInFlight(at: 4096)
        #expect(atWrite && !elsewhere)
        t.finish(slot)
        #expect(t.freeCount == 3 && t.inFlight == 0 && !t[slot].busy)
        let stillThere = t.writeInFlight(at: 8192)
        #expect(!stillThere)
        #expect(t.nextFree == slot, "the freed slot is reused first")
    }

    @Test func everySlotIsHandedOutOnceUntilFreed() {
        var t = SlotTable(depth: 4, blockBytes: 512)
        var seen = Set<Int>()
        while let slot = t.nextFree {
            seen.insert(slot)
            t.start(write: false, offset: UInt64(slot) * 512, length: 512, prepared: 0)
        }
        #expect(seen == [0, 1, 2, 3] && t.inFlight == 4 && t.queuedCount == 4)
        t.submitted(at: 9)
        #expect((0..<4).allSatisfy { t[$0].issued == 9 })
    }

    @Test func retriesKeepTheirSlotAndFirstSubmitTime() {
        var t = SlotTable(depth: 2, blockBytes: 4096)
        let slot = t.nextFree!
        t.start(write: false, offset: 0, length: 4096, prepared: 1)
        t.submitted(at: 2)
        t[slot].done = 1024
        t.retryLater(slot)
        #expect(t.retryCount == 1 && t.nextRetry == slot && t.inFlight == 1)
        t.retried()
        #expect(t.retryCount == 0 && t.nextRetry == nil)
        #expect(t[slot].issued == 2 && t[slot].done == 1024, "a resubmitted rest is still the first submit's I/O")
    }
}
