import Testing
@testable import Workload

/// fio's `zoned` and `zoned_abs` distributions: each zone gets its share of the I/Os, spread
/// over it, and nothing lands beyond the last zone.
@Suite struct ZonedDistributionTests {
    /// Shares of `n` draws per zone boundary (in blocks).
    func shares(_ d: RandomDistribution, blocks: UInt64, unit: UInt64 = 4096, bounds: [UInt64], n: Int = 100_000) -> [Double] {
        var g = DistributionGenerator(d, count: blocks, unit: unit, seed: 11)
        var counts = [Int](repeating: 0, count: bounds.count + 1)
        for _ in 0..<n {
            let b = g.next()
            counts[bounds.firstIndex { b < $0 } ?? bounds.count] += 1
        }
        return counts.map { Double($0) / Double(n) * 100 }
    }

    @Test func zonesGetTheirShareOfAccesses() throws {
        let d = try RandomDistribution.parse("zoned:60/10:30/20:10/70")
        #expect(d == RandomDistribution(kind: .zoned, zones: [.init(access: 60, size: 10), .init(access: 30, size: 20), .init(access: 10, size: 70)]))
        let s = shares(d, blocks: 1000, bounds: [100, 300, 1000])
        for (got, want) in zip(s, [60.0, 30, 10, 0]) { #expect(abs(got - want) < 1, "\(s)") }
        // Uniform inside a zone: the first zone's halves get half of its 60% each.
        let halves = shares(d, blocks: 1000, bounds: [50, 100])
        #expect(abs(halves[0] - 30) < 1 && abs(halves[1] - 30) < 1, "\(halves)")
    }

    @Test func theRangeBeyondTheZonesIsNotTouched() throws {
        let s = shares(try RandomDistribution.parse("zoned:50/10:50/10"), blocks: 1000, bounds: [100, 200])
        #expect(abs(s[0] - 50) < 1 && abs(s[1] - 50) < 1 && s[2] == 0, "\(s)")
    }

    @Test func absoluteZonesAreInBytes() throws {
        let d = try RandomDistribution.parse("zoned_abs:80/64k:20/1m")
        #expect(d.zones == [.init(access: 80, size: 65536), .init(access: 20, size: 1 << 20)])
        // 64 KiB is 16 blocks of 4 KiB, then 256 blocks.
        let s = shares(d, blocks: 4096, bounds: [16, 16 + 256])
        #expect(abs(s[0] - 80) < 1 && abs(s[1] - 20) < 1 && s[2] == 0, "\(s)")
    }

    @Test func refusals() {
        // fio 3.33 refuses these (fio --parse-only).
        for bad in ["zoned:50/50", "zoned:60/10:50/20", "zoned:60/60:40/60", "zoned", "zoned:60"] {
            #expect(throws: InputError.self, "\(bad)") { try RandomDistribution.parse(bad) }
        }
        // fio takes these, with a zone of no size or a unit it drops; tierbench names the mistake.
        for bad in ["zoned:60/0:40/100", "zoned_abs:100/0", "zoned_abs:100/4q"] {
            #expect(throws: InputError.self, "\(bad)") { try RandomDistribution.parse(bad) }
        }
    }
}
