import Foundation
import Testing
import TestSupport

/// fio's data options, judged on what was written: the file tierbench wrote is compressed with a
/// real compressor (zlib's gzip, and zstd where installed) and its 4 KiB blocks counted by hash,
/// against what the options promise and, where fio is installed, side by side with the file fio
/// writes for the same job.
@Suite struct WrittenDataTests {
    struct Measure: CustomStringConvertible {
        var gzip: Double
        /// Each 4 KiB block gzipped on its own (what storage that compresses per block sees).
        var blockGzip: Double
        var zstd: Double?
        var uniqueBlocks: Int
        var blocks: Int
        var uniqueShare: Double { Double(uniqueBlocks) / Double(blocks) }
        var description: String {
            "gzip \(String(format: "%.3f", gzip)) per block \(String(format: "%.3f", blockGzip)) zstd \(zstd.map { String(format: "%.3f", $0) } ?? "-") unique \(uniqueBlocks)/\(blocks)"
        }
    }

    /// Compressed size / size (gzip level 6, zstd -3) and distinct 4 KiB blocks, by python3.
    static func measure(_ path: String) throws -> Measure {
        let script = """
            import hashlib, json, shutil, subprocess, sys, zlib
            data = open(sys.argv[1], 'rb').read()
            z = None
            if shutil.which('zstd'):
                z = len(subprocess.run(['zstd', '-3', '-c', sys.argv[1]], capture_output=True, check=True).stdout) / len(data)
            blocks = [data[i:i + 4096] for i in range(0, len(data), 4096)]
            per_block = sum(min(len(zlib.compress(b, 6)), len(b)) for b in blocks) / len(data)
            print(json.dumps({'gzip': len(zlib.compress(data, 6)) / len(data), 'block': per_block, 'zstd': z,
                              'unique': len(set(hashlib.sha1(b).digest() for b in blocks)), 'blocks': len(blocks)}))
            """
        let out = try execute("/usr/bin/python3", ["-c", script, path])
        guard out.status == 0, let o = jsonObject(out.stdout) else { try Test.cancel("python3 could not measure \(path): \(out.stderr)") }
        return Measure(gzip: o["gzip"] as! Double, blockGzip: o["block"] as! Double, zstd: o["zstd"] as? Double, uniqueBlocks: o["unique"] as! Int, blocks: o["blocks"] as! Int)
    }

    /// A 4 MiB sequential write with `options`, by tierbench (and fio, when installed).
    func written(_ options: String, fio: Bool) throws -> (tierbench: Measure, fio: Measure?) {
        let s = Scratch()
        let job = s.write("job.fio", "[data]\nfilename=${TB_FILE}\nrw=write\nbs=4k\nsize=4m\nioengine=psync\n\(options)\n")
        let tb = try tierbench(["run", job, "--progress", "never", "--output-format", "json"], environment: ["TB_FILE": s.file("tb.data")], cwd: s.path)
        #expect(tb.status == 0, "tierbench: \(tb.stderr)")
        let mine = try Self.measure(s.file("tb.data"))
        guard fio, let fioPath else { return (mine, nil) }
        let f = try execute(fioPath, ["--output=/dev/null", job], environment: ["TB_FILE": s.file("fio.data")], cwd: s.path)
        #expect(f.status == 0, "fio: \(f.stderr)")
        return (mine, try Self.measure(s.file("fio.data")))
    }

    /// Each case: the options, the gzip ratios (whole file, per block) they promise and the
    /// share of distinct blocks.
    static let cases: [(options: String, gzip: ClosedRange<Double>, block: ClosedRange<Double>, unique: ClosedRange<Double>)] = [
        // fio's default: one random buffer per slot, its sectors stamped per write: every block
        // its own and incompressible alone, but a stream compressor finds the buffer repeated.
        ("", 0...0.05, 0.98...1.01, 1...1),
        ("refill_buffers=1", 0.98...1.01, 0.98...1.01, 1...1),
        ("buffer_compress_percentage=50", 0.46...0.56, 0.48...0.6, 1...1),
        ("buffer_compress_percentage=75\nbuffer_compress_chunk=4k", 0.22...0.30, 0.24...0.32, 1...1),
        ("buffer_compress_percentage=100", 0...0.01, 0...0.02, 0...0.001),
        ("dedupe_percentage=40", 0.54...0.67, 0.98...1.01, 0.54...0.66),
        ("dedupe_percentage=50\nbuffer_compress_percentage=30", 0.30...0.42, 0.70...0.8, 0.44...0.56),
        ("buffer_pattern=0xdeadbeef", 0...0.01, 0...0.02, 0...0.001),
        ("zero_buffers=1", 0...0.01, 0...0.02, 0...0.001),
        ("scramble_buffers=0", 0...0.01, 0.98...1.01, 0...0.001),  // one buffer, written again and again
    ]

