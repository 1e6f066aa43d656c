import Testing
@testable import Workload

/// fio's offset modifiers and `percentage_random` in the offset stream (io_u.c get_next_offset:
/// `ddir_seq_add`, `ddir_seq_nr`, should_do_random).
@Suite struct OffsetSequenceTests {
    func stream(_ rw: ReadWrite, blocks: UInt64 = 64, _ set: (inout JobSpec) -> Void) -> IOStream {
        var spec = JobSpec(name: "j", rw: rw, blockSizeBytes: 4096)
        set(&spec)
        return IOStream(spec, rangeStart: 1 << 20, rangeLength: blocks * 4096, seed: 3)
    }

    @Test func aHoleFollowsEveryIOAndAPassStartsOverWithoutOne() {
        // rw=read:8k over 64 KiB: 0, 12k, 24k, 36k, 48k, 60k, then 72k is past the end: 0 again.
        var s = stream(.read, blocks: 16) { $0.sequentialHoleBytes = 8192 }
        let offsets = (0..<8).map { _ in (s.nextOffset(.read) - (1 << 20)) / 1024 }
        #expect(offsets == [0, 12, 24, 36, 48, 60, 0, 12])
    }

    @Test func aRandomOffsetEveryNIOsAndSequentialInBetween() {
        // rw=randread:4: fio's count starts at 4, so I/Os 1-3 continue from the start, the 4th is
        // random, and each random one is followed by 3 that continue from it.
        var s = stream(.randread, blocks: 1 << 16) { $0.randomEvery = 4 }
        let blocks = (0..<16).map { _ in (s.nextOffset(.read) - (1 << 20)) / 4096 }
        #expect(Array(blocks[0..<3]) == [0, 1, 2])
        for run in stride(from: 3, to: 15, by: 4) {
            #expect(blocks[run + 1] == blocks[run] + 1 && blocks[run + 2] == blocks[run] + 2 && blocks[run + 3] == blocks[run] + 3, "\(blocks)")
        }
        let starts = stride(from: 3, to: 16, by: 4).map { blocks[$0] }
        #expect(Set(starts).count == starts.count && starts != [3, 7, 11, 15], "the run starts are drawn: \(blocks)")
    }

    @Test(arguments: [0, 25, 75, 100])
    func percentageRandomIsTheShareOfDrawnOffsets(percent: Int) {
        var s = stream(.randwrite, blocks: 1 << 20) { $0.percentageRandom = DirectionPercent(read: 100, write: percent) }
        var previous: UInt64?
        var continued = 0
        let n = 20_000
        for _ in 0..<n {
            let b = (s.nextOffset(.write) - (1 << 20)) / 4096
            if let p = previous, b == p + 1 { continued += 1 }
            previous = b
        }
        // A drawn offset continues its predecessor by chance only (1 in 2^20).
        let share = Double(continued) / Double(n) * 100
        #expect(abs(share - Double(100 - percent)) < 2, "\(share)% sequential for percentage_random=\(percent)")
    }

    @Test func withoutModifiersTheStreamIsUnchanged() {
        var plain = IOStream(rangeStart: 1 << 20, rangeLength: 64 * 4096, sizes: JobSpec(name: "j", rw: .randread).sizes, rw: .randread,
                             readPercent: 100, randomMap: true, distribution: .uniform, seed: 3)
        var fromSpec = stream(.randread) { _ in }
        #expect((0..<200).map { _ in plain.nextOffset(.read) } == (0..<200).map { _ in fromSpec.nextOffset(.read) })
    }
}
