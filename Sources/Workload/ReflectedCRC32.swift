/// A reflected 32-bit CRC (initial value and final xor 0xFFFFFFFF), slicing-by-8, in plain Swift:
/// CRC-32C and zlib's CRC-32 differ only in the polynomial.
public struct ReflectedCRC32: Sendable {
    /// 8 tables of 256 entries, table k at [k * 256].
    let tables: [UInt32]

    public init(polynomial: UInt32) {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ polynomial : c >> 1 }
            t[i] = c
        }
        for i in 0..<256 {
            for k in 1..<8 { t[k * 256 + i] = (t[(k - 1) * 256 + i] >> 8) ^ t[Int(t[(k - 1) * 256 + i] & 0xFF)] }
        }
        tables = t
    }

    /// Continues a running CRC (`crc` is the raw register, start with `start`, finish with `finish`).
    public func update(_ crc: UInt32, _ data: UnsafeRawPointer, count: Int) -> UInt32 {
        tables.withUnsafeBufferPointer { t in
            var c = crc
            var i = 0
            while i + 8 <= count {
                let word = UInt64(littleEndian: data.loadUnaligned(fromByteOffset: i, as: UInt64.self)) ^ UInt64(c)
                c = t[7 * 256 + Int(word & 0xFF)] ^ t[6 * 256 + Int((word >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((word >> 16) & 0xFF)] ^ t[4 * 256 + Int((word >> 24) & 0xFF)]
                    ^ t[3 * 256 + Int((word >> 32) & 0xFF)] ^ t[2 * 256 + Int((word >> 40) & 0xFF)]
                    ^ t[1 * 256 + Int((word >> 48) & 0xFF)] ^ t[Int(word >> 56)]
                i += 8
            }
            while i < count {
                c = t[Int((c ^ UInt32(data.load(fromByteOffset: i, as: UInt8.self))) & 0xFF)] ^ (c >> 8)
                i += 1
            }
            return c
        }
    }

    public static let start: UInt32 = 0xFFFF_FFFF
    public static func finish(_ crc: UInt32) -> UInt32 { crc ^ 0xFFFF_FFFF }

    public func checksum(_ data: UnsafeRawPointer, count: Int) -> UInt32 {
        Self.finish(update(Self.start, data, count: count))
    }

    public func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, count: $0.count) }
    }
}

/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), fio's `crc32c`.
/// `CRC32C.checksum("123456789")` is 0xE3069283.
public enum CRC32C {
    static let crc = ReflectedCRC32(polynomial: 0x82F6_3B78)
    public static let start = ReflectedCRC32.start
    public static func finish(_ c: UInt32) -> UInt32 { ReflectedCRC32.finish(c) }
    public static func update(_ c: UInt32, _ data: UnsafeRawPointer, count: Int) -> UInt32 { crc.update(c, data, count: count) }
    public static func checksum(_ data: UnsafeRawPointer, count: Int) -> UInt32 { crc.checksum(data, count: count) }
    public static func checksum(_ bytes: [UInt8]) -> UInt32 { crc.checksum(bytes) }
}

/// CRC-32 as zlib and fio's `crc32` compute it (reflected polynomial 0xEDB88320).
/// `CRC32.checksum("123456789")` is 0xCBF43926.
public enum CRC32 {
    static let crc = ReflectedCRC32(polynomial: 0xEDB8_8320)
    public static func update(_ c: UInt32, _ data: UnsafeRawPointer, count: Int) -> UInt32 { crc.update(c, data, count: count) }
    public static func checksum(_ data: UnsafeRawPointer, count: Int) -> UInt32 { crc.checksum(data, count: count) }
    public static func checksum(_ bytes: [UInt8]) -> UInt32 { crc.checksum(bytes) }
}
