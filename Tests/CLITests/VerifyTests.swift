import Foundation
import Glibc
import Testing
import TestSupport

/// `tierbench run --verify` and `tierbench verify`: a target written with --verify, damaged in
/// three ways between the write and the check, each failure reported at its offset, exit status 4.
@Suite struct VerifyCLITests {
    let bs = 4096
    let blocks = 256

    /// Writes `path` with --verify; returns the run's JSON.
    func write(_ s: Scratch, _ path: String, mode: String = "crc32c", overwrite: Bool = false) throws -> [String: Any] {
        let o = try tierbench(["run", "--target", path, "--rw", "randwrite", "--bs", "4k", "--size", "1m", "--iodepth", "8",
                               "--verify", mode, "--output-format", "json"] + (overwrite ? ["--overwrite"] : []))
        #expect(o.status == 0, "\(o.stderr)")
        #expect(o.stderr.contains("verify: job randwrite: \(blocks) blocks checked (\(mode)), 0 failed"), "\(o.stderr)")
        let json = try #require(o.json)
        if let python = jsonschemaPython {
            let file = s.file("run-\(mode).json")
            try o.stdout.write(toFile: file, atomically: false, encoding: .utf8)
            let v = try execute(python, [schemaValidatorScript, schemaFilePath, file])
            #expect(v.status == 0, "\(v.stdout)\(v.stderr)")
        }
        return json
    }

