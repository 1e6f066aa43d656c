import Foundation
import Glibc
import Testing
@testable import Engine
@testable import Harness
import Workload
import TestSupport

/// `--verify`: CRC-32C, the block header, and the verify pass after a write job run in-process
/// (with a hook that damages the target between the job's writes and its verify pass).
@Suite(.serialized) struct VerifyTests {
    @Test func crc32cKnownAnswers() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([]) == 0)
        // RFC 3720 (iSCSI) B.4 test vectors.
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32C.checksum((0..<32).map { UInt8(31 - $0) }) == 0x113F_DB5C)
        // Slicing-by-8 agrees with the bytewise loop at every length and alignment (chained updates).
        var rng = Xoshiro256(seed: 7)
        let data = (0..<300).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        data.withUnsafeBytes { raw in
            for length in [0, 1, 7, 8, 9, 63, 64, 65, 299] {
                var bytewise = CRC32C.start
                for i in 0..<length { bytewise = CRC32C.update(bytewise, raw.baseAddress! + i, count: 1) }
                #expect(CRC32C.update(CRC32C.start, raw.baseAddress!, count: length) == bytewise, "length \(length)")
                #expect(CRC32C.update(CRC32C.start, raw.baseAddress! + 1, count: length) == CRC32C.update(CRC32C.start, Array(data[1...]).withUnsafeBytes { $0.baseAddress! }, count: length))
            }
        }
    }

    /// One block stamped as the write path does, then damaged in each way the check tells apart.
    @Test(arguments: [VerifyMode.crc32c, .pattern])
    func headerCheckTellsTheKindsApart(mode: VerifyMode) {
        let bs = 4096, offset: UInt64 = 40960, seed: UInt64 = 5
        let g = Generation(run: 100, sequence: 7)
        func block(at offset: UInt64 = 40960, _ generation: Generation = Generation(run: 100, sequence: 7)) -> [UInt8] {
            var b = DataPattern.expected(length: bs, fileOffset: offset, seed: seed)
            b.withUnsafeMutableBytes { BlockVerify.stamp($0.baseAddress!, length: bs, offset: offset, mode: mode, generation: generation, seed: seed) }
            return b
        }
        func check(_ b: [UInt8], expected: Generation? = Generation(run: 100, sequence: 7)) -> VerifyFailure? {
            var template = PatternTemplate()
            return b.withUnsafeBytes { BlockVerify.check($0.baseAddress!, length: bs, offset: offset, expected: expected, template: &template) }
        }
        #expect(check(block()) == nil)
        #expect(check(block(), expected: nil) == nil)
        // The payload is the data pattern, the header replaces only the first 64 bytes.
        #expect(Array(block()[64...]) == Array(DataPattern.expected(length: bs, fileOffset: offset, seed: seed)[64...]))

        var flipped = block()
        flipped[1000] ^= 0x01
        let f = check(flipped)
        #expect(f?.kind == .corrupted && f?.offsetBytes == offset, "\(String(describing: f))")
        if mode == .pattern { #expect(f?.message.contains("byte 1000") == true, "\(String(describing: f))") }
        else { #expect(f?.message.contains("crc32c") == true, "\(String(describing: f))") }

        var header = block()
        header[9] ^= 0x01  // the offset field: the checksum catches it before the offset is believed
        #expect(check(header)?.kind == .corrupted)

        let misplaced = check(block(at: 81920))
        #expect(misplaced?.kind == .misplaced && misplaced?.found == "81920" && misplaced?.expected == "40960")

        let stale = check(block(Generation(run: 100, sequence: 3)))
        #expect(stale?.kind == .stale && stale?.found == "100.3" && stale?.expected == "\(g)")
        #expect(check(block(Generation(run: 99, sequence: 9)))?.kind == .stale)
        #expect(check(block(Generation(run: 100, sequence: 9)))?.kind == .mismatch)

        #expect(check([UInt8](repeating: 0, count: bs))?.kind == .noHeader)
    }

    @Test(arguments: [EngineChoice.ioUring, .psync])
    func writeJobWithVerifyChecksEveryBlock(engine: EngineChoice) throws {
        let scratch = Scratch()
        let job = JobSpec(name: "w", rw: .randwrite, blockSizeBytes: 4096, iodepth: 16, sizeBytes: 2 << 20,
                          offsetBytes: 1 << 20, ioengine: engine, verify: .crc32c)
        let result = try run([job], target: scratch.file("v.dat"))
        let v = try #require(result.jobs[0].verify)
        #expect(v.blocksChecked == 512)
        #expect(v.failures == 0, "\(v.firstFailures)")
        #expect(v.mode == .crc32c)
    }

    /// A time-based job overwrites blocks many times (and with --norandommap two writes to one block
    /// could be in flight at once): the verify pass expects each block's last write, and finds it.
    @Test func timeBasedOverwritesVerifyAgainstTheLastWrite() throws {
        let scratch = Scratch()
        let job = JobSpec(name: "t", rw: .randrw, blockSizeBytes: 4096, iodepth: 32, sizeBytes: 256 << 10,
                          runtimeNanoseconds: 500_000_000, timeBased: true, randomMap: false, verify: .pattern)
        let result = try run([job], target: scratch.file("t.dat"))
        let r = result.jobs[0]
        let v = try #require(r.verify)
        #expect((r.write?.ios ?? 0) > 64 * 4, "blocks were overwritten")
        #expect(v.blocksChecked == 64)
        #expect(v.failures == 0, "\(v.firstFailures)")
    }

    /// Lost writes, the way the writer's generation map sees them: block k is put back to what an
    /// earlier run wrote there, between this run's writes and its verify pass.
    @Test func blockRevertedToAnOlderGenerationIsStale() throws {
        let scratch = Scratch()
        let path = scratch.file("s.dat")
        let bs = 4096, k = 37
        let job = JobSpec(name: "w", rw: .write, blockSizeBytes: UInt64(bs), iodepth: 4, sizeBytes: 1 << 20, verify: .crc32c)
        #expect(try run([job], target: path).jobs[0].verify?.failures == 0)
        let older = Array(try readAll(path)[k * bs..<(k + 1) * bs])

        let second = try run([job], target: path) { request in
            request.overwrite = true
            request.beforeVerifyPass = { path in
                let fd = open(path, O_WRONLY)
                _ = older.withUnsafeBytes { pwrite(fd, $0.baseAddress!, bs, off_t(k * bs)) }
                fsync(fd)
                close(fd)
            }
        }
        let v = try #require(second.jobs[0].verify)
        #expect(v.blocksChecked == 256)
        #expect(v.failures == 1)
        let f = try #require(v.firstFailures.first)
        #expect(f.kind == .stale)
        #expect(f.offsetBytes == UInt64(k * bs))
        #expect(f.message.contains("stale at offset \(k * bs): generation"), "\(f.message)")
    }

    /// The same verify pass sees flipped bytes and swapped blocks, each at its offset.
    @Test func verifyPassFindsCorruptedAndMisplacedBlocks() throws {
        let scratch = Scratch()
        let bs = 8192
        let job = JobSpec(name: "w", rw: .randwrite, blockSizeBytes: UInt64(bs), iodepth: 8, sizeBytes: 1 << 20, verify: .pattern)
        let result = try run([job], target: scratch.file("c.dat")) { request in
            request.beforeVerifyPass = { path in
                let fd = open(path, O_RDWR)
                var a = [UInt8](repeating: 0, count: bs), b = a
                _ = a.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, bs, off_t(3 * bs)) }
                _ = b.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, bs, off_t(90 * bs)) }
                _ = a.withUnsafeBytes { pwrite(fd, $0.baseAddress!, bs, off_t(90 * bs)) }
                _ = b.withUnsafeBytes { pwrite(fd, $0.baseAddress!, bs, off_t(3 * bs)) }
                var byte: UInt8 = 0
                pread(fd, &byte, 1, off_t(50 * bs + 777))
                byte ^= 0x80
                pwrite(fd, &byte, 1, off_t(50 * bs + 777))
                fsync(fd)
                close(fd)
            }
        }
        let v = try #require(result.jobs[0].verify)
        #expect(v.failures == 3)
        #expect(v.firstFailures.map(\.offsetBytes) == [UInt64(3 * bs), UInt64(50 * bs), UInt64(90 * bs)])
        #expect(v.firstFailures.map(\.kind) == [.misplaced, .corrupted, .misplaced])
        #expect(v.firstFailures[0].found == "\(90 * bs)")
        #expect(v.failuresByKind == ["misplaced": 2, "corrupted": 1])
    }
}

/// fio's `crc32` is zlib's: known answers, and agreement with Python's zlib.crc32 on random data.
@Suite struct CRC32Tests {
    @Test func knownAnswers() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
        #expect(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
    }

    @Test func matchesZlib() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { try Test.cancel("python3 is not installed: no zlib to compare with") }
        let s = Scratch()
        var rng = Xoshiro256(seed: 11)
        for length in [1, 7, 8, 9, 64, 4031, 4096, 65_537] {
            let data = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let file = s.file("d\(length)")
            try Data(data).write(to: URL(fileURLWithPath: file))
            let out = try execute("/usr/bin/python3", ["-c", "import sys, zlib; print(zlib.crc32(open(sys.argv[1], 'rb').read()))", file])
            #expect(out.status == 0, "\(out.stderr)")
            #expect(UInt32(out.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) == CRC32.checksum(data), "length \(length)")
        }
    }
}
