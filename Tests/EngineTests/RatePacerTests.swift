import Engine
import Testing
@testable import Harness
import Workload
import TestSupport

@Suite struct RatePacerTests {
    func spec(_ rw: ReadWrite, rate: DirectionLimits? = nil, iops: DirectionLimits? = nil) -> JobSpec {
        var s = JobSpec(name: "r", rw: rw, blockSizeBytes: 4096)
        s.rate = rate
        s.rateIops = iops
        return s
    }

    @Test func anUnratedJobIsNotPaced() {
        let p = RatePacer(spec: spec(.randread), readPercent: 100, start: 0)
        #expect(!p.active)
    }

    @Test func rateIopsCountsTheSmallestBlockPerIO() {
        let p = RatePacer(spec: spec(.randread, iops: DirectionLimits(read: 10, write: nil)), readPercent: 100, start: 0)
        #expect(p.active && p.readBytesPerSecond == 40960 && p.writeBytesPerSecond == 0)
    }

    @Test func anIOIsDueOnceTheBytesBeforeItHaveTakenTheirTime() {
        let start = monotonicNanoseconds()
        var clock = WorkerClock(at: start)
        // 4096 B/s: each 4 KiB read takes a second of the rate.
        var p = RatePacer(spec: spec(.randread, rate: DirectionLimits(read: 4096, write: nil)), readPercent: 100, start: start)
        let got1 = p.choose(.read, clock: &clock)
        #expect(got1 == .read, "nothing issued yet: due at once")
        p.issued(.read, bytes: 4096)
        let got2 = p.choose(.read, clock: &clock)
        #expect(got2 == nil)
        #expect(p.waitUntil == start + 1_000_000_000 && p.held == .read)
        #expect(clock.reads >= 2, "a direction that looks ahead reads the clock before waiting")
    }

    @Test func aMixedJobIssuesTheOtherDirectionWhileOneIsAhead() {
        let start = monotonicNanoseconds()
        var clock = WorkerClock(at: start)
        var p = RatePacer(spec: spec(.randrw, rate: DirectionLimits(read: 4096, write: nil)), readPercent: 50, start: start)
        p.issued(.read, bytes: 4096)
        let got3 = p.choose(.read, clock: &clock)
        #expect(got3 == .write, "writes have no rate: they go while reads wait")
        #expect(p.held == nil && p.waitUntil == 0)
    }

    @Test func bothAheadWaitsForTheEarlierAndRestartResets() {
        let start = monotonicNanoseconds()
        var clock = WorkerClock(at: start)
        var p = RatePacer(spec: spec(.randrw, rate: DirectionLimits(read: 4096, write: 8192)), readPercent: 50, start: start)
        p.issued(.read, bytes: 4096)   // due at +1 s
        p.issued(.write, bytes: 8192)  // due at +1 s
        p.issued(.write, bytes: 4096)  // due at +1.5 s
        let got4 = p.choose(.write, clock: &clock)
        #expect(got4 == nil)
        #expect(p.waitUntil == start + 1_000_000_000 && p.held == .read)
        p.restart(at: clock.now)
        let got5 = p.choose(.write, clock: &clock)
        #expect(got5 == .write, "after a restart nothing is owed")
    }
}
