import Foundation
import Testing
@testable import Stats
@testable import Workload

@Suite struct LatencyHistogramTests {
    /// Synthetic latencies over six decades (1 us .. 1 s), log-uniform.
    func samples(_ n: Int, seed: UInt64) -> [UInt64] {
        var rng = Xoshiro256(seed: seed)
        return (0..<n).map { _ in
            let exponent = 3.0 + 6.0 * Double(rng.next() >> 11) / Double(1 << 53)
            var v = 1.0
            for _ in 0..<Int(exponent) { v *= 10 }
            return UInt64(v * (1 + Double(rng.next() % 1000) / 1000 * 9))
        }
    }

    @Test func percentilesAreWithinOnePercentOfTheExactOnes() {
        let data = samples(200_000, seed: 1)
        var h = LatencyHistogram()
        for v in data { h.record(v) }
        let sorted = data.sorted()
        for p in [1.0, 10, 50, 90, 99, 99.9, 99.99] {
            let rank = max(0, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1)
            let exact = Double(sorted[rank])
            let got = Double(h.value(atPercentile: p))
            #expect(abs(got - exact) / exact <= 0.01, "p\(p): \(got) vs exact \(exact)")
        }
        #expect(h.count == 200_000)
        #expect(abs(Double(h.min) - Double(sorted.first!)) / Double(sorted.first!) <= 0.01)
        #expect(abs(Double(h.max) - Double(sorted.last!)) / Double(sorted.last!) <= 0.01)
        let mean = Double(data.reduce(0, +)) / Double(data.count)
        #expect(abs(h.mean - mean) / mean <= 0.01)
    }

    @Test func mergingEqualsRecordingTheUnion() {
        let a = samples(50_000, seed: 2), b = samples(70_000, seed: 3)
        var ha = LatencyHistogram(), hb = LatencyHistogram(), union = LatencyHistogram()
        for v in a { ha.record(v); union.record(v) }
        for v in b { hb.record(v); union.record(v) }
        ha.add(hb)
        #expect(ha.count == union.count)
        for p in [1.0, 50, 99, 99.9] { #expect(ha.value(atPercentile: p) == union.value(atPercentile: p)) }
        #expect(ha.min == union.min && ha.max == union.max)
    }

    @Test func outOfRangeValuesAreClampedNotLost() {
        var h = LatencyHistogram()
        h.record(0)
        h.record(UInt64.max)
        #expect(h.count == 2)
        #expect(h.max >= LatencyHistogram.highestTrackableNanoseconds / 2)
    }

    @Test func summaryComputesRatesOverTheSpan() {
        var c = DirectionCounters()
        c.ios = 1000; c.bytes = 4_096_000
        for _ in 0..<1000 { c.lat.record(100_000) }
        let s = c.summary(spanNanoseconds: 2_000_000_000, percentiles: .fioDefault)
        #expect(s.iops == 500)
        #expect(s.bandwidthBytesPerSecond == 2_048_000)
        #expect(abs(Double(s.latNs.value(at: 50) ?? 0) - 100_000) / 100_000 < 0.01)
        #expect(c.summary(spanNanoseconds: 0, percentiles: .fioDefault).iops == 0)
    }
}

@Suite struct LatencyStatTests {
    @Test func percentilesHoldOnePercentFromOneMicrosecondToSixtySeconds() {
        // Values spread evenly on a log scale from 1 us to 60 s, every one checked on its own.
        var rng = Xoshiro256(seed: 9)
        for _ in 0..<2000 {
            let exponent = 3.0 + (log10(60e9) - 3.0) * Double(rng.next() >> 11) / Double(1 << 53)
            let v = UInt64(pow(10, exponent))
            var s = LatencyStat()
            s.record(v)
            s.record(v)
            let got = Double(s.histogram.value(atPercentile: 50))
            #expect(abs(got - Double(v)) / Double(v) <= 0.01, "\(v) ns read back as \(got)")
        }
    }

    @Test func meanAndStddevAreExactAndMinMaxUnrounded() {
        let data: [UInt64] = [1_000, 2_000, 4_000, 123_457, 9_999_991]
        var s = LatencyStat()
        for v in data { s.record(v) }
        let mean = Double(data.reduce(0, +)) / Double(data.count)
        let variance = data.map { (Double($0) - mean) * (Double($0) - mean) }.reduce(0, +) / Double(data.count - 1)
        let r = s.report(.fioDefault)
        #expect(abs(r.mean - mean) < 1e-6 * mean)
        #expect(abs(r.stddev - variance.squareRoot()) < 1e-6 * variance.squareRoot())
        #expect(r.min == 1_000 && r.max == 9_999_991, "exact, not bucket bounds")
        #expect(r.count == 5)
        #expect(r.percentiles.allSatisfy { $0.nanoseconds >= r.min && $0.nanoseconds <= r.max })
        #expect(r.percentiles.map(\.percentile) == PercentileList.fioDefault.values)
    }

    @Test func binsRebuildTheSameHistogram() {
        var s = LatencyStat()
        var rng = Xoshiro256(seed: 4)
        for _ in 0..<50_000 { s.record(1_000 + rng.next() % 5_000_000) }
        var rebuilt = LatencyHistogram()
        for bin in s.report(.fioDefault).bins! { rebuilt.record(bin[0], count: bin[1]) }
        #expect(rebuilt.count == s.count)
        for p in PercentileList.fioDefault.values {
            #expect(rebuilt.value(atPercentile: p) == s.histogram.value(atPercentile: p), "p\(p)")
        }
    }

    @Test func mergedStatsEqualTheUnion() {
        var a = LatencyStat(), b = LatencyStat(), union = LatencyStat()
        var rng = Xoshiro256(seed: 5)
        for i in 0..<30_000 {
            let v = 500 + rng.next() % 2_000_000
            if i % 3 == 0 { a.record(v) } else { b.record(v) }
            union.record(v)
        }
        a.add(b)
        let merged = a.report(.fioDefault), whole = union.report(.fioDefault)
        #expect(merged.count == whole.count && merged.min == whole.min && merged.max == whole.max)
        #expect(merged.percentiles == whole.percentiles && merged.bins == whole.bins)
        #expect(abs(merged.mean - whole.mean) < 1e-9 * whole.mean)
        #expect(abs(merged.stddev - whole.stddev) < 1e-9 * whole.stddev, "sums of squares add in another order")
    }

    @Test func percentileListParsesSortsAndRefuses() throws {
        #expect(try PercentileList(parsing: "99.9, 50,99").values == [50, 99, 99.9])
        #expect(try PercentileList(parsing: "99:99.9:99").values == [99, 99.9], "fio's colon list; duplicates dropped")
        for bad in ["", "0", "101", "abc", "50,-1", "nan"] {
            #expect(throws: PercentileListError.self, "\(bad)") { try PercentileList(parsing: bad) }
        }
    }

    @Test func rateSpreadIsFiosSampleStatistics() {
        let r = RateSpread([10, 20, 30, 40])
        #expect(r.min == 10 && r.max == 40 && r.mean == 25 && r.samples == 4)
        #expect(abs(r.stddev - 12.909944487358056) < 1e-9)
        #expect(RateSpread([]).samples == 0 && RateSpread([5]).stddev == 0)
    }
}
