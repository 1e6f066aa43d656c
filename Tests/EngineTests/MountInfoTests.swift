import Foundation
import Testing
import TestSupport
@testable import Engine
@testable import Harness

/// One mountinfo parser for the device guard and the run's environment, with the kernel's escapes.
@Suite struct MountInfoTests {
    static let sample = """
    22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw
    40 22 0:39 / /mnt/with\\040space rw,relatime shared:7 master:2 - tmpfs my\\040tmpfs rw,size=1024k
    41 22 0:40 / /mnt/back\\134slash\\011tab rw - xfs /dev/vdb rw
    42 40 0:41 / /mnt/with\\040space/inner rw - tmpfs none rw
    not a mountinfo line

    """

    @Test func fieldsAndEscapedPaths() {
        let entries = MountInfo.parse(Self.sample)
        #expect(entries.count == 4)
        #expect(entries[1] == MountEntry(device: DeviceNumber(major: 0, minor: 39), mountPoint: "/mnt/with space",
                                         fileSystemType: "tmpfs", source: "my tmpfs"))
        #expect(entries[2].mountPoint == "/mnt/back\\slash\ttab")
    }

    /// The kernel writes a backslash and exactly three octal digits; nothing else is an escape
    /// (the parser Environment had read `\+12` as a newline: it parsed the digits with a sign).
    @Test func onlyThreeOctalDigitsAreAnEscape() {
        #expect(MountInfo.unescape("a\\040b\\012") == "a b\n")
        #expect(MountInfo.unescape("a\\+12b") == "a\\+12b")
        #expect(MountInfo.unescape("a\\089") == "a\\089")
        #expect(MountInfo.unescape("end\\04") == "end\\04")
    }

    @Test func theMountHoldingAPathIsTheLongestMountPointContainingIt() {
        let entries = MountInfo.parse(Self.sample)
        #expect(MountInfo.mount(holding: "/mnt/with space/inner/f", in: entries)?.device == DeviceNumber(major: 0, minor: 41))
        #expect(MountInfo.mount(holding: "/mnt/with space/f", in: entries)?.device == DeviceNumber(major: 0, minor: 39))
        #expect(MountInfo.mount(holding: "/mnt/with spaces", in: entries)?.fileSystemType == "ext4", "a longer name is not inside")
        #expect(MountInfo.mount(holding: "/etc/hosts", in: entries)?.fileSystemType == "ext4")
    }

    /// A real mount point with a space: the run's file-system type and the mount's device number
    /// agree with stat(2).
    @Test(.enabled(if: isRoot, "needs root to mount a tmpfs"))
    func aRealMountPointWithASpace() throws {
        let scratch = Scratch()
        let dir = scratch.file("with space")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        guard sh("mount -t tmpfs -o size=1m tierbench-test '\(dir)' 2>&1").status == 0 else {
            print("mount point with a space not tested: cannot mount a tmpfs here")
            return
        }
        defer {
            sh("umount '\(dir)'")
            withExtendedLifetime(scratch) {}
        }
        let file = dir + "/f"
        #expect(FileManager.default.createFile(atPath: file, contents: Data()))
        #expect(TargetDetails.fileSystemType(of: file) == "tmpfs")
        let real = try #require(realPath(dir))
        let entry = try #require(try MountInfo.read().last { $0.mountPoint == real })
        #expect(entry.fileSystemType == "tmpfs" && entry.source == "tierbench-test")
        #expect(entry.device == (try fileStatus(file)).device)
    }
}

@Suite struct DeviceNumberTests {
    @Test func parsesSysfsText() {
        #expect(DeviceNumber("259:3\n") == DeviceNumber(major: 259, minor: 3))
        #expect(DeviceNumber("259") == nil)
        #expect(DeviceNumber("a:1") == nil)
        #expect(DeviceNumber(major: 8, minor: 17).description == "8:17")
    }

    /// /dev/null is character device 1:3 on every Linux.
    @Test func splitsADevTAsTheKernelNumbersIt() throws {
        #expect(try fileStatus("/dev/null").deviceNode == DeviceNumber(major: 1, minor: 3))
    }
}
