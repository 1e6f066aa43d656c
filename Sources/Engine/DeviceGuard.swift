import CURing
import Glibc
import Text

/// One reason not to write to a block device: it is in use, or it holds data someone may want.
public struct DeviceFinding: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// The device or one of its partitions is mounted (in this mount namespace).
        case mounted
        /// The device or one of its partitions is an active swap area.
        case swap
        /// Another block device is built on it (device-mapper, MD RAID, bcache: sysfs `holders`).
        case held
        /// The kernel knows partitions on it.
        case partitions
        /// An exclusive open fails with EBUSY, and nothing above explains why.
        case busy
        /// An on-disk signature: a file system, swap, volume manager, RAID, encryption, partition table.
        case signature
        /// The guard could not look (stat, open, read, /proc or /sys failed): it must not pass.
        case unreadable
    }

    public var kind: Kind
    /// A short phrase for a user, e.g. `partition /dev/loop3p1 is mounted at /mnt/x`.
    public var description: String

    public init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}

/// The check before a job writes to a block device: is the device in use, or does it carry data?
///
/// In use: mounted (the device or any of its partitions, by major:minor in /proc/self/mountinfo),
/// active swap (/proc/swaps), held by another block device (sysfs `holders`), partitioned (sysfs),
/// or busy (an `O_EXCL` open fails with EBUSY, which also catches a mount in another mount
/// namespace).
///
/// Carrying data: the signatures below, read with plain `pread(2)` (buffered, `O_RDONLY`). The
/// offsets come from util-linux's libblkid (`libblkid/src/superblocks/*.c`, `partitions/*.c`),
/// which `blkid`, `wipefs` and the "appears to contain an existing file system" checks of mkfs
/// use. The guard is deliberately looser than libblkid where a loose match costs only an
/// override: it checks magics (and a few cheap sanity fields) but not checksums, and one ZFS
/// uberblock is enough (libblkid wants four).
///
/// A guard that cannot look must not pass: any failure to stat, open or read the device, or to
/// read /proc/self/mountinfo, /proc/swaps or the device's sysfs directory, is itself a finding.
///
/// For a path that is not a block device (a regular file, say), only the signatures are probed.
public enum DeviceGuard {
    /// Everything that argues against writing to `devicePath`, in-use findings first; empty when
    /// the device looks unused and blank (no known signature).
    public static func inspect(devicePath: String) -> [DeviceFinding] {
        var findings: [DeviceFinding] = []
        let status: FileStatus
        do { status = try fileStatus(devicePath) } catch {
            return [DeviceFinding(.unreadable, "cannot stat it: \(error)")]
        }
        let isBlock = status.kind == .blockDevice
        if isBlock {
            findings += usage(devicePath: devicePath, devNumber: status.deviceNode)
        }
        findings += signatures(path: devicePath, isBlock: isBlock, fileSize: status.sizeBytes)
        return findings
    }

    /// The refusal for a write job, naming what was found and the override.
    public static func refusalMessage(devicePath: String, findings: [DeviceFinding]) -> String {
        "--target \(devicePath) is in use or holds data that a write job would destroy: "
            + findings.map(\.description).joined(separator: "; ")
            + ". Choose another device, or pass --force-destructive (together with --allow-device-writes) if destroying it is intended"
    }

    // MARK: - In use

    /// The inspected device or one of its partitions.
    struct Node {
        var name: String            // sysfs name: loop3, loop3p1, sda1
        var devNumber: DeviceNumber
        var isPartition: Bool       // a partition of the inspected device (not the device itself)
        var holders: [String]
        var devPath: String { "/dev/\(name)" }
        /// "" for the device itself, "partition /dev/x " for a partition (the subject of a phrase).
        var subject: String { isPartition ? "partition \(devPath) is " : "" }
    }

