/// The bytes tierbench writes: a seeded pseudo-random fill (incompressible, like fio's default
/// buffers) with the 8-byte little-endian file offset stamped at the start of every 512-byte
/// sector, so that no two blocks are alike and a block found at the wrong offset can be told.
public enum DataPattern {
    public static let sectorSize = 512

    /// The seed of the layout pass's data, distinct from the jobs' so the two can be told apart.
    public static func layoutSeed(_ seed: UInt64) -> UInt64 { seed ^ 0x4C41_594F_5554 }

    /// Fills `length` bytes at `buffer` with the seeded template (the same for every slot).
    public static func fillTemplate(_ buffer: UnsafeMutableRawPointer, length: Int, seed: UInt64) {
        var rng = Xoshiro256(seed: seed ^ 0xDA7A_DA7A_DA7A_DA7A)
        var i = 0
        while i + 8 <= length {
            buffer.storeBytes(of: rng.next().littleEndian, toByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < length { buffer.storeBytes(of: UInt8(truncatingIfNeeded: rng.next()), toByteOffset: i, as: UInt8.self); i += 1 }
    }

    /// Stamps the file offset of each sector into a buffer that will be written at `fileOffset`.
    @inlinable
    public static func stamp(_ buffer: UnsafeMutableRawPointer, length: Int, fileOffset: UInt64) {
        var i = 0
        while i + 8 <= length {
            buffer.storeBytes(of: (fileOffset + UInt64(i)).littleEndian, toByteOffset: i, as: UInt64.self)
            i += sectorSize
        }
    }

    /// The exact bytes a write of `length` bytes at `fileOffset` puts on disk.
    public static func expected(length: Int, fileOffset: UInt64, seed: UInt64) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: length)
        bytes.withUnsafeMutableBytes { raw in
            fillTemplate(raw.baseAddress!, length: length, seed: seed)
            stamp(raw.baseAddress!, length: length, fileOffset: fileOffset)
        }
        return bytes
    }
}

/// An order-independent digest of what reads returned: the wrapping sum over I/Os of a 64-bit
/// hash of (offset, bytes). Tests compare it with the same digest of the file read by plain reads.
public enum ReadDigest {
    @inlinable
    public static func hash(offset: UInt64, _ buffer: UnsafeRawPointer, length: Int) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ offset
        var i = 0
        while i + 8 <= length {
            h = (h ^ buffer.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x0000_0100_0000_01B3
            h ^= h >> 31
            i += 8
        }
        while i < length {
            h = (h ^ UInt64(buffer.load(fromByteOffset: i, as: UInt8.self))) &* 0x0000_0100_0000_01B3
            i += 1
        }
        return h
    }
}
