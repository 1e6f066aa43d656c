/// The sequence of (direction, offset) a job issues: sequential per direction with wrap-around,
/// or random (a permutation per pass, or independent uniform draws with `randommap` off), and the
/// read/write mix. Deterministic for a given seed; allocation-free per call.
public struct IOStream: Sendable {
    public let rangeStart: UInt64
    public let blockSize: UInt64
    public let blocks: UInt64
    public let rw: ReadWrite
    public let readPercent: Int
    public let randomMap: Bool

    @usableFromInline var offsetRNG: Xoshiro256
    @usableFromInline var mixRNG: Xoshiro256
    var sequentialNext: (UInt64, UInt64) = (0, 0)  // next block per direction
    var permutation: BlockPermutation
    var permutationIndex: UInt64 = 0
    var pass: UInt64 = 0
    let seed: UInt64

    /// - Parameters:
    ///   - rangeStart: first byte of the job's range; `blocks` blocks of `blockSize` follow it.
    public init(rangeStart: UInt64, blockSize: UInt64, blocks: UInt64, rw: ReadWrite, readPercent: Int,
                randomMap: Bool, seed: UInt64) {
        precondition(blocks > 0 && blockSize > 0)
        self.rangeStart = rangeStart
        self.blockSize = blockSize
        self.blocks = blocks
        self.rw = rw
        self.readPercent = rw.isMixed ? readPercent : (rw.reads ? 100 : 0)
        self.randomMap = randomMap
        self.seed = seed
        offsetRNG = Xoshiro256(seed: seed)
        mixRNG = Xoshiro256(seed: seed ^ 0x5DEE_CE66_D1CE_4E5B)
        permutation = BlockPermutation(count: blocks, seed: seed)
    }

    /// Chooses the direction of the next I/O (an independent draw per I/O, like fio's rwmix).
    @inlinable
    public mutating func nextDirection() -> Direction {
        if readPercent >= 100 { return .read }
        if readPercent <= 0 { return .write }
        return mixRNG.next(below: 100) < UInt64(readPercent) ? .read : .write
    }

    /// The byte offset of the next I/O in `direction`. Never runs out: sequential streams wrap at
    /// the end of the range and random passes start over with a new permutation.
    public mutating func nextOffset(_ direction: Direction) -> UInt64 {
        let block: UInt64
        if !rw.isRandom {
            if direction == .read {
                block = sequentialNext.0
                sequentialNext.0 = block + 1 == blocks ? 0 : block + 1
            } else {
                block = sequentialNext.1
                sequentialNext.1 = block + 1 == blocks ? 0 : block + 1
            }
        } else if randomMap {
            block = permutation(permutationIndex)
            permutationIndex += 1
            if permutationIndex == blocks {
                permutationIndex = 0
                pass += 1
                permutation = BlockPermutation(count: blocks, seed: seed &+ pass &* 0x9E37_79B9_7F4A_7C15)
            }
        } else {
            block = offsetRNG.next(below: blocks)
        }
        return rangeStart + block * blockSize
    }
}