    func patch(_ path: String, _ body: (inout [UInt8]) -> Void) throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        body(&bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    @Test(arguments: ["crc32c", "pattern", "crc32"])
    func writeJobWithVerifyPassesAndTheTargetVerifies(mode: String) throws {
        let s = Scratch()
        let path = s.file("v.dat")
        let json = try write(s, path, mode: mode)
        #expect(json.int("jobs", "0", "verify", "blocks_checked") == blocks)
        #expect(json.int("jobs", "0", "verify", "failures") == 0)
        #expect(json.at("jobs", "0", "parameters", "verify") as? String == mode)
        let o = try tierbench(["verify", "--target", path])
        #expect(o.status == 0, "\(o.stderr)")
        #expect(o.stdout.contains("\(blocks) blocks checked (any mode), 0 failed"), "\(o.stdout)")
        #expect(o.stderr.isEmpty, "\(o.stderr)")
    }

    @Test(arguments: ["crc32c", "pattern", "crc32"])
    func flippedByteIsCorruptedAtItsBlock(mode: String) throws {
        let s = Scratch()
        let path = s.file("f.dat")
        _ = try write(s, path, mode: mode)
        let k = 77
        try patch(path) { $0[k * bs + 2049] ^= 0x04 }
        let o = try tierbench(["verify", "--target", path])
        #expect(o.status == 4, "\(o.stdout)\(o.stderr)")
        #expect(o.stderr.hasPrefix("tierbench: verify: corrupted at offset \(k * bs): "), "\(o.stderr)")
        #expect(o.stderr.split(separator: "\n").count == 1, "\(o.stderr)")
        #expect(o.stdout.contains("1 failed (1 corrupted)"), "\(o.stdout)")
    }

    @Test func swappedBlocksAreBothMisplaced() throws {
        let s = Scratch()
        let path = s.file("s.dat")
        _ = try write(s, path)
        let i = 10, j = 200
        try patch(path) { b in
            let a = Array(b[i * bs..<(i + 1) * bs])
            b.replaceSubrange(i * bs..<(i + 1) * bs, with: b[j * bs..<(j + 1) * bs])
            b.replaceSubrange(j * bs..<(j + 1) * bs, with: a)
        }
        let o = try tierbench(["verify", "--target", path])
        #expect(o.status == 4)
        let lines = o.stderr.split(separator: "\n").map(String.init)
        #expect(lines == [
            "tierbench: verify: misplaced at offset \(i * bs): block written for offset \(j * bs) found at \(i * bs)",
            "tierbench: verify: misplaced at offset \(j * bs): block written for offset \(i * bs) found at \(j * bs)",
        ], "\(o.stderr)")
        #expect(o.stdout.contains("2 failed (2 misplaced)"), "\(o.stdout)")
    }

    /// Without the writer's generation map `verify` cannot know which write to a block was the
    /// last: a block put back to an earlier run's write is intact on its own. With
    /// --require-newest-run (right here: the second run wrote every block) it is stale.
    /// (The writer's own verify pass knows the exact generation: EngineTests.VerifyTests.)
    @Test func blockRevertedToAnOlderRunIsStale() throws {
        let s = Scratch()
        let path = s.file("g.dat")
        _ = try write(s, path)
        let k = 123
        let older = Array(try Data(contentsOf: URL(fileURLWithPath: path)))[k * bs..<(k + 1) * bs]
        usleep(2000)
        _ = try write(s, path, overwrite: true)
        try patch(path) { $0.replaceSubrange(k * bs..<(k + 1) * bs, with: older) }

        let plain = try tierbench(["verify", "--target", path])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stdout.contains("2 writing runs"), "\(plain.stdout)")

        let o = try tierbench(["verify", "--target", path, "--require-newest-run", "--bs", "4k"])
        #expect(o.status == 4, "\(o.stdout)\(o.stderr)")
        let lines = o.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(o.stderr)")
        #expect(lines.first?.hasPrefix("tierbench: verify: stale at offset \(k * bs): generation ") == true, "\(o.stderr)")
        #expect(o.stdout.contains("1 failed (1 stale)"), "\(o.stdout)")
    }

    @Test func verifyOfARangeAndOfAnUnverifiedFile() throws {
        let s = Scratch()
        let path = s.file("r.dat")
        _ = try write(s, path)
        try patch(path) { $0[5 * 4096 + 100] ^= 1 }
        // The damaged block is outside the checked range.
        let o = try tierbench(["verify", "--target", path, "--offset", "64k", "--size", "512k"])
        #expect(o.status == 0, "\(o.stderr)")
        #expect(o.stdout.contains("128 blocks checked"), "\(o.stdout)")
        // A file never written with --verify: every block lacks the header; at most 10 lines.
        let plain = s.dataFile("plain.dat", bytes: 1 << 20)
        let p = try tierbench(["verify", "--target", plain])
        #expect(p.status == 4)
        #expect(p.stderr.split(separator: "\n").count == 10, "\(p.stderr)")
        #expect(p.stderr.contains("no_header at offset 0: no verify header"), "\(p.stderr)")
        #expect(p.stdout.contains("256 failed (256 no_header)"), "\(p.stdout)")
    }

    @Test func theBacklogChecksBlocksWhileTheJobWrites() throws {
        let s = Scratch()
        // Random overwrites of a small range, checked every 16 writes while running, then all at the end.
        let o = try tierbench(["run", "--target", s.file("b.dat"), "--rw", "randwrite", "--size", "1m", "--bs", "4k", "--iodepth", "8",
                               "--norandommap", "--runtime", "600ms", "--time-based", "--verify", "crc32c", "--verify-backlog", "16",
                               "--output-format", "json"])
        #expect(o.status == 0, "\(o.stderr)")
        let writes = o.json?.int("jobs", "0", "write", "ios") ?? 0
        let backlog = o.json?.int("jobs", "0", "verify", "backlog_blocks_checked") ?? 0
        #expect(backlog >= 16 && backlog <= writes && backlog > writes - 16 - 256, "\(backlog) of \(writes) writes checked during the job")
        #expect(o.json?.int("jobs", "0", "verify", "failures") == 0)
        // Then every block written, at the end: all 256 when the job was fast enough to hit each
        // (random with replacement: under load a few may never be written, and are not checked).
        let checked = o.json?.int("jobs", "0", "verify", "blocks_checked") ?? 0
        #expect(checked > backlog + 200 && checked <= backlog + 256, "the backlog (\(backlog)), then every block written at the end: \(checked)")
        #expect(o.json?.int("jobs", "0", "parameters", "verify_backlog") == 16)
    }

    /// fio's write-then-read pair (corpus 47): the read job's check and its JSON (verify_check) are in the schema.
    @Test func theFioPairValidatesAgainstTheSchema() throws {
        let s = Scratch()
        let o = try tierbench(["run", "\(schemaPackageDirectory)/Tests/JobFilesTests/corpus/47-verify-pair.fio", "--target", s.file("p.dat"),
                               "--progress", "never", "--output-format", "json"])
        #expect(o.status == 0, "\(o.stderr)")
        #expect(o.json?.at("jobs", "1", "parameters", "verify_check") as? String == "headers")
        guard let python = jsonschemaPython else { try Test.cancel("python3 with jsonschema is not installed: the run cannot be validated") }
        let file = s.file("pair.json")
        try o.stdout.write(toFile: file, atomically: false, encoding: .utf8)
        let v = try execute(python, [schemaValidatorScript, schemaFilePath, file])
        #expect(v.status == 0, "\(v.stdout)\(v.stderr)")
    }

    @Test func wrongUsesOfVerifyAreRefused() throws {
        let s = Scratch()
        for (arguments, fragment) in [
            (["run", "--target", s.file("a.dat"), "--rw", "randread", "--verify", "crc32c"], "--verify on a job that only reads checks blocks written earlier with --verify, and \(s.file("a.dat")) is new"),
            (["run", "--target", s.file("a.dat"), "--rw", "write", "--verify", "md5"], "--verify md5 is not a verify mode; use crc32c, crc32 or pattern"),
            (["run", "--target", s.file("a.dat"), "--rw", "write", "--verify-backlog", "8"], "--verify-backlog needs --verify"),
            (["run", "--target", s.file("a.dat"), "--rw", "write", "--verify", "crc32c", "--verify-backlog", "0"], "--verify-backlog 0 must be at least 1"),
            (["run", "--target", s.file("a.dat"), "--verify", "crc32c"], "--verify shapes one workload; give --rw too"),
            (["run", "--target", s.file("a.dat"), "--rw", "write", "--numjobs", "2", "--verify", "crc32c"], "needs clones that do not overlap"),
            (["verify", "--target", s.file("missing.dat")], "does not exist"),
        ] {
            let o = try tierbench(arguments)
            #expect(o.status == 2, "\(arguments): \(o.stderr)")
            #expect(o.stderr.contains(fragment), "\(arguments): \(o.stderr)")
            #expect(o.stderr.split(separator: "\n").count == 1, "\(o.stderr)")
            #expect(access(s.file("a.dat"), F_OK) != 0, "nothing created")
        }
    }
}