    /// `sysfs`, `mountinfo` and `swaps` are parameters for tests (a fake sysfs tree).
    static func usage(devicePath: String, devNumber own: DeviceNumber, sysfs: String = "/sys",
                      mountinfo: String = MountInfo.path, swaps: String = "/proc/swaps") -> [DeviceFinding] {
        var findings: [DeviceFinding] = []
        var nodes = [Node(name: lastComponent(devicePath), devNumber: own, isPartition: false, holders: [])]

        // sysfs: /sys/dev/block/MAJ:MIN links to the device's directory; partitions are its
        // subdirectories that have a `partition` file; each has a `holders` directory.
        let link = "\(sysfs)/dev/block/\(own)"
        if let dir = realPath(link) {
            nodes[0].name = lastComponent(dir)
            nodes[0].holders = (try? listDirectory(dir + "/holders")) ?? []
            for entry in (try? listDirectory(dir)) ?? [] where pathExists("\(dir)/\(entry)/partition") {
                guard let dev = (try? readSmallFile("\(dir)/\(entry)/dev", limit: 64)).flatMap(DeviceNumber.init) else {
                    findings.append(DeviceFinding(.unreadable, "cannot read \(dir)/\(entry)/dev"))
                    continue
                }
                nodes.append(Node(name: entry, devNumber: dev, isPartition: true,
                                  holders: (try? listDirectory("\(dir)/\(entry)/holders")) ?? []))
            }
        } else {
            findings.append(DeviceFinding(.unreadable, "cannot resolve \(link): \(Errno.current) (is /sys mounted?); its partitions and holders were not checked"))
        }

        // Mounted: by major:minor (field 3 of mountinfo), or by the mount source's device number
        // for file systems that report an anonymous device there (btrfs does).
        var mountPoints: [[String]] = Array(repeating: [], count: nodes.count)
        do {
            for mount in try MountInfo.read(mountinfo) {
                var sourceDev: DeviceNumber?
                if mount.source.hasPrefix("/dev/"), let st = try? fileStatus(mount.source), st.kind == .blockDevice {
                    sourceDev = st.deviceNode
                }
                for (i, node) in nodes.enumerated() where mount.device == node.devNumber || sourceDev == node.devNumber {
                    if !mountPoints[i].contains(mount.mountPoint) { mountPoints[i].append(mount.mountPoint) }
                }
            }
        } catch {
            findings.append(DeviceFinding(.unreadable, "cannot read \(mountinfo): \(error); mounts were not checked"))
        }
        for (i, node) in nodes.enumerated() where !mountPoints[i].isEmpty {
            findings.append(DeviceFinding(.mounted, "\(node.subject)mounted at \(mountPoints[i].joined(separator: ", "))"))
        }

        // Swap: /proc/swaps names the swap areas by path; compare their device numbers.
        do {
            let list = try readSmallFile(swaps, limit: 1 << 20)
            for line in list.split(separator: "\n").dropFirst() {
                guard let first = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).first else { continue }
                guard let st = try? fileStatus(MountInfo.unescape(first)), st.kind == .blockDevice else { continue }
                for node in nodes where node.devNumber == st.deviceNode {
                    findings.append(DeviceFinding(.swap, "\(node.subject)used as swap"))
                }
            }
        } catch {
            findings.append(DeviceFinding(.unreadable, "cannot read \(swaps): \(error); swap was not checked"))
        }

        for node in nodes where !node.holders.isEmpty {
            findings.append(DeviceFinding(.held, "\(node.subject)held by \(node.holders.joined(separator: ", "))"))
        }
        let partitions = nodes.filter(\.isPartition).map(\.name)
        if !partitions.isEmpty {
            findings.append(DeviceFinding(.partitions, "has partitions \(partitions.joined(separator: ", "))"))
        }

