import Foundation
import Glibc
import Testing
@testable import Engine
@testable import Harness
import Workload
import TestSupport

/// Real I/O through both engines: what a write job writes is on disk, what a read job reads is
/// the file's bytes.
@Suite(.serialized) struct DataPathTests {
    @Test(arguments: [EngineChoice.ioUring, .psync])
    func writeJobPutsThePatternOnDisk(engine: EngineChoice) throws {
        let scratch = Scratch()
        let path = scratch.file("w.dat")
        let bs = 16384
        let job = JobSpec(name: "w", rw: .randwrite, blockSizeBytes: UInt64(bs), iodepth: 8,
                          sizeBytes: 4 << 20, offsetBytes: 1 << 20, ioengine: engine)
        let result = try run([job], target: path)
        let r = try #require(result.jobs.first)
        #expect(r.engine.name == engine.rawValue)
        #expect(r.write?.ios == UInt64((4 << 20) / bs))
        #expect(r.write?.bytes == 4 << 20)
        #expect(!r.failed)

        let bytes = try readAll(path)
        #expect(bytes.count == 5 << 20)
        for block in 0..<((4 << 20) / bs) {
            let offset = (1 << 20) + block * bs
            let expected = DataPattern.expected(length: bs, fileOffset: UInt64(offset), seed: job.randseed)
            #expect(Array(bytes[offset..<offset + bs]) == expected, "block at \(offset)")
            if Array(bytes[offset..<offset + bs]) != expected { break }
        }
        // Nothing before the job's offset was written (posix_fallocate leaves zeros).
        #expect(bytes[0..<(1 << 20)].allSatisfy { $0 == 0 })
    }

    @Test(arguments: [EngineChoice.ioUring, .psync])
    func readJobReturnsTheFilesBytes(engine: EngineChoice) throws {
        let scratch = Scratch()
        let path = scratch.file("r.dat")
        // A file with random content, written by plain writes.
        var content = [UInt8](repeating: 0, count: 8 << 20)
        var rng = Xoshiro256(seed: 99)
        for i in stride(from: 0, to: content.count, by: 8) {
            withUnsafeBytes(of: rng.next()) { for j in 0..<8 { content[i + j] = $0[j] } }
        }
        #expect(FileManager.default.createFile(atPath: path, contents: Data(content)))

        let job = JobSpec(name: "r", rw: .randread, blockSizeBytes: 8192, iodepth: 16, ioengine: engine)
        let result = try run([job], target: path) { $0.checksumReads = true }
        let r = try #require(result.jobs.first)
        #expect(r.read?.ios == 1024)
        #expect(r.readDigest == expectedDigest(of: content, start: 0, length: 8 << 20, blockSize: 8192))
        // A different file gives a different digest: the check can fail.
        content[4096] ^= 0xFF
        #expect(r.readDigest != expectedDigest(of: content, start: 0, length: 8 << 20, blockSize: 8192))
    }

    @Test func newTargetForAReadJobIsLaidOutFirst() throws {
        let scratch = Scratch()
        let path = scratch.file("new.dat")
        let job = JobSpec(name: "r", rw: .read, blockSizeBytes: 65536, iodepth: 4, sizeBytes: 2 << 20)
        let result = try run([job], target: path) { $0.checksumReads = true }
        #expect(result.layout?.bytes == 2 << 20)
        #expect(result.target.created)
        let bytes = try readAll(path)
        #expect(bytes[0..<65536].contains { $0 != 0 }, "layout wrote data, not a hole")
        #expect(result.jobs[0].readDigest == expectedDigest(of: bytes, start: 0, length: 2 << 20, blockSize: 65536))
    }

