/// The sequence of (direction, offset, length) a job issues: sequential per direction with
/// wrap-around, or random (a permutation per pass, independent uniform draws with `randommap`
/// off, or a skewed `random_distribution`), the read/write mix and the block sizes.
/// Deterministic for a given seed; allocation-free per call.
public struct IOStream: Sendable {
    public let rangeStart: UInt64
    /// Bytes of the range (offsets and lengths stay inside it).
    public let rangeLength: UInt64
    /// The read direction's offset unit (its smallest block) and the number of such blocks.
    public let blockSize: UInt64
    public let blocks: UInt64
    public let rw: ReadWrite
    public let readPercent: Int
    public let randomMap: Bool
    public let sizes: BlockSizes

    @usableFromInline var mixRNG: Xoshiro256
    var sequentialNext: (UInt64, UInt64) = (0, 0)  // next byte (from rangeStart) per direction
    var sources: (OffsetSource, OffsetSource)
    /// Both directions draw from `sources.0` (their offset units are equal), as fio's one random map per file.
    let sharedSource: Bool
    var lengths: BlockLengthPicker
    let fixedLengths: Bool
    /// Random I/O of several sizes under the random map: fio's map of blocks done (see `next`).
    let doneMap: BlockBitmap?
    /// fio's `rw=read:8k` (`ddir_seq_add`): a sequential stream skips this many bytes before every
    /// I/O but the first of a pass.
    public private(set) var holeBytes: UInt64 = 0
    /// fio's `rw=randread:N` (`ddir_seq_nr`): a random stream draws an offset every N-th I/O (the
    /// count shared by both directions, as fio's), and continues sequentially in between.
    public private(set) var randomEvery: UInt64 = 1
    var untilRandom: UInt64 = 1
    /// fio's `percentage_random` per direction: of the I/Os due a random offset, this share gets
    /// one (`should_do_random`); the others continue sequentially.
    public private(set) var percentRandom: (read: Int, write: Int) = (100, 100)
    var sequenceRNG = Xoshiro256(seed: 0x7365_7172_616E_64)

    /// A stream with one block size: `blocks` blocks of `blockSize` follow `rangeStart`.
    public init(rangeStart: UInt64, blockSize: UInt64, blocks: UInt64, rw: ReadWrite, readPercent: Int,
                randomMap: Bool, seed: UInt64) {
        self.init(rangeStart: rangeStart, rangeLength: blocks * blockSize,
                  sizes: BlockSizes(read: BlockSizeChoice(fixed: blockSize), write: BlockSizeChoice(fixed: blockSize)),
                  rw: rw, readPercent: readPercent, randomMap: randomMap, distribution: .uniform, seed: seed)
    }

    /// - Parameters:
    ///   - rangeLength: bytes of the range; each direction's random offsets are multiples of its
    ///     smallest block (fio's default `blockalign`), lengths come from `sizes`.
    public init(rangeStart: UInt64, rangeLength: UInt64, sizes: BlockSizes, rw: ReadWrite, readPercent: Int,
                randomMap: Bool, distribution: RandomDistribution, seed: UInt64) {
        let readUnit = sizes.read.minBytes, writeUnit = sizes.write.minBytes
        precondition(readUnit > 0 && writeUnit > 0 && rangeLength >= min(readUnit, writeUnit))
        self.rangeStart = rangeStart
        self.rangeLength = rangeLength
        self.sizes = sizes
        self.rw = rw
        self.readPercent = rw.isMixed ? readPercent : (rw.reads ? 100 : 0)
        self.randomMap = randomMap && distribution.isUniform
        blockSize = readUnit
        blocks = max(1, rangeLength / readUnit)
        mixRNG = Xoshiro256(seed: seed ^ 0x5DEE_CE66_D1CE_4E5B)
        sharedSource = readUnit == writeUnit || !rw.isMixed
        let firstUnit = rw.reads ? readUnit : writeUnit
        let first = OffsetSource(unit: firstUnit, blocks: max(1, rangeLength / firstUnit), randomMap: self.randomMap,
                                 distribution: distribution, seed: seed)
        let second = sharedSource ? first
            : OffsetSource(unit: writeUnit, blocks: max(1, rangeLength / writeUnit), randomMap: self.randomMap,
                           distribution: distribution, seed: seed ^ 0x7772_6974_6531)
        sources = (first, second)
        lengths = BlockLengthPicker(sizes, seed: seed)
        fixedLengths = sizes.read.isFixed && sizes.write.isFixed
        doneMap = rw.isRandom && self.randomMap && !fixedLengths && sharedSource
            ? BlockBitmap(count: first.blocks) : nil
    }

