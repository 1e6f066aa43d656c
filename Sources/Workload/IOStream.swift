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
        if !rw.isRandom {
            var position = direction == .read ? sequentialNext.0 : sequentialNext.1
            if rangeLength - position < choice.minBytes { position = 0 }
            let length = fixedLengths ? choice.minBytes : lengths.next(direction, room: rangeLength - position)
            if direction == .read { sequentialNext.0 = position + length } else { sequentialNext.1 = position + length }
            return (rangeStart + position, length)
        }
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
        self.distribution = distribution.isUniform ? nil : DistributionGenerator(distribution, count: blocks, seed: seed)
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
