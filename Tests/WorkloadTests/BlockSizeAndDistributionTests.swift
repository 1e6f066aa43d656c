import Foundation
import Testing
@testable import Workload

/// Per-direction block sizes, bsrange and bssplit as fio parses and draws them.
@Suite struct BlockSizeTests {
    @Test func perDirectionListsFollowFio() throws {
        // "a" = all; "a,b" = read a, write b; ",b" = default read; a third (trim) value is ignored.
        let one = try BlockSizes.parse(bs: "8k", bsrange: nil, bssplit: nil)
        #expect(one.read == BlockSizeChoice(fixed: 8192) && one.write == BlockSizeChoice(fixed: 8192))
        let two = try BlockSizes.parse(bs: "4k,64k", bsrange: nil, bssplit: nil)
        #expect(two.read.minBytes == 4096 && two.write.minBytes == 65536)
        let onlyWrite = try BlockSizes.parse(bs: ",16k", bsrange: nil, bssplit: nil)
        #expect(onlyWrite.read.minBytes == 4096 && onlyWrite.write.minBytes == 16384)
        let onlyRead = try BlockSizes.parse(bs: "16k,", bsrange: nil, bssplit: nil)
        #expect(onlyRead.read.minBytes == 16384 && onlyRead.write.minBytes == 4096)
        let trim = try BlockSizes.parse(bs: "4k,8k,1m", bsrange: nil, bssplit: nil)
        #expect(trim.read.minBytes == 4096 && trim.write.minBytes == 8192)
        #expect(throws: InputError.self) { try BlockSizes.parse(bs: "4k,8k,1m,2m", bsrange: nil, bssplit: nil) }
    }

    @Test func bssplitSortsAndFillsBlankPercentagesAsFio() throws {
        // HOWTO: bssplit=4k/50:1k/:32k/ is 50% 4k, 25% 1k and 25% 32k.
        let s = try BlockSizes.parse(bs: nil, bsrange: nil, bssplit: "4k/50:1k/:32k/").read
        #expect(s.split == [BlockSplitEntry(bytes: 1024, percent: 25), BlockSplitEntry(bytes: 4096, percent: 50),
                            BlockSplitEntry(bytes: 32768, percent: 25)])
        #expect(s.minBytes == 1024 && s.maxBytes == 32768)
        // Three blanks share 100: 33, 33 and the rest (34), so the split still adds up to 100.
        let three = try BlockSizes.parse(bs: nil, bsrange: nil, bssplit: "1k/:2k/:4k/").read
        #expect(three.split?.map(\.percent).reduce(0, +) == 100)
        #expect(throws: InputError.self) { try BlockSizes.parse(bs: nil, bsrange: nil, bssplit: "4k/60:8k/60") }
        #expect(throws: InputError.self) { try BlockSizes.parse(bs: nil, bsrange: nil, bssplit: "4k/50:8k/40") }
        let perDirection = try BlockSizes.parse(bs: nil, bsrange: nil, bssplit: "2k/50:4k/50,4k/90:8k/10")
        #expect(perDirection.read.split?.map(\.bytes) == [2048, 4096] && perDirection.write.split?.map(\.percent) == [90, 10])
    }

    @Test func bssplitDrawsTheRequestedShares() throws {
        let sizes = try BlockSizes.parse(bs: nil, bsrange: nil, bssplit: "4k/10:64k/50:32k/40")
        var picker = BlockLengthPicker(sizes, seed: 1)
        var counts: [UInt64: Int] = [:]
        let n = 200_000
        for _ in 0..<n { counts[picker.next(.read, room: .max), default: 0] += 1 }
        for (bytes, percent) in [(4096 as UInt64, 10.0), (32768, 40), (65536, 50)] {
            let share = Double(counts[bytes] ?? 0) * 100 / Double(n)
            #expect(abs(share - percent) < 0.5, "\(bytes): \(share)% instead of \(percent)%")
        }
        #expect(counts.count == 3)
    }

    @Test func bsrangeGivesMultiplesOfTheMinimumUpToTheMaximumAsFio() throws {
        // fio's get_next_buflen: min + max * u, rounded down to a multiple of min, capped at max.
        let sizes = try BlockSizes.parse(bs: nil, bsrange: "4k-16k", bssplit: nil)
        var picker = BlockLengthPicker(sizes, seed: 9)
        var counts: [UInt64: Int] = [:]
        for _ in 0..<100_000 { counts[picker.next(.write, room: .max), default: 0] += 1 }
        #expect(Set(counts.keys) == [4096, 8192, 12288, 16384])
        for (_, c) in counts { #expect(abs(Double(c) / 1000 - 25) < 1) }
        // 4k-6k: 4k, or 8k capped to 6k (not a multiple of 4k: fio does the same).
        var odd = BlockLengthPicker(try BlockSizes.parse(bs: nil, bsrange: "4k-6k", bssplit: nil), seed: 9)
        #expect(Set((0..<10_000).map { _ in odd.next(.read, room: .max) }) == [4096, 6144])
        // fio also takes MIN:MAX.
        #expect(try BlockSizes.parse(bs: nil, bsrange: "4k:16k", bssplit: nil).read == BlockSizeChoice(minBytes: 4096, maxBytes: 16384))
        // Near the end of the range only what fits is drawn.
        #expect((0..<1000).allSatisfy { _ in picker.next(.read, room: 8192) <= 8192 })
    }

    @Test func streamLengthsStayInsideTheRangeAndOffsetsAligned() throws {
        let sizes = try BlockSizes.parse(bs: nil, bsrange: "4k-64k", bssplit: nil)
        for rw in [ReadWrite.read, .randread] {
            var s = IOStream(rangeStart: 1 << 20, rangeLength: 1 << 20, sizes: sizes, rw: rw, readPercent: 100,
                             randomMap: true, distribution: .uniform, seed: 3)
            for _ in 0..<20_000 {
                let io = s.next(.read)
                #expect(io.offset >= 1 << 20 && io.offset + io.length <= 2 << 20)
                #expect(io.offset % 4096 == 0 && io.length % 4096 == 0 && (4096...65536).contains(io.length))
            }
        }
    }
}

