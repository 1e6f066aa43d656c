import Foundation
import Glibc
import Testing
@testable import Engine
@testable import Harness
import Workload
import TestSupport

/// A loop device over a temporary file (`losetup --direct-io=on`), detached afterwards.
final class LoopDevice {
    let scratch = Scratch()
    let device: String
    init?(sizeBytes: Int) {
        let backing = scratch.file("backing.img")
        guard sh("truncate -s \(sizeBytes) \(backing)").status == 0 else { return nil }
        let out = sh("losetup --find --show --direct-io=on \(backing)")
        guard out.status == 0 else { print("losetup failed: \(out.output)"); return nil }
        device = out.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
    deinit { sh("losetup -d \(device)") }
}

let canMakeLoopDevices = isRoot && access("/dev/loop-control", F_OK) == 0

@Suite(.serialized, .enabled(if: canMakeLoopDevices, "needs root and /dev/loop-control to create loop devices"))
struct BlockDeviceTests {
    @Test func randomReadOnALoopDevice() throws {
        let loop = try #require(LoopDevice(sizeBytes: 16 << 20))
        // Fill with known data by plain writes, then read it back through tierbench.
        let content = (0..<(16 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 7) }
        let fd = open(loop.device, O_WRONLY)
        try #require(fd >= 0)
        _ = content.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        fsync(fd); close(fd)

        let job = JobSpec(name: "rr", rw: .randread, blockSizeBytes: 4096, iodepth: 32)
        let result = try run([job], target: loop.device) { $0.checksumReads = true }
        #expect(result.target.kind == .blockDevice)
        #expect(result.target.sizeBytes == 16 << 20)
        #expect(result.target.directIOAlignmentBytes == 512)
        let r = result.jobs[0]
        #expect(r.read?.ios == 4096)
        #expect(r.readDigest == expectedDigest(of: content, start: 0, length: 16 << 20, blockSize: 4096))
    }

    @Test func writeJobIsRefusedWithoutTheFlag() throws {
        let loop = try #require(LoopDevice(sizeBytes: 8 << 20))
        let job = JobSpec(name: "rw", rw: .randwrite, blockSizeBytes: 4096, iodepth: 8)
        #expect {
            try run([job], target: loop.device)
        } throws: { error in
            guard case .usage(let m) = error as? RunError else { return false }
            return m.contains("--allow-device-writes") && m.contains(loop.device)
        }
        // Nothing was written.
        #expect(try readAll(loop.device).allSatisfy { $0 == 0 })
    }

    @Test(arguments: [EngineChoice.ioUring, .psync])
    func randomWriteWithTheFlagWritesCorrectData(engine: EngineChoice) throws {
        let loop = try #require(LoopDevice(sizeBytes: 8 << 20))
        let job = JobSpec(name: "rw", rw: .randwrite, blockSizeBytes: 8192, iodepth: 8, sizeBytes: 4 << 20,
                          offsetBytes: 2 << 20, ioengine: engine)
        let result = try run([job], target: loop.device) { $0.allowDeviceWrites = true }
        #expect(result.jobs[0].write?.ios == 512)
        let bytes = try readAll(loop.device)
        for block in 0..<512 {
            let offset = (2 << 20) + block * 8192
            let ok = Array(bytes[offset..<offset + 8192]) == DataPattern.expected(length: 8192, fileOffset: UInt64(offset), seed: job.randseed)
            #expect(ok, "block at \(offset)")
            if !ok { break }
        }
        #expect(bytes[0..<(2 << 20)].allSatisfy { $0 == 0 } && bytes[(6 << 20)...].allSatisfy { $0 == 0 })
    }

    @Test func sizeBeyondTheDevicesEndIsRefused() throws {
        let loop = try #require(LoopDevice(sizeBytes: 8 << 20))
        let job = JobSpec(name: "r", rw: .read, blockSizeBytes: 4096, sizeBytes: 16 << 20)
        #expect {
            try run([job], target: loop.device)
        } throws: { error in
            // A mistake of the job's size, worded by the front end in its own terms.
            guard case .input(let mistake, job: 0) = error as? RunError, mistake.option == "size" else { return false }
            return mistake.message.contains("beyond the end of the device") && mistake.message.contains("8388608 bytes")
        }
    }
}
