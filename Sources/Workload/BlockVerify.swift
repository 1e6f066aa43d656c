/// How `--verify` checks a block's payload.
public enum VerifyMode: String, Codable, Sendable, CaseIterable {
    /// CRC-32C over the header (without its checksum field) and the payload.
    case crc32c
    /// The payload compared byte for byte with `DataPattern` for the header's (seed, offset); the
    /// checksum field covers the header only.
    case pattern
    /// zlib's CRC-32 (fio's `crc32`) over the header (without its checksum field) and the payload.
    case crc32

    var code: UInt32 {
        switch self {
        case .crc32c: 1
        case .pattern: 2
        case .crc32: 3
        }
    }

    init?(code: UInt32) {
        guard let m = Self.allCases.first(where: { $0.code == code }) else { return nil }
        self = m
    }

    /// What the header's checksum field holds, in words ("crc32c of the block").
    var checksumName: String {
        switch self {
        case .crc32c: "crc32c of the block"
        case .pattern: "crc32c of the header"
        case .crc32: "crc32 of the block"
        }
    }

    public static func parse(_ text: String, option: String = "verify") throws(InputError) -> VerifyMode {
        guard let m = VerifyMode(rawValue: text.lowercased()) else {
            throw InputError(option: option, value: text, " is not a verify mode; use crc32c, crc32 or pattern")
        }
        return m
    }
}

/// Which write put a block there: the run (wall-clock microseconds at the start of the writing
/// run, so a later run has a larger one) and the write's number within its clone (from 1).
public struct Generation: Sendable, Equatable, Codable, CustomStringConvertible {
    public var run: UInt64
    public var sequence: UInt64
    public init(run: UInt64, sequence: UInt64) { self.run = run; self.sequence = sequence }
    public var description: String { "\(run).\(sequence)" }
}

/// One block that failed verification.
public struct VerifyFailure: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        /// No verify header (magic) at the start of the block: never written with --verify, or overwritten.
        case noHeader = "no_header"
        /// Header or payload do not match the checksum (or the pattern).
        case corrupted
        /// An intact block whose header names another offset (a misdirected write).
        case misplaced
        /// An intact block written by an older write than the last one to this offset (a lost write).
        case stale
        /// An intact block of this offset but of another size or generation than expected.
        case mismatch
        /// The block could not be read (errno, or the end of the target).
        case readError = "read_error"
    }
    public var offsetBytes: UInt64
    public var kind: Kind
    public var expected: String
    public var found: String
    /// One line: "corrupted: crc32c expected 0x... found 0x..." etc.
    public var message: String

    public init(offsetBytes: UInt64, kind: Kind, expected: String, found: String, message: String) {
        self.offsetBytes = offsetBytes; self.kind = kind; self.expected = expected; self.found = found; self.message = message
    }
}

/// The verify header at the start of every block written with `--verify` (little endian):
///
/// | bytes | field |
/// |---|---|
/// | 0-7 | magic `TBVERIFY` |
/// | 8-15 | offset of the block in the target |
/// | 16-19 | length of the block |
/// | 20-23 | mode: 1 crc32c, 2 pattern, 3 crc32 |
/// | 24-31 | generation: run (wall-clock microseconds at the start of the writing run) |
/// | 32-39 | generation: sequence (the write's number within its clone, from 1) |
/// | 40-47 | data pattern seed |
/// | 48-55 | zero |
/// | 56-59 | crc32c mode: CRC-32C of bytes 0-55 and the payload (bytes 64 to the end); crc32 mode: zlib's CRC-32 of the same; pattern mode: CRC-32C of bytes 0-55 |
/// | 60-63 | zero |
///
/// The payload is `DataPattern` for (seed, offset): the same bytes as a write without --verify.
public enum BlockVerify {
    public static let headerSize = 64
    public static let magic: UInt64 = 0x5946_4952_4556_4254  // "TBVERIFY" read little endian
    static let checksumOffset = 56

    /// The largest range (in blocks) a verifying job may cover: the generation map keeps 4 bytes per block.
    public static let maxBlocks: UInt64 = 1 << 28

