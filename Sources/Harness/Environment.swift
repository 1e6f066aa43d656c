import Engine
import Text

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
        let name = systemName()
        let cpuinfo = (try? readSmallFile("/proc/cpuinfo", limit: 64 << 10)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map(\.trimmingWhitespace)
        return Environment(
            hostname: name.hostname, kernel: "\(name.system) \(name.release)", architecture: name.machine,
            cpuModel: model, cpus: onlineCPUs(), memoryBytes: physicalMemoryBytes())
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
    static func lookup(_ dev: DeviceNumber) -> DeviceInfo? {
        guard var path = realPath("/sys/dev/block/\(dev)") else { return nil }
        if pathExists(path + "/partition") {
            path = String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
        }
        func read(_ file: String) -> String? {
            (try? readSmallFile(path + "/" + file, limit: 4096)).map(\.trimmingWhitespace).flatMap { $0.isEmpty ? nil : $0 }
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
        guard let st = try? fileStatus(path) else { return (nil, nil) }
        let isDevice = st.kind == .blockDevice
        return (DeviceInfo.lookup(isDevice ? st.deviceNode : st.device), isDevice ? nil : fileSystemType(of: path))
    }

    /// The type of the mount holding `path` (`mountinfo` is a parameter for tests).
    static func fileSystemType(of path: String, mountinfo: String = MountInfo.path) -> String? {
        guard let real = realPath(path), let mounts = try? MountInfo.read(mountinfo) else { return nil }
        return MountInfo.mount(holding: real, in: mounts)?.fileSystemType
    }
}
