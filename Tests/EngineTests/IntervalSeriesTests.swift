import Testing
@testable import Harness

@Suite struct IntervalSeriesTests {
    @Test func completionsGoToTheOpenIntervalWhichClosesAtItsBoundary() {
        let live = WorkerLive()
        var s = IntervalSeries(length: 1_000_000, reads: true, writes: true, live: live, start: 10_000_000)
        s.record(write: false, bytes: 4096, prepared: 0, issued: 0, completed: 100)
        s.closeEnded(at: 10_999_999)
        #expect(s.samples.isEmpty)
        s.closeEnded(at: 12_500_000)
        #expect(s.samples.count == 2, "an empty interval is closed too")
        #expect(s.samples[0].read?.ios == 1 && s.samples[0].startNs == 0 && s.samples[0].durationNs == 1_000_000)
        #expect(s.samples[1].read?.ios == 0 && s.samples[1].startNs == 1_000_000)
        #expect(live.drain().map(\.index) == [0, 1], "each closed interval is handed to the watcher")
        s.record(write: true, bytes: 8192, prepared: 0, issued: 0, completed: 50)
        s.finish(lastCompletion: 12_600_000)
        #expect(s.samples.count == 3)
        #expect(s.samples[2].write?.ios == 1 && s.samples[2].write?.bytes == 8192 && s.samples[2].durationNs == 600_000)
    }

    @Test func restartDropsWhatWasCountedAndMovesTheOrigin() {
        var s = IntervalSeries(length: 1_000_000, reads: true, writes: false, live: nil, start: 0)
        s.record(write: false, bytes: 4096, prepared: 0, issued: 0, completed: 1)
        s.restart(at: 5_000_000)
        s.record(write: false, bytes: 4096, prepared: 0, issued: 0, completed: 1)
        s.closeEnded(at: 6_000_000)
        #expect(s.samples.count == 1 && s.samples[0].read?.ios == 1 && s.samples[0].startNs == 0)
        #expect(s.samples[0].write == nil, "a job that does not write has no write side")
    }

    @Test func theLengthIsAtLeastAMillisecond() {
        let s = IntervalSeries(length: 10, reads: true, writes: false, live: nil, start: 0)
        #expect(s.length == 1_000_000 && s.nextBoundary == 1_000_000)
    }
}
