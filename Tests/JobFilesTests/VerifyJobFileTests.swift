import Foundation
import Testing
import TestSupport

/// fio's verify in job files (corpus 47-49): the write-then-read pair, do_verify=0, verify_only
/// (which writes nothing), a block damaged between two runs reported at its offset, and blocks
/// never written with verify reported as such.
@Suite struct VerifyJobFileTests {
    let blocks = 256

    func run(_ name: String, _ target: String) throws -> Outcome {
        try tierbench(["run", "\(corpusDirectory)/\(name)", "--target", target, "--progress", "never", "--output-format", "json"])
    }

    @Test func theReadJobOfThePairChecksWhatTheWriteJobWrote() throws {
        let s = Scratch()
        let out = try run("47-verify-pair.fio", s.file("t.data"))
        #expect(out.status == 0, "\(out.stderr)")
        let json = try #require(out.json)
        #expect(json.at("jobs", "1", "parameters", "verify") as? String == "crc32")
        #expect(json.at("jobs", "1", "parameters", "verify_check") as? String == "headers")
        #expect(json.int("jobs", "1", "verify", "blocks_checked") == blocks)
        #expect(json.int("jobs", "1", "verify", "failures") == 0)
        #expect(out.stderr.contains("verify: job check: \(blocks) blocks checked (crc32), 0 failed"), "\(out.stderr)")
    }

    @Test func doVerifyOffWritesHeadersAndVerifyOnlyChecksThemWithoutWriting() throws {
        let s = Scratch()
        let target = s.file("t.data")
        let write = try run("48-do-verify-off.fio", target)
        #expect(write.status == 0, "\(write.stderr)")
        #expect(write.json?.at("jobs", "0", "verify") == nil, "do_verify=0 checks nothing")
        #expect(!write.stderr.contains("blocks checked"), "\(write.stderr)")
        // One byte flipped in block 77 between the runs.
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: target)))
        bytes[77 * 4096 + 2049] ^= 0x04
        try Data(bytes).write(to: URL(fileURLWithPath: target))
        let before = try FileManager.default.attributesOfItem(atPath: target)[.modificationDate] as? Date
        let check = try run("49-verify-only.fio", target)
        #expect(check.status == 4, "\(check.stderr)")
        #expect(check.stderr.contains("verify: job write: corrupted at offset \(77 * 4096): crc32c of the block expected"), "\(check.stderr)")
        #expect(check.json?.int("jobs", "0", "verify", "failures") == 1)
        #expect(check.json?.int("jobs", "0", "verify", "blocks_checked") == blocks)
        #expect(check.json?.int("jobs", "0", "write", "bytes") ?? 0 == 0, "verify_only writes nothing")
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == Data(bytes), "verify_only changed the target")
        #expect(try FileManager.default.attributesOfItem(atPath: target)[.modificationDate] as? Date == before)
    }

    @Test func blocksNeverWrittenWithVerifySayWhatToDo() throws {
        let s = Scratch()
        let target = s.file("plain.data")
        try Data(count: 1 << 20).write(to: URL(fileURLWithPath: target))
        let out = try run("49-verify-only.fio", target)
        #expect(out.status == 4, "\(out.stderr)")
        #expect(out.stderr.contains("note: job write: \(blocks) of \(blocks) blocks have no tierbench verify header"), "\(out.stderr)")
        #expect(out.stderr.contains("run the writing job with verify=crc32c first"), "\(out.stderr)")
        #expect(out.stderr.contains("no_header at offset 0:"), "\(out.stderr)")
    }

    @Test func refusalsAndConflictsNameTheFix() throws {
        let s = Scratch()
        for (body, message) in [
            ("[j]\nrw=write\nverify=sha256\n", "verify=sha256 is valid fio but tierbench's header holds a 32-bit checksum (crc32c or crc32); give verify=crc32c"),
            ("[j]\nrw=write\nverify=pattern\nverify_pattern=0xff\n", "verify=pattern (only the verify_pattern bytes, no header) is valid fio"),
            ("[j]\nrw=write\nverify_only\n", "verify_only checks blocks written with verify"),
        ] {
            let f = s.write("j.fio", body)
            let out = try tierbench(["explain", f])
            #expect(out.status != 0 && out.stderr.contains(message), "\(body): \(out.stderr)")
        }
    }
}