        // The kernel's own answer: an exclusive open fails while the device (or a partition of
        // it) is mounted in any mount namespace, used as swap, or claimed by a driver.
        let inUse = findings.contains { [.mounted, .swap, .held].contains($0.kind) }
        do {
            closeFile(try openFile(devicePath, O_RDONLY | O_EXCL | O_CLOEXEC))
        } catch where error.rawValue == EBUSY && !inUse {
            findings.append(DeviceFinding(.busy, "in use: an exclusive open fails with EBUSY (mounted in another mount namespace, or claimed by a driver or program)"))
        } catch {}
        return findings
    }

    // MARK: - Signatures

    /// Reads regions of the device; a region past the end is nil (it cannot hold a signature).
    struct Reader {
        let fd: Int32
        let size: UInt64
        /// The first read failure and how many more there were.
        var failure: (offset: UInt64, length: Int, errno: Errno)?
        var moreFailures = 0

        mutating func read(_ offset: UInt64, _ length: Int) -> [UInt8]? {
            guard offset <= size, UInt64(length) <= size - offset else { return nil }
            var bytes = [UInt8](repeating: 0, count: length)
            // A short read (the device shrank) leaves zeros, which hold no signature.
            let (_, error) = bytes.withUnsafeMutableBytes { preadUpTo(fd, $0.baseAddress!, length, offset) }
            if let error {
                if failure == nil { failure = (offset, length, error) } else { moreFailures += 1 }
                return nil
            }
            return bytes
        }
    }

    /// How much of the start of the device is read at once: it covers every signature in the
    /// first 64 KiB and btrfs's primary superblock (64 KiB + 0x40, label up to + 0x22b).
    static let headLength = 68 << 10

    static func signatures(path: String, isBlock: Bool, fileSize: UInt64) -> [DeviceFinding] {
        let fd: Int32
        do { fd = try openFile(path, O_RDONLY | O_CLOEXEC) } catch {
            return [DeviceFinding(.unreadable, "cannot open it to look for signatures: \(error)")]
        }
        defer { closeFile(fd) }
        var size = fileSize
        if isBlock {
            do { size = try blockDeviceSize(fd) } catch {
                return [DeviceFinding(.unreadable, "cannot get its size (BLKGETSIZE64): \(error)")]
            }
        }
        var reader = Reader(fd: fd, size: size)
        // The head, zero-padded when the device is shorter (no magic is all zeros).
        var head = [UInt8](repeating: 0, count: headLength)
        let headRead = Int(min(UInt64(headLength), size))
        if headRead > 0 {
            let got = reader.read(0, headRead) ?? []
            head.replaceSubrange(0..<got.count, with: got)
        }

        var found: [String] = []
        found += ext(head)
        found += xfs(head)
        found += btrfs(head, &reader)
        found += swap(head)
        found += lvm2(head)
        found += mdRaid(head, &reader)
        found += luks(head, &reader)
        found += partitionTable(head, &reader)
        found += zfs(&reader)
        found += bcache(head)
        var findings = found.map { DeviceFinding(.signature, $0) }
        if let f = reader.failure {
            let more = reader.moreFailures > 0 ? " (and \(reader.moreFailures) more read\(reader.moreFailures == 1 ? "" : "s"))" : ""
            findings.append(DeviceFinding(.unreadable, "cannot read \(f.length) bytes at offset \(f.offset)\(more): \(f.errno); signatures there were not checked"))
        }
        return findings
    }

    /// ext2/3/4 — libblkid superblocks/ext.c: the superblock is at 0x400, magic 0xEF53 (LE) at
    /// +0x38. The feature words (+0x5C compat, +0x60 incompat, +0x64 ro_compat) tell the
    /// versions apart as libblkid does: incompat JOURNAL_DEV (0x8) is an external journal; a
    /// feature ext3 lacks (incompat outside FILETYPE|RECOVER|META_BG = 0x16, ro_compat outside
    /// SPARSE_SUPER|LARGE_FILE|BTREE_DIR = 0x7) is ext4; HAS_JOURNAL (compat 0x4) is ext3; else
    /// ext2. Label: s_volume_name, 16 bytes at +0x78. Sanity (against a stray 2-byte match):
    /// s_log_block_size (+0x18) at most 6 (64 KiB blocks) and s_rev_level (+0x4C) 0 or 1.
    static func ext(_ head: [UInt8]) -> [String] {
        let sb = 0x400
        guard le16(head, sb + 0x38) == 0xEF53, le32(head, sb + 0x18) <= 6, le32(head, sb + 0x4C) <= 1 else { return [] }
        let compat = le32(head, sb + 0x5C), incompat = le32(head, sb + 0x60), roCompat = le32(head, sb + 0x64)
        let label = labelSuffix(head, sb + 0x78, 16)
        if incompat & 0x8 != 0 { return ["ext3/ext4 external journal signature\(label)"] }
        let kind = (incompat & ~UInt32(0x16) != 0 || roCompat & ~UInt32(0x7) != 0) ? "ext4"
            : (compat & 0x4 != 0 ? "ext3" : "ext2")
        return ["\(kind) file system signature\(label)"]
    }

    /// XFS — libblkid superblocks/xfs.c: "XFSB" at 0; label sb_fname, 12 bytes at 108.
    static func xfs(_ head: [UInt8]) -> [String] {
        guard matches(head, 0, "XFSB") else { return [] }
        return ["XFS file system signature\(labelSuffix(head, 108, 12))"]
    }

    /// btrfs — libblkid superblocks/btrfs.c: "_BHRfS_M" at +0x40 of the superblock at 64 KiB,
    /// with mirrors at 64 MiB and 256 GiB (a file system whose primary copy was wiped can be
    /// recovered from them); label 256 bytes at +0x12B.
    static func btrfs(_ head: [UInt8], _ reader: inout Reader) -> [String] {
        if matches(head, 0x10000 + 0x40, "_BHRfS_M") {
            return ["btrfs file system signature\(labelSuffix(head, 0x10000 + 0x12B, 256))"]
        }
        for mirror: UInt64 in [64 << 20, 256 << 30] {
            if let sb = reader.read(mirror, 0x12B + 256), matches(sb, 0x40, "_BHRfS_M") {
                return ["btrfs file system signature (backup superblock at \(mirror >> 20) MiB)\(labelSuffix(sb, 0x12B, 256))"]
            }
        }
        return []
    }

    /// Swap — libblkid superblocks/swap.c: "SWAPSPACE2" (v1) or "SWAP-SPACE" (v0) in the last
    /// 10 bytes of the first page, for pages of 4, 8, 16, 32 and 64 KiB (0xff6 ... 0xfff6); a
    /// hibernation image replaces it with S1SUSPEND, S2SUSPEND, ULSUSPEND or LINHIB0001. The v1
    /// header is at 1024: version, last_page, nr_badpages, uuid[16], then the label (16 bytes at 1052).
    static func swap(_ head: [UInt8]) -> [String] {
        for page in [0x1000, 0x2000, 0x4000, 0x8000, 0x10000] {
            let at = page - 10
            if matches(head, at, "SWAPSPACE2") { return ["swap signature\(labelSuffix(head, 1052, 16))"] }
            if matches(head, at, "SWAP-SPACE") { return ["swap signature (version 0)"] }
            for image in ["S1SUSPEND", "S2SUSPEND", "ULSUSPEND", "LINHIB0001"] where matches(head, at, image) {
                return ["swap signature with a hibernation image (\(image))"]
            }
        }
        return []
    }

    /// LVM2 — libblkid superblocks/lvm.c: a label header "LABELONE" at the start of one of the
    /// first four 512-byte sectors, with the type "LVM2 001" at +0x18 of that header.
    static func lvm2(_ head: [UInt8]) -> [String] {
        for sector in 0..<4 where matches(head, sector * 512, "LABELONE") && matches(head, sector * 512 + 0x18, "LVM2 001") {
            return ["LVM2 physical volume signature"]
        }
        return []
    }

    /// MD RAID — libblkid superblocks/linux_raid.c: magic 0xa92b4efc. Metadata 1.x (little-endian,
    /// major_version 1 at +4, array name 32 bytes at +32): 1.1 at 0, 1.2 at 4 KiB, 1.0 at
    /// (size rounded down to 4 KiB) - 8 KiB. Metadata 0.90 (either byte order) at (size rounded
    /// down to 64 KiB) - 64 KiB.
    static func mdRaid(_ head: [UInt8], _ reader: inout Reader) -> [String] {
        let magic: UInt32 = 0xa92b4efc
        func v1(_ b: [UInt8], _ at: Int, _ version: String) -> [String]? {
            guard le32(b, at) == magic, le32(b, at + 4) == 1 else { return nil }
            let name = label(b, at + 32, 32)
            return ["MD RAID superblock (metadata \(version)\(name.isEmpty ? "" : ", array \(quoted(name))"))"]
        }
        if let r = v1(head, 0, "1.1") ?? v1(head, 0x1000, "1.2") { return r }
        let size = reader.size
        if size >= 0x3000, let b = reader.read((size & ~UInt64(0xFFF)) - 0x2000, 64), let r = v1(b, 0, "1.0") { return r }
        if size > 0x10000, let b = reader.read((size & ~UInt64(0xFFFF)) - 0x10000, 4),
           le32(b, 0) == magic || be32(b, 0) == magic {
            return ["MD RAID superblock (metadata 0.90)"]
        }
        return []
    }

    /// LUKS — libblkid superblocks/luks.c: "LUKS\xba\xbe" at 0, version (big-endian u16) at 6;
    /// LUKS2 label 48 bytes at 24. Without a primary header, a LUKS2 secondary header "SKUL\xba\xbe"
    /// at 16 KiB ... 4 MiB whose hdr_offset (big-endian u64 at 256) is its own offset.
    static func luks(_ head: [UInt8], _ reader: inout Reader) -> [String] {
        if matches(head, 0, [0x4C, 0x55, 0x4B, 0x53, 0xBA, 0xBE]) {
            let version = be16(head, 6)
            let label = version == 2 ? labelSuffix(head, 24, 48) : ""
            return ["LUKS\(version == 1 || version == 2 ? String(version) : "") encryption header\(label)"]
        }
        for offset: UInt64 in [0x4000, 0x8000, 0x10000, 0x20000, 0x40000, 0x80000, 0x100000, 0x200000, 0x400000] {
            if let b = reader.read(offset, 264), matches(b, 0, [0x53, 0x4B, 0x55, 0x4C, 0xBA, 0xBE]), be64(b, 256) == offset {
                return ["LUKS2 secondary encryption header at offset \(offset)"]
            }
        }
        return []
    }

    /// Partition tables and sector-0 boot records.
    ///
    /// GPT — libblkid partitions/gpt.c: the header "EFI PART" in LBA 1 (512 for 512-byte sectors,
    /// 4096 for 4Kn) or its backup in the last LBA; a protective MBR has a partition of type 0xEE.
    ///
    /// MBR — libblkid partitions/dos.c: 0x55AA at 510, four 16-byte entries at 446 (boot flag +0,
    /// type +4, start +8, size +12), every boot flag 0 or 0x80. Counted as a partition table
    /// when at least one entry has a non-zero size.
    ///
    /// A bare boot signature (0x55AA with an all-zero partition table area) is not a finding: it
    /// refers to no data, and it is what emptying a table (`sfdisk --delete`) leaves. 0x55AA
    /// with anything else in the table area that is neither a valid table nor a FAT, NTFS or
    /// exFAT boot sector (libblkid superblocks/vfat.c: "FAT12   ", "FAT16   ", "FAT     " at
    /// 0x36 or "FAT32   " at 0x52; ntfs.c "NTFS    " at 3; exfat.c "EXFAT   " at 3) is reported
    /// as an unrecognized boot sector: something wrote it.
    static func partitionTable(_ head: [UInt8], _ reader: inout Reader) -> [String] {
        var found: [String] = []
        let size = reader.size
        let primary = matches(head, 512, "EFI PART") || matches(head, 4096, "EFI PART")
        var backup = false
        if !primary {
            for sector: UInt64 in [512, 4096] where size >= 2 * sector {
                if let b = reader.read(size - sector, 8), matches(b, 0, "EFI PART") { backup = true }
            }
        }
        if matches(head, 3, "NTFS    ") { found.append("NTFS file system signature") }
        if matches(head, 3, "EXFAT   ") { found.append("exFAT file system signature") }
        let bootSignature = head[510] == 0x55 && head[511] == 0xAA
        let fat = bootSignature && (["FAT12   ", "FAT16   ", "FAT     "].contains { matches(head, 0x36, $0) } || matches(head, 0x52, "FAT32   "))
        if fat { found.append("FAT file system signature\(labelSuffix(head, matches(head, 0x52, "FAT32   ") ? 0x47 : 0x2B, 11))") }

        let entries = (0..<4).map { 446 + 16 * $0 }
        let protective = bootSignature && entries.contains { head[$0 + 4] == 0xEE }
        if primary || backup {
            found.append("GPT partition table\(primary ? "" : " (backup header only)")")
        } else if protective {
            found.append("GPT protective MBR (partition type 0xEE) without a GPT header")
        } else if bootSignature && found.isEmpty {
            let validFlags = entries.allSatisfy { head[$0] == 0 || head[$0] == 0x80 }
            let used = entries.filter { le32(head, $0 + 12) != 0 }.count
            if validFlags && used > 0 {
                found.append("MBR (dos) partition table with \(used) partition\(used == 1 ? "" : "s")")
            } else if head[446..<510].contains(where: { $0 != 0 }) {
                found.append("boot sector (0x55AA at byte 510) with an unrecognized partition table or boot code")
            }
        }
        return found
    }

    /// ZFS — libblkid superblocks/zfs.c: four 256 KiB vdev labels, L0 at 0, L1 at 256 KiB, L2 and
    /// L3 at 512 and 256 KiB before the end (the size rounded down to 256 KiB); each holds its
    /// uberblock ring at +128 KiB, 1 KiB slots starting with the magic 0x00bab10c as a u64 in
    /// either byte order. One uberblock in any label is a finding (libblkid wants four: a pool
    /// with some labels destroyed still counts here).
    static func zfs(_ reader: inout Reader) -> [String] {
        let label: UInt64 = 256 << 10
        let aligned = reader.size - reader.size % label
        var starts: [UInt64] = [0, label]
        if aligned >= 4 * label { starts += [aligned - 2 * label, aligned - label] }
        for start in starts {
            guard let ring = reader.read(start + (128 << 10), 128 << 10) else { continue }
            for slot in stride(from: 0, to: ring.count, by: 1024) {
                let v = le64(ring, slot)
                if v == 0x00bab10c || v == UInt64(0x00bab10c).byteSwapped {
                    return ["ZFS pool member signature (uberblock magic)"]
                }
            }
        }
        return []
    }

    /// bcache — libblkid superblocks/bcache.c: the superblock at 4 KiB, its 16-byte magic at +24;
    /// bcachefs uses the same place with its own magic.
    static func bcache(_ head: [UInt8]) -> [String] {
        let at = 0x1000 + 24
        if matches(head, at, [0xc6, 0x85, 0x73, 0xf6, 0x4e, 0x1a, 0x45, 0xca, 0x82, 0x65, 0xf5, 0x7f, 0x48, 0xba, 0x6d, 0x81]) {
            return ["bcache superblock"]
        }
        if matches(head, at, [0xc6, 0x85, 0x73, 0xf6, 0x66, 0xce, 0x90, 0xa9, 0xd9, 0x6a, 0x60, 0xcf, 0x80, 0x3d, 0xf7, 0xef]) {
            return ["bcachefs file system signature"]
        }
        return []
    }

    // MARK: - Helpers

    static func matches(_ b: [UInt8], _ at: Int, _ magic: String) -> Bool { matches(b, at, Array(magic.utf8)) }
    static func matches(_ b: [UInt8], _ at: Int, _ magic: [UInt8]) -> Bool {
        at >= 0 && at + magic.count <= b.count && b[at..<at + magic.count].elementsEqual(magic)
    }

    static func le16(_ b: [UInt8], _ at: Int) -> UInt16 { UInt16(b[at]) | UInt16(b[at + 1]) << 8 }
    static func le32(_ b: [UInt8], _ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(b[at + $1]) << (8 * $1) } }
    static func le64(_ b: [UInt8], _ at: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(b[at + $1]) << (8 * $1) } }
    static func be16(_ b: [UInt8], _ at: Int) -> UInt16 { UInt16(b[at]) << 8 | UInt16(b[at + 1]) }
    static func be32(_ b: [UInt8], _ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 << 8 | UInt32(b[at + $1]) } }
    static func be64(_ b: [UInt8], _ at: Int) -> UInt64 { (0..<8).reduce(0) { $0 << 8 | UInt64(b[at + $1]) } }

    /// A NUL-terminated (or full-width) text field, printable ASCII kept, the rest escaped.
    static func label(_ b: [UInt8], _ at: Int, _ width: Int) -> String {
        guard at >= 0, at + width <= b.count else { return "" }
        let raw = b[at..<at + width].prefix { $0 != 0 }
        let text = String(decoding: raw, as: UTF8.self)
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"", "\\": out += "\\\(scalar)"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                out += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out.trimmingBlanks
    }

    static func quoted(_ s: String) -> String { "\"\(s)\"" }

    /// ` (label "x")`, or "" when the field is empty.
    static func labelSuffix(_ b: [UInt8], _ at: Int, _ width: Int) -> String {
        let l = label(b, at, width)
        return l.isEmpty ? "" : " (label \(quoted(l)))"
    }

    static func lastComponent(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