/// random_distribution against fio's own generator, `fio-genzipf`: the share of hits on the most
/// hit blocks must match what it prints for the same parameters.
@Suite struct DistributionTests {
    static let genzipf = ["/usr/bin/fio-genzipf", "/usr/local/bin/fio-genzipf"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// fio-genzipf's "Sum %" column for the 20 rows (each 5% of the distinct blocks hit, most hit first).
    static func fioRows(_ type: String, _ input: String) throws -> [Double] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: genzipf!)
        p.arguments = ["-t", type, "-i", input, "-g", "1", "-b", "4096"]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return text.split(separator: "\n").filter { $0.hasPrefix("Top") || $0.hasPrefix("|->") }.compactMap { line in
            let fields = line.split(whereSeparator: { $0 == "\t" || $0 == " " })
            return fields.count >= 4 ? Double(fields[3].dropLast()) : nil
        }
    }

    /// The same rows from tierbench's generator: as many draws as blocks (as fio-genzipf does).
    static func ourRows(_ d: RandomDistribution) -> [Double] {
        let n: UInt64 = (1 << 30) / 4096
        var g = DistributionGenerator(d, count: n, seed: 1)
        var hits = [UInt32](repeating: 0, count: Int(n))
        for _ in 0..<n { hits[Int(g.next())] += 1 }
        let sorted = hits.filter { $0 > 0 }.sorted(by: >)
        let step = (sorted.count - 1) / 20 + 1
        var rows: [Double] = []
        var sum = 0
        for (k, h) in sorted.enumerated() {
            sum += Int(h)
            if k == rows.count * step + step - 1 || k == sorted.count - 1 { rows.append(Double(sum) * 100 / Double(n)) }
        }
        return rows
    }

    @Test(.enabled(if: genzipf != nil, "fio-genzipf is not installed (apt-get install fio)"),
          arguments: [("zipf", "1.2"), ("zipf", "0.8"), ("pareto", "0.3"), ("normal", "20")])
    func hitSharesMatchFioGenzipf(type: String, input: String) throws {
        let expected = try Self.fioRows(type, input)
        try #require(expected.count == 20, "could not read fio-genzipf's table")
        let d = try RandomDistribution.parse("\(type):\(input)")
        let ours = Self.ourRows(d)
        // Top 5%, 10% and 50% of the blocks hit: within 3 percentage points of fio's.
        for row in [0, 1, 9] {
            #expect(abs(ours[row] - expected[row]) < 3,
                    "\(type):\(input) top \((row + 1) * 5)%: \(ours[row])% of hits, fio-genzipf \(expected[row])%")
        }
    }

    @Test func normalSpreadFollowsSigmaAndUniformIsFlat() {
        let n: UInt64 = 100_000
        func topTenPercentShare(_ d: RandomDistribution) -> Double {
            var g = DistributionGenerator(d, count: n, seed: 5)
            var hits = [Int](repeating: 0, count: Int(n))
            for _ in 0..<(n * 4) { hits[Int(g.next())] += 1 }
            let sorted = hits.sorted(by: >)
            return Double(sorted.prefix(Int(n / 10)).reduce(0, +)) / Double(n * 4)
        }
        let narrow = topTenPercentShare(RandomDistribution(kind: .normal, parameter: 5))
        let wide = topTenPercentShare(RandomDistribution(kind: .normal, parameter: 50))
        let uniform = topTenPercentShare(.uniform)
        // A narrower normal puts more of the hits on fewer blocks; uniform is near its 10% floor
        // (plus Poisson spread: about 24% at 4 hits per block).
        #expect(narrow > wide && wide > uniform, "\(narrow) \(wide) \(uniform)")
        #expect(narrow > 0.4 && uniform < 0.3)
    }

    @Test func parseRefusesWhatFioRefuses() throws {
        for bad in ["zipf:1", "zipf:-2", "pareto:1.5", "normal:150", "zipf:1.2:2", "zoned:50/50", "gauss:3", "zipf:1.2,zipf:1.1"] {
            #expect(throws: InputError.self, "\(bad)") { try RandomDistribution.parse(bad) }
        }
        #expect(try RandomDistribution.parse("zipf:1.2:0.25") == RandomDistribution(kind: .zipf, parameter: 1.2, center: 0.25))
    }

    /// A bare name takes fio's default (fio.h FIO_DEF_ZIPF, FIO_DEF_PARETO; normal: 0).
    @Test func bareNamesTakeFiosDefaults() throws {
        #expect(try RandomDistribution.parse("zipf") == RandomDistribution(kind: .zipf, parameter: 1.1))
        #expect(try RandomDistribution.parse("pareto") == RandomDistribution(kind: .pareto, parameter: 0.2))
        #expect(try RandomDistribution.parse("normal") == RandomDistribution(kind: .normal, parameter: 0))
    }
}