    /// The stream of a job's clone over its range: the job's directions, mix, block sizes, random
    /// map, distribution, and fio's `rw=...:N` and `percentage_random`.
    public init(_ spec: JobSpec, rangeStart: UInt64, rangeLength: UInt64, seed: UInt64) {
        self.init(rangeStart: rangeStart, rangeLength: rangeLength, sizes: spec.sizes, rw: spec.rw,
                  readPercent: spec.rwmixread, randomMap: spec.randomMap, distribution: spec.randomDistribution ?? .uniform, seed: seed)
        holeBytes = spec.rw.isRandom ? 0 : spec.sequentialHoleBytes ?? 0
        randomEvery = spec.rw.isRandom ? UInt64(max(1, spec.randomEvery ?? 1)) : 1
        untilRandom = randomEvery
        if spec.rw.isRandom, let p = spec.percentageRandom { percentRandom = (p.read, p.write) }
        sequenceRNG = Xoshiro256(seed: seed ^ 0x7065_7263_7261_6E64)
    }

    /// Chooses the direction of the next I/O (an independent draw per I/O, like fio's rwmix).
    @inlinable
    public mutating func nextDirection() -> Direction {
        if readPercent >= 100 { return .read }
        if readPercent <= 0 { return .write }
        return mixRNG.next(below: 100) < UInt64(readPercent) ? .read : .write
    }

    /// The byte offset of the next I/O in `direction` (one-size streams).
    public mutating func nextOffset(_ direction: Direction) -> UInt64 { next(direction).offset }

    /// The offset and length of the next I/O in `direction`. Never runs out: sequential streams
    /// wrap at the end of the range and random passes start over with a new permutation.
    public mutating func next(_ direction: Direction) -> (offset: UInt64, length: UInt64) {
        let choice = direction == .read ? sizes.read : sizes.write
        if !rw.isRandom || !drawsRandom(direction) {
            var position = direction == .read ? sequentialNext.0 : sequentialNext.1
            if position > 0 { position &+= holeBytes }
            if position >= rangeLength || rangeLength - position < choice.minBytes { position = 0 }
            let length = fixedLengths ? choice.minBytes : lengths.next(direction, room: rangeLength - position)
            return advanced(direction, position, length)
        }
        guard randomEvery > 1 || percentRandom != (100, 100) else { return random(direction, choice: choice) }
        let (offset, length) = random(direction, choice: choice)
        return advanced(direction, offset - rangeStart, length)
    }

    /// Whether a random stream's next I/O gets a random offset (fio's `ddir_seq_nr` count, then
    /// `should_do_random`).
    @inline(__always) mutating func drawsRandom(_ direction: Direction) -> Bool {
        if randomEvery > 1 {
            untilRandom -= 1
            guard untilRandom == 0 else { return false }
            untilRandom = randomEvery
        }
        let percent = direction == .read ? percentRandom.read : percentRandom.write
        return percent >= 100 || sequenceRNG.next(below: 100) < UInt64(percent)
    }

    /// Records where `direction` continues sequentially (fio's `last_pos`) and returns the I/O.
    @inline(__always) mutating func advanced(_ direction: Direction, _ position: UInt64, _ length: UInt64) -> (offset: UInt64, length: UInt64) {
        if direction == .read { sequentialNext.0 = position + length } else { sequentialNext.1 = position + length }
        return (rangeStart + position, length)
    }

    mutating func random(_ direction: Direction, choice: BlockSizeChoice) -> (offset: UInt64, length: UInt64) {
        if let map = doneMap { return nextMapped(direction, choice: choice, map: map) }
        let position: UInt64
        if sharedSource || direction == .read {
            position = sources.0.next() * sources.0.unit
        } else {
            position = sources.1.next() * sources.1.unit
        }
        let length = fixedLengths ? choice.minBytes : lengths.next(direction, room: rangeLength - position)
        return (rangeStart + position, length)
    }
}

