/// xoshiro256** seeded through splitmix64: fast, reproducible (fio's `randrepeat`), no syscalls.
public struct Xoshiro256: RandomNumberGenerator, Sendable {
    @usableFromInline var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    public init(seed: UInt64) {
        var sm = SplitMix64(state: seed)
        s0 = sm.next(); s1 = sm.next(); s2 = sm.next(); s3 = sm.next()
    }

    @inlinable
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// A uniform value in `0..<bound` (Lemire's multiply-high; bias below 2^-64 * bound).
    @inlinable
    public mutating func next(below bound: UInt64) -> UInt64 {
        bound.multipliedFullWidth(by: next()).high
    }
}

public struct SplitMix64: Sendable {
    public var state: UInt64
    public init(state: UInt64) { self.state = state }
    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A keyed permutation of `0..<count` (a 4-round Feistel network over the next even power of two,
/// cycle-walked into range). It is fio's random map without the map: every block exactly once per
/// pass, O(1) memory whatever the device size, a few multiplications per offset.
public struct BlockPermutation: Sendable {
    public let count: UInt64
    @usableFromInline let halfBits: UInt64
    @usableFromInline let halfMask: UInt64
    @usableFromInline let keys: (UInt64, UInt64, UInt64, UInt64)

    public init(count: UInt64, seed: UInt64) {
        precondition(count > 0)
        self.count = count
        let bits = count <= 1 ? 1 : UInt64(64 - (count - 1).leadingZeroBitCount)
        halfBits = max(1, (bits + 1) / 2)
        halfMask = (1 << halfBits) - 1
        var sm = SplitMix64(state: seed)
        keys = (sm.next(), sm.next(), sm.next(), sm.next())
    }

    @inlinable
    func round(_ value: UInt64, _ key: UInt64) -> UInt64 {
        var z = (value ^ key) &* 0x9E37_79B9_7F4A_7C15
        z ^= z >> 29
        z = z &* 0xBF58_476D_1CE4_E5B9
        z ^= z >> 32
        return z & halfMask
    }

    @inlinable
    func permuteDomain(_ x: UInt64) -> UInt64 {
        var left = x >> halfBits
        var right = x & halfMask
        // Four rounds, unrolled: a loop over a tuple would need an array (an allocation).
        var next = left ^ round(right, keys.0); left = right; right = next
        next = left ^ round(right, keys.1); left = right; right = next
        next = left ^ round(right, keys.2); left = right; right = next
        next = left ^ round(right, keys.3); left = right; right = next
        return (left << halfBits) | right
    }

    /// The image of `index` (which must be below `count`).
    @inlinable
    public func callAsFunction(_ index: UInt64) -> UInt64 {
        var y = permuteDomain(index)
        while y >= count { y = permuteDomain(y) }
        return y
    }
}