    /// Writes the header into a block whose payload already holds the data pattern for `offset`.
    /// Allocates nothing.
    public static func stamp(_ buffer: UnsafeMutableRawPointer, length: Int, offset: UInt64, mode: VerifyMode,
                             generation: Generation, seed: UInt64) {
        buffer.storeBytes(of: magic.littleEndian, toByteOffset: 0, as: UInt64.self)
        buffer.storeBytes(of: offset.littleEndian, toByteOffset: 8, as: UInt64.self)
        buffer.storeBytes(of: UInt32(truncatingIfNeeded: length).littleEndian, toByteOffset: 16, as: UInt32.self)
        buffer.storeBytes(of: mode.code.littleEndian, toByteOffset: 20, as: UInt32.self)
        buffer.storeBytes(of: generation.run.littleEndian, toByteOffset: 24, as: UInt64.self)
        buffer.storeBytes(of: generation.sequence.littleEndian, toByteOffset: 32, as: UInt64.self)
        buffer.storeBytes(of: seed.littleEndian, toByteOffset: 40, as: UInt64.self)
        buffer.storeBytes(of: UInt64(0), toByteOffset: 48, as: UInt64.self)
        buffer.storeBytes(of: UInt64(0), toByteOffset: 56, as: UInt64.self)
        buffer.storeBytes(of: checksum(buffer, length: length, mode: mode).littleEndian, toByteOffset: checksumOffset, as: UInt32.self)
    }

    static func checksum(_ buffer: UnsafeRawPointer, length: Int, mode: VerifyMode) -> UInt32 {
        let crc = mode == .crc32 ? CRC32.crc : CRC32C.crc
        var c = crc.update(ReflectedCRC32.start, buffer, count: checksumOffset)
        if mode != .pattern { c = crc.update(c, buffer + headerSize, count: length - headerSize) }
        return ReflectedCRC32.finish(c)
    }

    /// Checks one block read from `offset`. `expected` is the generation of the last write to this
    /// offset when known (the writing run's own verify pass), nil for `tierbench verify`.
    /// `template` is scratch space of at least `length` bytes for the pattern mode (reused across calls).
    public static func check(_ buffer: UnsafeRawPointer, length: Int, offset: UInt64, expected: Generation?,
                             template: inout PatternTemplate) -> VerifyFailure? {
        func fail(_ kind: VerifyFailure.Kind, _ expected: String, _ found: String, _ what: String) -> VerifyFailure {
            VerifyFailure(offsetBytes: offset, kind: kind, expected: expected, found: found,
                          message: "\(kind.rawValue) at offset \(offset): \(what)")
        }
        let m = UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        guard m == magic else {
            return fail(.noHeader, "magic TBVERIFY", hex(m), "no verify header (found \(hex(m)) where the magic TBVERIFY belongs)")
        }
        let codeValue = UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: 20, as: UInt32.self))
        let stored = UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: checksumOffset, as: UInt32.self))
        let headerLength = Int(UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: 16, as: UInt32.self)))
        guard let mode = VerifyMode(code: codeValue),
              headerLength >= headerSize, headerLength <= length else {
            // Mode and length are what the checksum's extent depends on: without them it cannot be computed.
            let header = CRC32C.checksum(buffer, count: checksumOffset)
            return fail(.corrupted, "mode 1, 2 or 3, length \(length)", "mode \(codeValue), length \(headerLength)",
                        "header damaged: mode \(codeValue), length \(headerLength) (header crc32c \(hex32(header)), stored \(hex32(stored)))")
        }
        let computed = checksum(buffer, length: headerLength, mode: mode)
        if computed != stored {
            return fail(.corrupted, hex32(stored), hex32(computed),
                        "\(mode.checksumName) expected \(hex32(stored)) found \(hex32(computed))")
        }
        let headerOffset = UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        let seed = UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: 40, as: UInt64.self))
        if mode == .pattern {
            if let at = template.firstMismatch(buffer, length: headerLength, offset: headerOffset, seed: seed) {
                let want = template.byte(at, offset: headerOffset)
                let got = buffer.load(fromByteOffset: at, as: UInt8.self)
                return fail(.corrupted, hex8(want), hex8(got),
                            "pattern differs at byte \(at) of the block (offset \(offset + UInt64(at))): expected \(hex8(want)) found \(hex8(got))")
            }
        }
        if headerOffset != offset {
            return fail(.misplaced, "\(offset)", "\(headerOffset)", "block written for offset \(headerOffset) found at \(offset)")
        }
        if headerLength != length {
            return fail(.mismatch, "length \(length)", "length \(headerLength)",
                        "block written with --bs \(headerLength), checked with --bs \(length)")
        }
        let found = Generation(run: UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: 24, as: UInt64.self)),
                               sequence: UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: 32, as: UInt64.self)))
        if let expected, found != expected {
            let older = found.run < expected.run || (found.run == expected.run && found.sequence < expected.sequence)
            return fail(older ? .stale : .mismatch, "\(expected)", "\(found)",
                        "\(older ? "" : "unexpected ")generation \(found), expected \(expected)\(older ? " (an older write: the last write was lost)" : "")")
        }
        return nil
    }

    /// The mode in a header (nil when the field holds neither).
    public static func mode(_ buffer: UnsafeRawPointer) -> VerifyMode? {
        VerifyMode(code: UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: 20, as: UInt32.self)))
    }

    /// The generation in an intact header (call after `check` passed).
    public static func generation(_ buffer: UnsafeRawPointer) -> Generation {
        Generation(run: UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: 24, as: UInt64.self)),
                   sequence: UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: 32, as: UInt64.self)))
    }

    static func hex(_ v: UInt64) -> String { "0x" + String(v, radix: 16, uppercase: true) }
    static func hex32(_ v: UInt32) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: max(0, 8 - s.count)) + s
    }
    static func hex8(_ v: UInt8) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return "0x" + (s.count < 2 ? "0" : "") + s
    }
}

