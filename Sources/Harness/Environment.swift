import Engine
import Glibc

/// The machine a run measured on, for the results.
public struct Environment: Codable, Sendable, Equatable {
    public var hostname: String
    /// `uname -sr`, e.g. "Linux 6.18.0".
    public var kernel: String
    public var architecture: String
    public var cpuModel: String?
    public var cpus: Int
    public var memoryBytes: UInt64

    static func current() -> Environment {
        var u = utsname()
        uname(&u)
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
        }
        let cpuinfo = (try? readSmallFile("/proc/cpuinfo", limit: 64 << 10)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { String($0.drop { $0 == " " || $0 == "\t" }) }
        return Environment(
            hostname: field(u.nodename), kernel: "\(field(u.sysname)) \(field(u.release))",
            architecture: field(u.machine), cpuModel: model, cpus: Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))),
            memoryBytes: UInt64(max(0, sysconf(Int32(_SC_PHYS_PAGES)))) &* UInt64(max(0, sysconf(Int32(_SC_PAGESIZE)))))
    }
}

/// The block device under a target (the device itself, or the one holding the file's file
/// system), from sysfs.
public struct DeviceInfo: Codable, Sendable, Equatable {
    /// Kernel name, e.g. "nvme0n1", "loop3", "vda".
    public var name: String
    /// "MAJOR:MINOR" of the whole disk.
    public var number: String
    public var model: String?
    public var sizeBytes: UInt64?
    public var logicalBlockBytes: Int?
    public var physicalBlockBytes: Int?
    public var rotational: Bool?

    enum CodingKeys: String, CodingKey {
        case name, number, model, sizeBytes, logicalBlockBytes, physicalBlockBytes, rotational
    }

    /// The device for `dev` (st_rdev of a device node, st_dev of a file); the whole disk when
    /// `dev` is a partition. nil when sysfs does not know it (tmpfs, overlay on no device).
    static func lookup(major: UInt32, minor: UInt32) -> DeviceInfo? {
        var path = "/sys/dev/block/\(major):\(minor)"
        guard let real = realPath(path) else { return nil }
        path = real
        if access(path + "/partition", F_OK) == 0 {
            path = String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
        }
        func read(_ file: String) -> String? {
            (try? readSmallFile(path + "/" + file, limit: 4096)).map(\.trimmedNewline).flatMap { $0.isEmpty ? nil : $0 }
        }
        guard let number = read("dev") else { return nil }
        let name = String(path[path.index(after: path.lastIndex(of: "/") ?? path.startIndex)...])
        return DeviceInfo(
            name: name, number: number, model: read("device/model"),
            sizeBytes: read("size").flatMap { UInt64($0) }.map { $0 &* 512 },
            logicalBlockBytes: read("queue/logical_block_size").flatMap { Int($0) },
            physicalBlockBytes: read("queue/physical_block_size").flatMap { Int($0) },
            rotational: read("queue/rotational").map { $0 == "1" })
    }
}

enum TargetDetails {
    /// The device and, for a file, the file system type holding it.
    static func of(_ path: String) -> (DeviceInfo?, String?) {
        var st = stat()
        guard stat(path, &st) == 0 else { return (nil, nil) }
        let isDevice = (st.st_mode & S_IFMT) == S_IFBLK
        let dev = isDevice ? st.st_rdev : st.st_dev
        let device = DeviceInfo.lookup(major: UInt32(truncatingIfNeeded: ((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfff)),
                                        minor: UInt32(truncatingIfNeeded: (dev & 0xff) | ((dev >> 12) & ~0xff)))
        return (device, isDevice ? nil : fileSystemType(of: path))
    }

    /// The type of the mount holding `path`: the longest mount point in /proc/self/mountinfo
    /// that contains its real path.
    static func fileSystemType(of path: String) -> String? {
        guard let real = realPath(path) else { return nil }
        guard let info = try? readSmallFile("/proc/self/mountinfo") else { return nil }
        var best: (length: Int, type: String)?
        for line in info.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count > 6, let dash = fields.firstIndex(of: "-"), dash + 1 < fields.count else { continue }
            let mountPoint = unescapeMountPath(String(fields[4]))
            let inside = mountPoint == "/" || real == mountPoint || real.hasPrefix(mountPoint + "/")
            if inside && mountPoint.count >= (best?.length ?? -1) {
                best = (mountPoint.count, String(fields[dash + 1]))
            }
        }
        return best?.type
    }

    /// mountinfo escapes space, tab, newline and backslash as \ooo.
    static func unescapeMountPath(_ s: String) -> String {
        guard s.contains("\\") else { return s }
        var out: [UInt8] = []
        let b = Array(s.utf8)
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "\\"), i + 3 < b.count,
               let v = UInt8(String(decoding: b[(i + 1)...(i + 3)], as: UTF8.self), radix: 8) {
                out.append(v); i += 4
            } else {
                out.append(b[i]); i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
