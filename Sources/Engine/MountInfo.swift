/// One line of /proc/self/mountinfo (proc(5)): `36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw,errors=continue`.
public struct MountEntry: Sendable, Equatable {
    /// Field 3: the `st_dev` of files on this mount.
    public var device: DeviceNumber
    /// Field 5, unescaped: where it is mounted.
    public var mountPoint: String
    /// The first field after the ` - ` separator: `ext4`, `tmpfs`, ...
    public var fileSystemType: String
    /// The second field after the separator, unescaped: `/dev/vda1`, `tmpfs`, ...
    public var source: String

    public init(device: DeviceNumber, mountPoint: String, fileSystemType: String, source: String) {
        self.device = device; self.mountPoint = mountPoint; self.fileSystemType = fileSystemType; self.source = source
    }
}

/// The mount table of this mount namespace, as /proc/self/mountinfo lists it.
public enum MountInfo {
    public static let path = "/proc/self/mountinfo"

    /// Reads and parses the mount table (`path` is a parameter for tests).
    public static func read(_ path: String = MountInfo.path) throws(Errno) -> [MountEntry] {
        parse(try readSmallFile(path, limit: 16 << 20))
    }

    /// The entries of a mountinfo text; lines that are not in its format are skipped. Optional
    /// fields (field 7 on) run up to a lone `-`; the fields are separated by single spaces (a
    /// space inside a path is escaped, so an empty field is a field).
    public static func parse(_ text: String) -> [MountEntry] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count >= 10, let dash = fields[6...].firstIndex(of: "-"), dash + 2 < fields.count,
                  let device = DeviceNumber(fields[2]) else { return nil }
            return MountEntry(device: device, mountPoint: unescape(fields[4]),
                              fileSystemType: String(fields[dash + 1]), source: unescape(fields[dash + 2]))
        }
    }

    /// The mount holding `path` (a real path: no symbolic links, no `..`): the entry with the
    /// longest mount point that contains it; the last such entry when mounts are stacked.
    public static func mount(holding path: String, in entries: [MountEntry]) -> MountEntry? {
        var best: MountEntry?
        for e in entries {
            let inside = e.mountPoint == "/" || path == e.mountPoint || path.hasPrefix(e.mountPoint + "/")
            if inside && e.mountPoint.utf8.count >= (best?.mountPoint.utf8.count ?? 0) { best = e }
        }
        return best
    }

    /// Undoes the kernel's escapes: it writes space, tab, newline and backslash in a path as a
    /// backslash and exactly three octal digits (`\040`, `\011`, `\012`, `\134`; fs/proc_namespace.c
    /// `mangle`, through `seq_escape`). Anything else, such as a backslash before fewer than
    /// three octal digits or before a sign, is kept as it is. /proc/swaps escapes the same way.
    public static func unescape(_ s: some StringProtocol) -> String {
        guard s.contains("\\") else { return String(s) }
        let b = Array(s.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "\\"), i + 4 <= b.count, b[(i + 1)..<(i + 4)].allSatisfy({ (0x30...0x37).contains($0) }) {
                let v = (Int(b[i + 1]) - 0x30) * 64 + (Int(b[i + 2]) - 0x30) * 8 + (Int(b[i + 3]) - 0x30)
                out.append(UInt8(truncatingIfNeeded: v))
                i += 4
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