extension IOStream {
    /// fio's random map with several block sizes (io_u.c): a uniform block, or the next one not
    /// done yet when it is; the I/O's drawn length is cut at the first block already done
    /// (`mark_random_map`), so every block is done once per pass. A full map starts a new pass.
    mutating func nextMapped(_ direction: Direction, choice: BlockSizeChoice, map: BlockBitmap) -> (offset: UInt64, length: UInt64) {
        if map.used >= map.count { map.reset() }
        let unit = sources.0.unit
        var block = sources.0.rng.next(below: map.count)
        if map.isSet(block) { block = map.nextFree(from: block) }
        let position = block * unit
        var length = lengths.next(direction, room: rangeLength - position)
        let done = map.setRun(from: block, upTo: (length + unit - 1) / unit)
        if done * unit < length { length = done * unit }
        return (rangeStart + position, length)
    }
}

/// A bit per block (fio's axmap, flat): which blocks a pass has done. Allocated once; nil when it
/// would exceed 128 MiB (2^30 blocks), where the stream keeps its permutation instead.
final class BlockBitmap: @unchecked Sendable {
    let count: UInt64
    let wordCount: Int
    let words: UnsafeMutablePointer<UInt64>
    private(set) var used: UInt64 = 0

    init?(count: UInt64) {
        guard count > 0 && count <= 1 << 30 else { return nil }
        self.count = count
        wordCount = Int((count + 63) / 64)
        words = .allocate(capacity: wordCount)
        words.initialize(repeating: 0, count: wordCount)
    }
    deinit { words.deallocate() }

    func reset() { words.update(repeating: 0, count: wordCount); used = 0 }

    @inline(__always) func isSet(_ b: UInt64) -> Bool { words[Int(b >> 6)] & (1 << (b & 63)) != 0 }

    /// The first block not done at or after `b`, wrapping to the start (the map is not full).
    func nextFree(from b: UInt64) -> UInt64 {
        var w = Int(b >> 6)
        var bits = ~words[w] & (~0 << (b & 63))
        var scanned = 0
        while bits == 0 {
            w = w + 1 == wordCount ? 0 : w + 1
            bits = ~words[w]
            scanned += 1
            if scanned > wordCount { return b }  // full: cannot happen, the caller resets first
        }
        let found = UInt64(w) << 6 + UInt64(bits.trailingZeroBitCount)
        return found < count ? found : nextFree(from: 0)
    }

    /// Marks up to `n` blocks from `b` done, stopping at the end of the range or at a block
    /// already done; returns how many it marked (at least 1: `b` is free).
    func setRun(from b: UInt64, upTo n: UInt64) -> UInt64 {
        var marked: UInt64 = 0
        var block = b
        while marked < n && block < count && !isSet(block) {
            words[Int(block >> 6)] |= 1 << (block & 63)
            marked += 1
            block += 1
        }
        used += marked
        return marked
    }
}

/// Random block indices of one direction: a keyed permutation per pass (fio's random map), uniform
/// independent draws (`norandommap`), or a `random_distribution`.
struct OffsetSource: Sendable {
    let unit: UInt64
    let blocks: UInt64
    let randomMap: Bool
    let seed: UInt64
    var rng: Xoshiro256
    var permutation: BlockPermutation
    var index: UInt64 = 0
    var pass: UInt64 = 0
    var distribution: DistributionGenerator?

    init(unit: UInt64, blocks: UInt64, randomMap: Bool, distribution: RandomDistribution, seed: UInt64) {
        self.unit = unit; self.blocks = blocks; self.randomMap = randomMap; self.seed = seed
        rng = Xoshiro256(seed: seed)
        permutation = BlockPermutation(count: blocks, seed: seed)
        self.distribution = distribution.isUniform ? nil : DistributionGenerator(distribution, count: blocks, unit: unit, seed: seed)
    }

    mutating func next() -> UInt64 {
        if distribution != nil { return distribution!.next() }
        if !randomMap { return rng.next(below: blocks) }
        let block = permutation(index)
        index += 1
        if index == blocks {
            index = 0
            pass += 1
            permutation = BlockPermutation(count: blocks, seed: seed &+ pass &* 0x9E37_79B9_7F4A_7C15)
        }
        return block
    }
}
