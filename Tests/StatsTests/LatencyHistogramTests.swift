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
