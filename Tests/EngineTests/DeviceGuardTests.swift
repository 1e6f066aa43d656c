import Foundation
import Glibc
import Testing
@testable import Engine
@testable import Harness
import Workload
import TestSupport

/// Whether a program is on PATH (the tests that format with it are skipped, with the reason, when not).
private func hasTool(_ name: String) -> Bool { sh("command -v \(name)").status == 0 }

private let canUseLoop = canMakeLoopDevices && hasTool("losetup")
private let loopReason: Comment = "needs root, /dev/loop-control and losetup to create loop devices"

/// A loop device over a sparse file in /var/tmp, for the guard's tests: it can scan partitions
/// (`losetup -P`), and remembers what to undo. `cleanUp()` (call it in a `defer`) unmounts, turns
/// swap off and detaches, in that order; it runs again from `deinit` as a backstop.
private final class GuardLoop {
    let scratch = Scratch()
    let device: String
    let sizeBytes: Int
    private var undo: [String] = []
    private var cleaned = false

    init?(sizeBytes: Int = 64 << 20, partitionScan: Bool = false) {
        self.sizeBytes = sizeBytes
        let backing = scratch.file("backing.img")
        guard sh("truncate -s \(sizeBytes) \(backing)").status == 0 else { return nil }
        let out = sh("losetup --find --show \(partitionScan ? "-P " : "")\(backing)")
        guard out.status == 0 else { print("losetup failed: \(out.output)"); return nil }
        device = out.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    var name: String { String(device.split(separator: "/").last!) }

    /// Runs a command that must succeed (its output is in the failure).
    func must(_ command: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let r = sh(command)
        try #require(r.status == 0, "\(command): \(r.output)", sourceLocation: sourceLocation)
    }

    /// Mounts `device` on a new directory in the scratch directory; unmounted by `cleanUp()`.
    func mount(_ device: String) throws -> String {
        let dir = scratch.file("mnt\(undo.count)")
        try must("mkdir -p \(dir)")
        undo.append("umount \(dir) || umount -l \(dir)")
        try must("mount \(device) \(dir)")
        return dir
    }

    /// `swapon`; turned off by `cleanUp()`.
    func swapOn(_ device: String) throws {
        undo.append("swapoff \(device)")
        try must("swapon \(device)")
    }

    /// Writes bytes at an offset (a negative offset counts from the end) through the device.
    func write(_ bytes: [UInt8], at offset: Int) throws {
        try writeBytes(bytes, at: offset < 0 ? sizeBytes + offset : offset, to: device)
    }

    /// Makes the kernel know the partitions that sfdisk wrote (this kernel's own partition
    /// scan may not parse the table: partx adds them from user space).
    func addPartitions(_ count: Int) throws {
        let first = "/sys/block/\(name)/\(name)p1"
        if access(first, F_OK) != 0 { sh("partx -a \(device)") }
        for i in 1...count {
            try #require(access("/sys/block/\(name)/\(name)p\(i)", F_OK) == 0, "partition \(i) of \(device) did not appear")
        }
    }

    func cleanUp() {
        guard !cleaned else { return }
        cleaned = true
        for command in undo.reversed() {
            let r = sh(command)
            if r.status != 0 { print("cleanup: \(command): \(r.output)") }
        }
        sh("losetup -d \(device)")
    }

    deinit { cleanUp() }
}

private func writeBytes(_ bytes: [UInt8], at offset: Int, to path: String) throws {
    let fd = open(path, O_WRONLY | O_CLOEXEC)
    guard fd >= 0 else { throw Errno.current }
    defer { close(fd) }
    try bytes.withUnsafeBytes { try pwriteAll(fd, $0.baseAddress!, $0.count, UInt64(offset)) }
    guard fsync(fd) == 0 else { throw Errno.current }
}

private func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
private func le64(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
private func be64(_ v: UInt64) -> [UInt8] { le64(v).reversed() }
private func ascii(_ s: String) -> [UInt8] { Array(s.utf8) }

/// A signature written by hand: bytes at offsets (negative: from the end of a 64 MiB device),
/// and the finding it must produce (nil: none).
struct HandWrittenSignature: Sendable, CustomTestStringConvertible {
    struct Patch: Sendable {
        var offset: Int
        var bytes: [UInt8]
    }

    var name: String
    var patches: [Patch]
    var expected: String?
    var testDescription: String { name }

    init(_ name: String, _ patches: [(Int, [UInt8])], _ expected: String?) {
        self.name = name
        self.patches = patches.map { Patch(offset: $0.0, bytes: $0.1) }
        self.expected = expected
    }

    static let bootSignature: (Int, [UInt8]) = (510, [0x55, 0xAA])
    static let mdMagic = le32(0xa92b4efc)

    static let all: [HandWrittenSignature] = [
        .init("XFS", [(0, ascii("XFSB")), (108, ascii("xfsvol"))], "XFS file system signature (label \"xfsvol\")"),
        .init("btrfs", [(0x10040, ascii("_BHRfS_M")), (0x10000 + 0x12B, ascii("bt"))], "btrfs file system signature (label \"bt\")"),
        .init("ext2", [(1080, [0x53, 0xEF])], "ext2 file system signature"),
        .init("ext3", [(1080, [0x53, 0xEF]), (1024 + 0x5C, le32(0x4)), (1024 + 0x78, ascii("j"))], "ext3 file system signature (label \"j\")"),
        .init("ext journal", [(1080, [0x53, 0xEF]), (1024 + 0x60, le32(0x8))], "ext3/ext4 external journal signature"),
        .init("ext magic with an impossible block size", [(1080, [0x53, 0xEF]), (1024 + 0x18, le32(77))], nil),
        .init("swap, 64 KiB pages", [(0xFFF6, ascii("SWAPSPACE2"))], "swap signature"),
        .init("swap, version 0", [(0xFF6, ascii("SWAP-SPACE"))], "swap signature (version 0)"),
        .init("hibernation image", [(0xFF6, ascii("S1SUSPEND"))], "swap signature with a hibernation image (S1SUSPEND)"),
        .init("LVM2", [(512, ascii("LABELONE")), (512 + 24, ascii("LVM2 001"))], "LVM2 physical volume signature"),
        .init("LVM2 label without its type", [(512, ascii("LABELONE"))], nil),
        .init("MD 1.2", [(4096, mdMagic + le32(1)), (4096 + 32, ascii("host:md0"))], "MD RAID superblock (metadata 1.2, array \"host:md0\")"),
        .init("MD 1.1", [(0, mdMagic + le32(1))], "MD RAID superblock (metadata 1.1)"),
        .init("MD 1.0", [(-8192, mdMagic + le32(1))], "MD RAID superblock (metadata 1.0)"),
        .init("MD 0.90", [(-65536, mdMagic)], "MD RAID superblock (metadata 0.90)"),
        .init("MD 0.90, big-endian", [(-65536, mdMagic.reversed())], "MD RAID superblock (metadata 0.90)"),
        .init("LUKS1", [(0, [0x4C, 0x55, 0x4B, 0x53, 0xBA, 0xBE, 0, 1])], "LUKS1 encryption header"),
        .init("LUKS2", [(0, [0x4C, 0x55, 0x4B, 0x53, 0xBA, 0xBE, 0, 2]), (24, ascii("secret"))], "LUKS2 encryption header (label \"secret\")"),
        .init("LUKS2 secondary header", [(16384, [0x53, 0x4B, 0x55, 0x4C, 0xBA, 0xBE, 0, 2]), (16384 + 256, be64(16384))],
              "LUKS2 secondary encryption header at offset 16384"),
        .init("GPT, 4Kn", [(4096, ascii("EFI PART"))], "GPT partition table"),
        .init("GPT, backup header only", [(-512, ascii("EFI PART"))], "GPT partition table (backup header only)"),
        .init("GPT protective MBR alone", [(446 + 4, [0xEE]), (446 + 12, le32(131071)), bootSignature],
              "GPT protective MBR (partition type 0xEE) without a GPT header"),
        .init("MBR", [(446 + 4, [0x83]), (446 + 8, le32(2048)), (446 + 12, le32(4096)), (462 + 4, [0x82]), (462 + 8, le32(8192)), (462 + 12, le32(4096)), bootSignature],
              "MBR (dos) partition table with 2 partitions"),
        .init("bare boot signature", [bootSignature], nil),
        .init("unrecognized boot sector", [(446, [0x12, 0x34, 0x56]), bootSignature],
              "boot sector (0x55AA at byte 510) with an unrecognized partition table or boot code"),
        .init("FAT32", [(3, ascii("mkfs.fat")), (0x47, ascii("MYDISK     ")), (0x52, ascii("FAT32   ")), bootSignature],
              "FAT file system signature (label \"MYDISK\")"),
        .init("NTFS", [(3, ascii("NTFS    ")), bootSignature], "NTFS file system signature"),
        .init("exFAT", [(3, ascii("EXFAT   ")), bootSignature], "exFAT file system signature"),
        .init("ZFS, first label", [(128 << 10, le64(0x00bab10c))], "ZFS pool member signature (uberblock magic)"),
        .init("ZFS, last label, big-endian", [(-(256 << 10) + (128 << 10) + 5 * 1024, be64(0x00bab10c))], "ZFS pool member signature (uberblock magic)"),
        .init("bcache", [(4096 + 24, [0xc6, 0x85, 0x73, 0xf6, 0x4e, 0x1a, 0x45, 0xca, 0x82, 0x65, 0xf5, 0x7f, 0x48, 0xba, 0x6d, 0x81])], "bcache superblock"),
        .init("bcachefs", [(4096 + 24, [0xc6, 0x85, 0x73, 0xf6, 0x66, 0xce, 0x90, 0xa9, 0xd9, 0x6a, 0x60, 0xcf, 0x80, 0x3d, 0xf7, 0xef])], "bcachefs file system signature"),
    ]
}

@Suite(.serialized)
struct DeviceGuardTests {
    // MARK: - Without root

    @Test func aMissingPathIsAFindingNotAPass() {
        let findings = DeviceGuard.inspect(devicePath: "/dev/tierbench-no-such-device")
        #expect(findings == [DeviceFinding(.unreadable, "cannot stat it: ENOENT (No such file or directory)")])
    }

    @Test func aReadErrorIsAFindingNotAPass() throws {
        let scratch = Scratch()  // a directory: open(2) works, pread(2) fails with EISDIR
        let findings = DeviceGuard.inspect(devicePath: scratch.path)
        try #require(findings.count == 1)
        #expect(findings[0].kind == .unreadable)
        #expect(findings[0].description.hasPrefix("cannot read "))
        #expect(findings[0].description.hasSuffix(": EISDIR (Is a directory); signatures there were not checked"))
    }

    @Test func refusalNamesTheFindingsAndTheOverride() {
        let m = DeviceGuard.refusalMessage(devicePath: "/dev/sdz", findings: [
            DeviceFinding(.mounted, "mounted at /mnt/x"), DeviceFinding(.signature, "ext4 file system signature"),
        ])
        #expect(m == "--target /dev/sdz is in use or holds data that a write job would destroy: mounted at /mnt/x; ext4 file system signature. Choose another device, or pass --force-destructive (together with --allow-device-writes) if destroying it is intended")
    }

    /// The same probes on a regular file (what `inspect` does for a path that is not a device).
    @Test(arguments: HandWrittenSignature.all)
    func handWrittenSignatureInAFile(_ sig: HandWrittenSignature) throws {
        let scratch = Scratch()
        let path = scratch.file("image")
        let size = 64 << 20
        let fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0o644)
        try #require(fd >= 0 && ftruncate(fd, off_t(size)) == 0)
        close(fd)
        for p in sig.patches { try writeBytes(p.bytes, at: p.offset < 0 ? size + p.offset : p.offset, to: path) }
        #expect(DeviceGuard.inspect(devicePath: path).map(\.description) == (sig.expected.map { [$0] } ?? []))
    }

    /// sysfs, mountinfo and swaps from a fake tree: holders (which need device-mapper, MD or
    /// bcache to appear for real), partitions, and mountinfo's escapes.
    @Test func holdersPartitionsAndMountsFromAFakeSysfs() throws {
        let scratch = Scratch()
        let root = scratch.file("sys")
        let disk = "\(root)/devices/virtual/block/vdz"
        try FileManager.default.createDirectory(atPath: "\(disk)/holders/md0", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "\(disk)/vdz1/holders/dm-0", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "\(disk)/vdz2/holders", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "\(disk)/queue", withIntermediateDirectories: true)
        try "1\n".write(toFile: "\(disk)/vdz1/partition", atomically: false, encoding: .utf8)
        try "2\n".write(toFile: "\(disk)/vdz2/partition", atomically: false, encoding: .utf8)
        try "250:1\n".write(toFile: "\(disk)/vdz1/dev", atomically: false, encoding: .utf8)
        try "250:2\n".write(toFile: "\(disk)/vdz2/dev", atomically: false, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: "\(root)/dev/block", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: "\(root)/dev/block/250:0", withDestinationPath: "../../devices/virtual/block/vdz")
        let mountinfo = scratch.file("mountinfo")
        try """
        22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw
        90 22 250:2 / /mnt/with\\040space rw,relatime shared:50 - xfs /dev/vdz2 rw
        91 22 250:2 /sub /srv/bind rw,relatime - xfs /dev/vdz2 rw

        """.write(toFile: mountinfo, atomically: false, encoding: .utf8)
        let swaps = scratch.file("swaps")
        try "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n".write(toFile: swaps, atomically: false, encoding: .utf8)

        let findings = DeviceGuard.usage(devicePath: "/dev/tierbench-fake-vdz", devNumber: DeviceNumber(major: 250, minor: 0), sysfs: root, mountinfo: mountinfo, swaps: swaps)
        #expect(findings == [
            DeviceFinding(.mounted, "partition /dev/vdz2 is mounted at /mnt/with space, /srv/bind"),
            DeviceFinding(.held, "held by md0"),
            DeviceFinding(.held, "partition /dev/vdz1 is held by dm-0"),
            DeviceFinding(.partitions, "has partitions vdz1, vdz2"),
        ])