    @Test func mixedJobAccountsBothDirectionsAndKeepsWritesCorrect() throws {
        let scratch = Scratch()
        let path = scratch.file("m.dat")
        let job = JobSpec(name: "m", rw: .randrw, rwmixread: 70, blockSizeBytes: 4096, iodepth: 16, sizeBytes: 8 << 20)
        let result = try run([job], target: path)
        let r = result.jobs[0]
        let reads = r.read?.ios ?? 0, writes = r.write?.ios ?? 0
        #expect(reads + writes == 2048)
        #expect(abs(Double(reads) / 2048 - 0.7) < 0.05)
        // Each block was touched once (random map): the written ones carry the write pattern for
        // their offset, although their slots also served reads; the rest still hold the layout.
        let bytes = try readAll(path)
        let layout = DataPattern.expected(length: 1 << 20, fileOffset: 0, seed: DataPattern.layoutSeed(job.randseed))
        var written = 0, laidOut = 0
        for block in 0..<2048 {
            let offset = block * 4096
            let found = Array(bytes[offset..<offset + 4096])
            if found == DataPattern.expected(length: 4096, fileOffset: UInt64(offset), seed: job.randseed) {
                written += 1
            } else {
                var chunk = layout
                chunk.withUnsafeMutableBytes { DataPattern.stamp($0.baseAddress!, length: 1 << 20, fileOffset: UInt64(offset / (1 << 20) * (1 << 20))) }
                let inChunk = offset % (1 << 20)
                if found == Array(chunk[inChunk..<inChunk + 4096]) { laidOut += 1 }
            }
        }
        #expect(written == Int(writes))
        #expect(laidOut == Int(reads))
    }

    @Test func numjobsClonesCoverTheirOwnRanges() throws {
        let scratch = Scratch()
        let path = scratch.file("n.dat")
        let job = JobSpec(name: "n", rw: .write, blockSizeBytes: 65536, iodepth: 4, numjobs: 3, sizeBytes: 1 << 20,
                          offsetIncrementBytes: 2 << 20)
        let result = try run([job], target: path)
        #expect(result.jobs.count == 3)
        #expect(result.jobs.map(\.rangeStartBytes) == [0, 2 << 20, 4 << 20])
        #expect(result.jobs.allSatisfy { $0.write?.bytes == 1 << 20 })
        let bytes = try readAll(path)
        #expect(bytes.count == 5 << 20)
        #expect(bytes[(1 << 20)..<(2 << 20)].allSatisfy { $0 == 0 }, "the gap between clones is untouched")
    }

    @Test func timeBasedJobRunsForItsRuntimeAndRampIsExcluded() throws {
        let scratch = Scratch()
        let job = JobSpec(name: "t", rw: .randread, blockSizeBytes: 4096, iodepth: 8, sizeBytes: 1 << 20,
                          runtimeNanoseconds: 1_000_000_000, timeBased: true, rampTimeNanoseconds: 500_000_000)
        let start = monotonicNanoseconds()
        let result = try run([job], target: scratch.file("t.dat"))
        let elapsed = monotonicNanoseconds() - start
        let r = result.jobs[0]
        #expect(elapsed >= 1_500_000_000)
        // The measured span runs from the ramp's end to the last completion: at least about the
        // runtime, and the ramp is not in it. (Not a bound above the runtime: a completion counts
        // when the worker reaps it, and a loaded machine can keep the thread off a core for
        // hundreds of milliseconds past the deadline.)
        #expect(r.runtimeNs >= 900_000_000, "measured span \(r.runtimeNs) ns")
        #expect(r.runtimeNs + 500_000_000 <= elapsed, "measured span \(r.runtimeNs) ns + the 500 ms ramp within the \(elapsed) ns run")
        #expect((r.read?.ios ?? 0) > 256, "wrapped past one pass of 256 blocks")
        #expect(r.read?.latNs.count == r.read?.ios)
    }

    @Test func directoryTargetGetsAScratchFileThatIsRemoved() throws {
        let scratch = Scratch()
        let job = JobSpec(name: "d", rw: .write, blockSizeBytes: 4096, iodepth: 2, sizeBytes: 1 << 20)
        let result = try run([job], target: scratch.path)
        #expect(result.target.scratch)
        #expect(result.target.path.hasPrefix(scratch.path + "/"))
        #expect(access(result.target.path, F_OK) != 0, "scratch file removed")
    }
}
