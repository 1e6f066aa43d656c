import Foundation
import Glibc
import Testing
import TestSupport

/// The destructive-write guard through the real binary (issue 6, part 1): a loop device that is
/// formatted, partitioned, mounted or swap is refused for writes even with --allow-device-writes,
/// and written with --force-destructive.
@Suite(.serialized) struct GuardTests {
    static let ready = isRoot && which("losetup") != nil && which("mkfs.ext4") != nil && which("mkswap") != nil && which("sfdisk") != nil

    /// A 64 MiB loop device over a file in `scratch`; `prepare` makes it dangerous; the cleanup
    /// undoes mounts and swap before detaching.
    func withLoop(_ scratch: Scratch, _ prepare: (String) -> String?, _ body: (String) throws -> Void) throws {
        let image = scratch.file("dev.img")
        #expect(sh("truncate -s 64m \(image)").status == 0)
        let attach = sh("losetup -f --show \(image)")
        let device = attach.output.trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(attach.status == 0 && device.hasPrefix("/dev/loop"), "losetup: \(attach.output)")
        var undo: String?
        defer {
            if let undo { sh(undo) }
            sh("losetup -d \(device)")
        }
        undo = prepare(device)
        try body(device)
    }

    func expectRefusedThenForced(_ device: String, _ finding: String) throws {
        let args = ["run", "--target", device, "--rw", "randwrite", "--size", "4m", "--bs", "4k", "--allow-device-writes"]
        let refused = try tierbench(args)
        #expect(refused.status == 2, "\(refused.stderr)")
        #expect(refused.stderr.contains(finding) && refused.stderr.contains("--force-destructive"), "\(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1 && refused.stdout.isEmpty)
        let forced = try tierbench(args + ["--force-destructive", "--output-format", "json"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(forced.json?.int("jobs", "0", "write", "ios") == 1024)
    }

    @Test(.enabled(if: GuardTests.ready, "needs root, losetup, mkfs.ext4, mkswap and sfdisk"))
    func anExt4FileSystemIsRefusedAndForced() throws {
        let s = Scratch()
        try withLoop(s, { sh("mkfs.ext4 -q -L data \($0)"); return nil }) { device in
            try expectRefusedThenForced(device, "ext4 file system signature")
        }
    }

    @Test(.enabled(if: GuardTests.ready, "needs root, losetup, mkfs.ext4, mkswap and sfdisk"))
    func aPartitionTableIsRefusedAndForced() throws {
        let s = Scratch()
        try withLoop(s, { sh("printf 'label: gpt\\n,16M\\n,\\n' | sfdisk -q \($0)"); return nil }) { device in
            try expectRefusedThenForced(device, "GPT partition table")
        }
    }

    @Test(.enabled(if: GuardTests.ready, "needs root, losetup, mkfs.ext4, mkswap and sfdisk"))
    func aMountedDeviceIsRefusedAndForced() throws {
        let s = Scratch()
        let mountPoint = s.file("mnt")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        try withLoop(s, { device in
            sh("mkfs.ext4 -q \(device) && mount \(device) \(mountPoint)")
            return "umount \(mountPoint)"
        }) { device in
            try expectRefusedThenForced(device, "mounted at \(mountPoint)")
        }
    }

    @Test(.enabled(if: GuardTests.ready, "needs root, losetup, mkfs.ext4, mkswap and sfdisk"))
    func swapIsRefusedAndForced() throws {
        let s = Scratch()
        try withLoop(s, { sh("mkswap -q \($0)"); return nil }) { device in
            try expectRefusedThenForced(device, "swap signature")
        }
    }

    @Test(.enabled(if: GuardTests.ready, "needs root, losetup, mkfs.ext4, mkswap and sfdisk"))
    func theDeviceIsClaimedWhileTheRunWritesIt() throws {
        let s = Scratch()
        try withLoop(s, { _ in nil }) { device in
            // mkfs opens the device exclusively: it must fail while tierbench holds its claim.
            let mkfs = Captured<(status: Int32, output: String)>()
            let o = try tierbench(["run", "--target", device, "--rw", "randwrite", "--size", "8m", "--runtime", "3s", "--time-based",
                                   "--allow-device-writes", "--output-format", "json", "--progress", "always"],
                                  cues: [Cue(when: .running("randwrite")) { _ in mkfs.value = sh("mkfs.ext4 -q -F \(device)") }])
            #expect(o.status == 0, "\(o.stderr)")
            let tried = try #require(mkfs.value, "the run never showed its run phase: \(o.stderr)")
            #expect(tried.status != 0, "mkfs got the device during the run: \(tried.output)")
        }
    }

    @Test(.enabled(if: GuardTests.ready, "needs root, losetup, mkfs.ext4, mkswap and sfdisk"))
    func aBlankDeviceNeedsOnlyAllowDeviceWrites() throws {
        let s = Scratch()
        try withLoop(s, { _ in nil }) { device in
            let o = try tierbench(["run", "--target", device, "--rw", "randwrite", "--size", "4m", "--allow-device-writes", "--output-format", "json"])
            #expect(o.status == 0, "\(o.stderr)")
            // What tierbench wrote is not mistaken for someone's data by the next run.
            let again = try tierbench(["run", "--target", device, "--rw", "write", "--size", "4m", "--bs", "1m", "--allow-device-writes"])
            #expect(again.status == 0, "\(again.stderr)")
        }
    }
}
