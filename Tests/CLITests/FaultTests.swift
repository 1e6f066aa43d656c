import Foundation
import Glibc
import Testing
import TestSupport

/// Faults of the system under test (issue 6, part 3), on real small file systems.
@Suite(.serialized) struct FaultTests {
    /// A size-limited tmpfs mounted on a fresh directory, unmounted by `close()`.
    final class SmallFS {
        let path: String
        init?(megabytes: Int) {
            var template = Array("/var/tmp/tierbench-fault-XXXXXX".utf8CString)
            path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
            guard sh("mount -t tmpfs -o size=\(megabytes)m tmpfs \(path)").status == 0 else {
                rmdir(path)
                return nil
            }
        }
        func close() {
            sh("umount \(path) 2>/dev/null || umount -l \(path)")
            rmdir(path)
        }
    }

    @Test(.enabled(if: isRoot, "needs root to mount a size-limited tmpfs"))
    func runningOutOfSpaceEndsTheJobAndKeepsWhatWasMeasured() throws {
        let fs = try #require(SmallFS(megabytes: 8))
        defer { fs.close() }
        // A sparse 64 MiB file on 8 MiB: writes fill the holes until the file system is full.
        let file = "\(fs.path)/sparse.dat"
        #expect(sh("truncate -s 64m \(file)").status == 0)
        let o = try tierbench(["run", "--target", file, "--overwrite", "--rw", "write", "--bs", "64k", "--iodepth", "4",
                               "--direct", "0", "--output-format", "json"])
        #expect(o.status == 1, "\(o.stderr)")
        let lines = o.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains("ENOSPC") && lines[0].contains("job write failed"), "\(o.stderr)")
        let json = try #require(o.json, "the results are written although the job failed")
        #expect(json["failed"] as? Bool == true)
        #expect((json.int("jobs", "0", "errors", "ENOSPC") ?? 0) >= 1)
        #expect((json.at("jobs", "0", "first_error") as? String)?.contains("No space left on device") == true)
        let ios = json.int("jobs", "0", "write", "ios") ?? 0
        #expect(ios >= 100 && ios <= 128, "about 8 MiB of 64 KiB writes went through before the file system was full: \(ios)")
        #expect(json.int("jobs", "0", "write", "bytes") == ios * 65536)
    }

    @Test(.enabled(if: isRoot, "needs root to mount a read-only tmpfs"))
    func aReadOnlyTargetIsRefusedForWrites() throws {
        let fs = try #require(SmallFS(megabytes: 4))
        defer { fs.close() }
        let file = "\(fs.path)/f.dat"
        #expect(sh("head -c 1048576 /dev/urandom > \(file) && mount -o remount,ro \(fs.path)").status == 0)
        for target in [file, "\(fs.path)/new.dat"] {
            let o = try tierbench(["run", "--target", target, "--overwrite", "--rw", "write", "--direct", "0", "--size", "1m"])
            #expect(o.status == 2, "\(o.stderr)")
            #expect(o.stderr.contains("read-only file system") && o.stderr.split(separator: "\n").count == 1, "\(o.stderr)")
        }
        // Reading it is fine.
        let r = try tierbench(["run", "--target", file, "--rw", "read", "--direct", "0", "--output-format", "json"])
        #expect(r.status == 0 && r.json?.int("jobs", "0", "read", "ios") == 256, "\(r.stderr)")
    }
}

extension FaultTests {
    /// A loop device detached (`losetup -d`, which the kernel defers while tierbench holds it open)
    /// and its backing file cut to nothing mid-run, as a removed disk: the job stops at the first
    /// EIO, says the device changed, and the results up to then are written.
    @Test(.enabled(if: isRoot && which("losetup") != nil, "needs root and losetup"))
    func aDeviceRemovedMidRunEndsTheJobWithAClearMessage() throws {
        let s = Scratch()
        let image = s.file("lo.img")
        #expect(sh("truncate -s 128m \(image)").status == 0)
        let attach = sh("losetup -f --show --direct-io=on \(image)")
        let device = attach.output.trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(attach.status == 0 && device.hasPrefix("/dev/loop"), "\(attach.output)")
        defer { _ = sh("losetup -d \(device) 2>/dev/null") }
        let o = try tierbench(["run", "--target", device, "--rw", "randread", "--iodepth", "8", "--runtime", "10s", "--time-based",
                               "--output-format", "json", "--progress", "always"],
                              cues: [Cue(when: .running("randread", for: 1)) { _ in
                                  sh("losetup -d \(device); truncate -s 0 \(image); losetup -c \(device) 2>/dev/null")
                              }])
        #expect(o.status == 1, "\(o.stderr)")
        // EIO, or a read that returns nothing past the new end: which one depends on timing.
        #expect(o.stderr.contains("job randread failed: read of 4096 bytes at offset")
                && (o.stderr.contains("EIO") || o.stderr.contains("returned 0 bytes (end of file or device)")), "\(o.stderr)")
        #expect(o.stderr.contains("changed size during the run") || o.stderr.contains("was removed"), "\(o.stderr)")
        let json = try #require(o.json, "the results up to the removal are written")
        #expect(json["failed"] as? Bool == true && (json.int("jobs", "0", "errors", "EIO") ?? 0) >= 1)
        #expect((json.int("jobs", "0", "read", "ios") ?? 0) > 0)
        let span = json.int("jobs", "0", "measured_span_ns") ?? 0
        #expect(span > 1_000_000_000 && span < 5_000_000_000, "measured until the removal: \(span) ns")
    }
}