    @Test func writtenDataHasTheOptionsCompressibilityAndDedupe() throws {
        for c in Self.cases {
            let (tb, fio) = try written(c.options, fio: true)
            let label = c.options.isEmpty ? "(no option)" : c.options.replacingOccurrences(of: "\n", with: " ")
            print("\(label): tierbench \(tb); fio \(fio.map(\.description) ?? "not installed")")
            #expect(c.gzip.contains(tb.gzip), "\(label): gzip ratio \(tb.gzip) outside \(c.gzip)")
            #expect(c.block.contains(tb.blockGzip), "\(label): per-block gzip ratio \(tb.blockGzip) outside \(c.block)")
            #expect(c.unique.contains(tb.uniqueShare), "\(label): distinct blocks \(tb.uniqueBlocks)/\(tb.blocks) outside \(c.unique)")
            if let z = tb.zstd { #expect(abs((z) - (tb.gzip)) <= 0.03, "\(z) vs \(tb.gzip)") }
            if let fio {
                #expect(abs((tb.gzip) - (fio.gzip)) <= 0.03, "\(tb.gzip) vs \(fio.gzip)")
                // fio's own default buffers (lib/rand.c __fill_random_buf: seeds multiplied by a
                // constant, no mixing) and its scramble's time stamps compress about 8% per block;
                // tierbench's default stays random (DataPattern), hence the wider bound there.
                #expect(abs((tb.blockGzip) - (fio.blockGzip)) <= (c.options.isEmpty ? 0.1 : 0.03), "\(tb.blockGzip) vs \(fio.blockGzip)")
                #expect(abs((tb.uniqueShare) - (fio.uniqueShare)) <= 0.05, "\(tb.uniqueShare) vs \(fio.uniqueShare)")
            }
        }
    }

    /// A job that reads keeps its pattern: fio refills the pattern before each write there.
    @Test func patternSurvivesReadsIntoTheSameBuffers() throws {
        let s = Scratch()
        let job = s.write("job.fio", "[mix]\nfilename=${TB_FILE}\nrw=randrw\nbs=4k\nsize=2m\nioengine=psync\nbuffer_pattern=0x00\n")
        // The layout pass fills the file with random data first; the writes must be zeros.
        let tb = try tierbench(["run", job, "--progress", "never", "--output-format", "json"], environment: ["TB_FILE": s.file("tb.data")], cwd: s.path)
        #expect(tb.status == 0, "\(tb.stderr)")
        let jobs = jsonObject(tb.stdout)?["jobs"] as? [[String: Any]] ?? []
        let written = (jobs.first?["write"] as? [String: Any])?["bytes"] as? Int ?? 0
        #expect(written > 0)
        let data = try Data(contentsOf: URL(fileURLWithPath: s.file("tb.data")))
        let zeroBlocks = stride(from: 0, to: data.count, by: 4096).filter { data[$0..<$0 + 4096].allSatisfy { $0 == 0 } }.count
        // Blocks written (some twice) are zeros; blocks only read keep the layout's random bytes.
        #expect(zeroBlocks > 0)
        #expect(zeroBlocks * 4096 <= written)
        #expect(zeroBlocks < data.count / 4096)
    }

    @Test func verifyChecksumKeepsWorkingWithDataOptions() throws {
        let s = Scratch()
        let job = s.write("job.fio", "[v]\nfilename=${TB_FILE}\nrw=randwrite\nbs=4k\nsize=1m\nbuffer_compress_percentage=50\ndedupe_percentage=30\nverify=crc32c\n")
        let tb = try tierbench(["run", job, "--progress", "never"], environment: ["TB_FILE": s.file("tb.data")], cwd: s.path)
        #expect(tb.status == 0, "\(tb.stderr)")
        #expect(tb.stderr.contains("blocks checked (crc32c), 0 failed"), "\(tb.stderr)")
        let m = try Self.measure(s.file("tb.data"))
        // 64-byte verify headers per block, the rest half zeros.
        #expect((0.45...0.62).contains(m.gzip), "gzip \(m.gzip)")
    }

    @Test func refusals() throws {
        let s = Scratch()
        let cases: [(String, String)] = [
            ("buffer_compress_percentage=50\n", "--verify pattern checks every byte"),
            ("buffer_compress_percentage=150\n", "outside 0-100"),
            ("buffer_pattern=%o\n", "is not a pattern"),
        ]
        for (i, (options, message)) in cases.enumerated() {
            let job = s.write("bad\(i).fio", "[bad]\nfilename=\(s.file("x.data"))\nrw=write\nbs=4k\nsize=1m\n\(options)")
            let tb = try tierbench(["run", job, "--progress", "never"] + (i == 0 ? ["--verify", "pattern"] : []), cwd: s.path)
            #expect(tb.status == 2, "\(options): \(tb.stderr)")
            #expect(tb.stderr.contains(message), "\(options): \(tb.stderr)")
            #expect(tb.stderr.split(separator: "\n").count == 1, "\(tb.stderr)")
            #expect(!(FileManager.default.fileExists(atPath: s.file("x.data"))), "a refused job wrote its target")
        }
    }
}
