import Testing
@testable import Workload

@Suite struct IOStreamTests {
    @Test func sequentialOffsetsAdvanceByBlockAndWrapAtTheEnd() {
        var s = IOStream(rangeStart: 8192, blockSize: 4096, blocks: 3, rw: .read, readPercent: 100, randomMap: true, seed: 1)
        let offsets = (0..<7).map { _ in s.nextOffset(.read) }
        #expect(offsets == [8192, 12288, 16384, 8192, 12288, 16384, 8192])
    }

    @Test func sequentialMixKeepsOnePositionPerDirection() {
        var s = IOStream(rangeStart: 0, blockSize: 512, blocks: 4, rw: .readwrite, readPercent: 50, randomMap: true, seed: 1)
        #expect(s.nextOffset(.read) == 0)
        #expect(s.nextOffset(.write) == 0)
        #expect(s.nextOffset(.read) == 512)
        #expect(s.nextOffset(.read) == 1024)
        #expect(s.nextOffset(.write) == 512)
    }

    @Test(arguments: [1, 2, 3, 7, 64, 1000, 4097, 65_537] as [UInt64])
    func randomMapVisitsEveryBlockExactlyOncePerPass(blocks: UInt64) {
        var s = IOStream(rangeStart: 1 << 20, blockSize: 4096, blocks: blocks, rw: .randread, readPercent: 100, randomMap: true, seed: 42)
        for _ in 0..<3 {  // three passes, each a permutation
            var seen = [Bool](repeating: false, count: Int(blocks))
            for _ in 0..<blocks {
                let offset = s.nextOffset(.read)
                #expect(offset >= 1 << 20 && (offset - (1 << 20)) % 4096 == 0)
                let block = Int((offset - (1 << 20)) / 4096)
                #expect(block < Int(blocks))
                #expect(!seen[block], "block \(block) visited twice in one pass")
                seen[block] = true
            }
            #expect(seen.allSatisfy { $0 })
        }
    }

    @Test func randomMapIsNotSequential() {
        var s = IOStream(rangeStart: 0, blockSize: 4096, blocks: 10_000, rw: .randread, readPercent: 100, randomMap: true, seed: 7)
        let first = (0..<100).map { _ in s.nextOffset(.read) / 4096 }
        let ascending = zip(first, first.dropFirst()).filter { $0.1 == $0.0 + 1 }.count
        #expect(ascending < 5)
    }

    @Test func consecutivePassesUseDifferentOrders() {
        var s = IOStream(rangeStart: 0, blockSize: 4096, blocks: 100, rw: .randread, readPercent: 100, randomMap: true, seed: 7)
        let pass1 = (0..<100).map { _ in s.nextOffset(.read) }
        let pass2 = (0..<100).map { _ in s.nextOffset(.read) }
        #expect(pass1 != pass2)
        #expect(Set(pass1) == Set(pass2))
    }

    @Test func norandommapDrawsIndependentUniformOffsets() {
        var s = IOStream(rangeStart: 0, blockSize: 4096, blocks: 16, rw: .randread, readPercent: 100, randomMap: false, seed: 3)
        var counts = [Int](repeating: 0, count: 16)
        for _ in 0..<16_000 { counts[Int(s.nextOffset(.read) / 4096)] += 1 }
        #expect(counts.allSatisfy { (800...1200).contains($0) }, "\(counts)")
        // Independent draws repeat blocks within the first 16 (a permutation never does).
        var t = IOStream(rangeStart: 0, blockSize: 4096, blocks: 16, rw: .randread, readPercent: 100, randomMap: false, seed: 3)
        #expect(Set((0..<16).map { _ in t.nextOffset(.read) }).count < 16)
    }

    @Test(arguments: [70, 50, 30, 1, 99])
    func mixIsWithinOnePercentOverOneHundredThousandOperations(readPercent: Int) {
        var s = IOStream(rangeStart: 0, blockSize: 8192, blocks: 1000, rw: .randrw, readPercent: readPercent, randomMap: true, seed: JobSpec.defaultSeed)
        var reads = 0
        for _ in 0..<100_000 where s.nextDirection() == .read { reads += 1 }
        let share = Double(reads) / 100_000 * 100
        #expect(abs(share - Double(readPercent)) <= 1.0, "read share \(share)% for rwmixread \(readPercent)")
    }

    @Test func pureWorkloadsNeverSwitchDirection() {
        var r = IOStream(rangeStart: 0, blockSize: 4096, blocks: 10, rw: .randread, readPercent: 30, randomMap: true, seed: 1)
        var w = IOStream(rangeStart: 0, blockSize: 4096, blocks: 10, rw: .write, readPercent: 70, randomMap: true, seed: 1)
        for _ in 0..<1000 {
            #expect(r.nextDirection() == .read)
            #expect(w.nextDirection() == .write)
        }
    }

    @Test func sameSeedGivesTheSameSequenceAndAnotherSeedDoesNot() {
        func sequence(seed: UInt64, randomMap: Bool) -> [String] {
            var s = IOStream(rangeStart: 0, blockSize: 4096, blocks: 5000, rw: .randrw, readPercent: 70, randomMap: randomMap, seed: seed)
            return (0..<2000).map { _ in
                let d = s.nextDirection()
                return "\(d.rawValue):\(s.nextOffset(d))"
            }
        }
        for map in [true, false] {
            #expect(sequence(seed: 9, randomMap: map) == sequence(seed: 9, randomMap: map))
            #expect(sequence(seed: 9, randomMap: map) != sequence(seed: 10, randomMap: map))
        }
    }
}