/// The data pattern's template for one seed and block length, kept across blocks (rebuilt only
/// when the seed or length changes).
public struct PatternTemplate: ~Copyable {
    var bytes: UnsafeMutableRawPointer?
    var length = 0
    var seed: UInt64 = 0

    public init() {}
    deinit { bytes?.deallocate() }

    mutating func prepare(length: Int, seed: UInt64) {
        if bytes != nil && self.length == length && self.seed == seed { return }
        bytes?.deallocate()
        let b = UnsafeMutableRawPointer.allocate(byteCount: max(length, 8), alignment: 64)
        DataPattern.fillTemplate(b, length: length, seed: seed)
        bytes = b
        self.length = length
        self.seed = seed
    }

    /// The byte the pattern has at `index` of a block at `offset` (after `prepare`).
    func byte(_ index: Int, offset: UInt64) -> UInt8 {
        let sector = index - index % DataPattern.sectorSize
        if index - sector < 8 && sector + 8 <= length {
            return UInt8(truncatingIfNeeded: (offset + UInt64(sector)) >> (8 * UInt64(index - sector)))
        }
        return bytes!.load(fromByteOffset: index, as: UInt8.self)
    }

    /// The first byte of the payload (after the header) that differs from the pattern, if any.
    mutating func firstMismatch(_ buffer: UnsafeRawPointer, length: Int, offset: UInt64, seed: UInt64) -> Int? {
        prepare(length: length, seed: seed)
        var i = BlockVerify.headerSize
        while i < length {
            let sectorEnd = min(length, (i / DataPattern.sectorSize + 1) * DataPattern.sectorSize)
            if i % DataPattern.sectorSize == 0 && i + 8 <= length {
                let want = (offset + UInt64(i)).littleEndian
                if buffer.loadUnaligned(fromByteOffset: i, as: UInt64.self) != want {
                    for j in i..<i + 8 where buffer.load(fromByteOffset: j, as: UInt8.self) != byte(j, offset: offset) { return j }
                }
                i += 8
            }
            let t = bytes!
            while i + 8 <= sectorEnd && buffer.loadUnaligned(fromByteOffset: i, as: UInt64.self) == t.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
                i += 8
            }
            while i < sectorEnd {
                if buffer.load(fromByteOffset: i, as: UInt8.self) != t.load(fromByteOffset: i, as: UInt8.self) { return i }
                i += 1
            }
        }
        return nil
    }
}