/// fio's random map with several block sizes: every smallest block once per pass, I/Os cut at a
/// block already done.
@Suite struct RandomMapWithSeveralSizesTests {
    @Test func everyBlockOncePerPassAndLengthsCutAtDoneBlocks() throws {
        let sizes = try BlockSizes.parse(bs: nil, bsrange: nil, bssplit: "4k/20:16k/30:64k/50")
        let blocks: UInt64 = 1000
        var s = IOStream(rangeStart: 4096, rangeLength: blocks * 4096, sizes: sizes, rw: .randread, readPercent: 100,
                         randomMap: true, distribution: .uniform, seed: 5)
        for _ in 0..<3 {  // three passes
            var done = [Bool](repeating: false, count: Int(blocks))
            var covered: UInt64 = 0
            var shortened = 0
            while covered < blocks {
                let io = s.next(.read)
                #expect(io.offset % 4096 == 0 && io.length % 4096 == 0 && io.length >= 4096)
                if ![4096, 16384, 65536].contains(io.length) { shortened += 1 }
                let first = Int((io.offset - 4096) / 4096)
                for b in first..<first + Int(io.length / 4096) {
                    #expect(!done[b], "block \(b) done twice in one pass")
                    done[b] = true
                }
                covered += io.length / 4096
            }
            #expect(done.allSatisfy { $0 })
            #expect(shortened > 0, "some I/Os run into done blocks and are cut, as in fio")
        }
    }
}