        // A guard that cannot look does not pass.
        let blind = DeviceGuard.usage(devicePath: "/dev/tierbench-fake-vdz", devNumber: DeviceNumber(major: 250, minor: 9), sysfs: root,
                                      mountinfo: scratch.file("none"), swaps: scratch.file("none"))
        #expect(blind.map(\.kind) == [.unreadable, .unreadable, .unreadable])
        #expect(blind.first?.description.contains("partitions and holders were not checked") == true)
    }

    // MARK: - On loop devices

    @Test(.enabled(if: canUseLoop, loopReason))
    func aZeroedDeviceHasNoFindings() throws {
        let loop = try #require(GuardLoop(partitionScan: true))
        defer { loop.cleanUp() }
        #expect(DeviceGuard.inspect(devicePath: loop.device) == [])
    }

    /// What tierbench itself leaves on a device must not make the next write run refuse it.
    @Test(.enabled(if: canUseLoop, loopReason))
    func aDeviceFilledByTierbenchHasNoFindings() throws {
        let loop = try #require(GuardLoop())
        defer { loop.cleanUp() }
        for bs in [4096, 65536] {
            let job = JobSpec(name: "fill", rw: .write, blockSizeBytes: UInt64(bs), iodepth: 8)
            _ = try run([job], target: loop.device) { $0.allowDeviceWrites = true }
            #expect(DeviceGuard.inspect(devicePath: loop.device) == [], "after a fill with --bs \(bs)")
        }
    }

    @Test(.enabled(if: canUseLoop, loopReason), arguments: HandWrittenSignature.all)
    func handWrittenSignatureOnADevice(_ sig: HandWrittenSignature) throws {
        let loop = try #require(GuardLoop())
        defer { loop.cleanUp() }
        for p in sig.patches { try loop.write(p.bytes, at: p.offset) }
        #expect(DeviceGuard.inspect(devicePath: loop.device).map(\.description) == (sig.expected.map { [$0] } ?? []))
    }

    @Test(.enabled(if: canUseLoop && hasTool("mkfs.ext4"), "needs loop devices and mkfs.ext4 (e2fsprogs)"))
    func ext4() throws {
        let loop = try #require(GuardLoop())
        defer { loop.cleanUp() }
        try loop.must("mkfs.ext4 -q -F -L data \(loop.device)")
        #expect(DeviceGuard.inspect(devicePath: loop.device) == [DeviceFinding(.signature, "ext4 file system signature (label \"data\")")])
    }

    @Test(.enabled(if: canUseLoop && hasTool("mkfs.ext4") && hasTool("mount"), "needs loop devices, mkfs.ext4 and mount"))
    func mountedExt4() throws {
        let loop = try #require(GuardLoop())
        defer { loop.cleanUp() }
        try loop.must("mkfs.ext4 -q -F \(loop.device)")
        let dir = try loop.mount(loop.device)
        #expect(DeviceGuard.inspect(devicePath: loop.device) == [
            DeviceFinding(.mounted, "mounted at \(dir)"),
            DeviceFinding(.signature, "ext4 file system signature"),
        ])
    }

    @Test(.enabled(if: canUseLoop && hasTool("mkswap"), "needs loop devices and mkswap"))
    func swapSignature() throws {
        let loop = try #require(GuardLoop())
        defer { loop.cleanUp() }
        try loop.must("mkswap -L sw \(loop.device)")
        #expect(DeviceGuard.inspect(devicePath: loop.device) == [DeviceFinding(.signature, "swap signature (label \"sw\")")])
    }

    @Test(.enabled(if: canUseLoop && hasTool("mkswap") && hasTool("swapon"), "needs loop devices, mkswap and swapon"))
    func activeSwap() throws {
        let loop = try #require(GuardLoop())
        defer { loop.cleanUp() }
        try loop.must("mkswap \(loop.device)")
        try loop.swapOn(loop.device)
        #expect(DeviceGuard.inspect(devicePath: loop.device) == [
            DeviceFinding(.swap, "used as swap"),
            DeviceFinding(.signature, "swap signature"),
        ])
    }

    @Test(.enabled(if: canUseLoop && hasTool("sfdisk"), "needs loop devices and sfdisk (fdisk)"), arguments: ["gpt", "dos"])
    func partitionTable(label: String) throws {
        let expected = label == "gpt" ? "GPT partition table" : "MBR (dos) partition table with 2 partitions"
        // Without partition scanning the kernel knows no partitions: the table is found on disk.
        do {
            let loop = try #require(GuardLoop())
            defer { loop.cleanUp() }
            try loop.must("printf 'label: \(label)\\n,16M\\n,16M\\n' | sfdisk -q \(loop.device)")
            #expect(DeviceGuard.inspect(devicePath: loop.device) == [DeviceFinding(.signature, expected)])
        }
        // With it, the partitions are found too.
        do {
            let loop = try #require(GuardLoop(partitionScan: true))
            defer { loop.cleanUp() }
            try loop.must("printf 'label: \(label)\\n,16M\\n,16M\\n' | sfdisk -q \(loop.device)")
            try loop.addPartitions(2)
            #expect(DeviceGuard.inspect(devicePath: loop.device) == [
                DeviceFinding(.partitions, "has partitions \(loop.name)p1, \(loop.name)p2"),
                DeviceFinding(.signature, expected),
            ])
        }
    }

    @Test(.enabled(if: canUseLoop && hasTool("sfdisk") && hasTool("partx") && hasTool("mkfs.ext4") && hasTool("mkswap") && hasTool("swapon"),
                   "needs loop devices, sfdisk, partx, mkfs.ext4, mkswap and swapon"))
    func mountedAndSwapPartitions() throws {
        let loop = try #require(GuardLoop(partitionScan: true))
        defer { loop.cleanUp() }
        try loop.must("printf 'label: dos\\n,24M\\n,24M\\n' | sfdisk -q \(loop.device)")
        try loop.addPartitions(2)
        let p1 = "\(loop.device)p1", p2 = "\(loop.device)p2"
        try loop.must("mkfs.ext4 -q -F \(p1)")
        try loop.must("mkswap \(p2)")
        let dir = try loop.mount(p1)
        try loop.swapOn(p2)
        #expect(DeviceGuard.inspect(devicePath: loop.device) == [
            DeviceFinding(.mounted, "partition \(p1) is mounted at \(dir)"),
            DeviceFinding(.swap, "partition \(p2) is used as swap"),
            DeviceFinding(.partitions, "has partitions \(loop.name)p1, \(loop.name)p2"),
            DeviceFinding(.signature, "MBR (dos) partition table with 2 partitions"),
        ])
        // The partitions themselves.
        #expect(DeviceGuard.inspect(devicePath: p1) == [
            DeviceFinding(.mounted, "mounted at \(dir)"), DeviceFinding(.signature, "ext4 file system signature"),
        ])
        #expect(DeviceGuard.inspect(devicePath: p2) == [
            DeviceFinding(.swap, "used as swap"), DeviceFinding(.signature, "swap signature"),
        ])
    }

    /// Another program's exclusive open (here our own) is what the kernel reports as EBUSY.
    @Test(.enabled(if: canUseLoop, loopReason))
    func exclusivelyOpenedElsewhereIsBusy() throws {
        let loop = try #require(GuardLoop())
        defer { loop.cleanUp() }
        let fd = open(loop.device, O_RDONLY | O_EXCL | O_CLOEXEC)
        try #require(fd >= 0)
        defer { close(fd) }
        #expect(DeviceGuard.inspect(devicePath: loop.device).map(\.kind) == [.busy])
    }

    @Test(.enabled(if: canUseLoop && hasTool("mkfs.xfs"), "needs loop devices and mkfs.xfs (xfsprogs)"))
    func xfs() throws {
        // mkfs.xfs wants at least 300 MB; the backing file is sparse.
        let loop = try #require(GuardLoop(sizeBytes: 320 << 20))
        defer { loop.cleanUp() }
        try loop.must("mkfs.xfs -q -f -L xv \(loop.device)")
        #expect(DeviceGuard.inspect(devicePath: loop.device) == [DeviceFinding(.signature, "XFS file system signature (label \"xv\")")])
    }

    /// btrfs reports an anonymous device number in mountinfo: the mount is found by its source.
    @Test(.enabled(if: canUseLoop && hasTool("mkfs.btrfs"), "needs loop devices and mkfs.btrfs (btrfs-progs)"))
    func btrfsAndItsMount() throws {
        let loop = try #require(GuardLoop(sizeBytes: 128 << 20))
        defer { loop.cleanUp() }
        try loop.must("mkfs.btrfs -q -f -L bv \(loop.device)")
        #expect(DeviceGuard.inspect(devicePath: loop.device) == [DeviceFinding(.signature, "btrfs file system signature (label \"bv\")")])
        guard (try? readSmallFile("/proc/filesystems"))?.contains("btrfs") == true else {
            print("btrfs mount not tested: this kernel has no btrfs")
            return
        }
        let dir = try loop.mount(loop.device)
        #expect(DeviceGuard.inspect(devicePath: loop.device) == [
            DeviceFinding(.mounted, "mounted at \(dir)"),
            DeviceFinding(.signature, "btrfs file system signature (label \"bv\")"),
        ])
    }
}
