import CURing
import Glibc

/// What a target path is.
public enum TargetKind: String, Codable, Sendable {
    case file
    case blockDevice = "block_device"
}

/// What tierbench learned about a target before running: kind, size and direct-I/O alignment.
public struct TargetInfo: Codable, Sendable, Equatable {
    public var path: String
    public var kind: TargetKind
    public var sizeBytes: UInt64
    /// The offset and length alignment O_DIRECT needs (logical block size; statx DIO alignment).
    public var directIOAlignmentBytes: Int
    /// Created by this run (and so laid out by it); false for an existing file or a device.
    public var created: Bool
    /// A scratch file this run removes when it ends (the default target, a file in a directory).
    public var scratch: Bool

    public init(path: String, kind: TargetKind, sizeBytes: UInt64, directIOAlignmentBytes: Int, created: Bool, scratch: Bool) {
        self.path = path; self.kind = kind; self.sizeBytes = sizeBytes
        self.directIOAlignmentBytes = directIOAlignmentBytes; self.created = created; self.scratch = scratch
    }

    enum CodingKeys: String, CodingKey {
        case path, kind, sizeBytes, created, scratch
        case directIOAlignmentBytes = "directIoAlignmentBytes"  // snake_case both ways: direct_io_alignment_bytes
    }
}

/// Opening, sizing and creating targets, with errors that name the path and the fix.
public enum Targets {
    public enum PathKind: Equatable, Sendable {
        case missing
        case regularFile(sizeBytes: UInt64)
        case blockDevice
        case directory
        case other
    }

    /// `stat(2)` of `path`, classified. A missing path whose parent directory exists is `.missing`.
    public static func classify(_ path: String) throws(TargetError) -> PathKind {
        let st: FileStatus
        do { st = try fileStatus(path) } catch {
            switch error.rawValue {
            case ENOENT:
                let parent = parentDirectory(path)
                guard (try? fileStatus(parent))?.kind == .directory else {
                    throw TargetError("--target \(path): the directory \(parent) does not exist; create it or choose another --target")
                }
                return .missing
            case EACCES:
                throw TargetError("--target \(path): permission denied; run as a user who can reach it, or choose another --target")
            case ENOTDIR:
                throw TargetError("--target \(path): a part of the path is not a directory; check the path")
            default:
                throw TargetError("--target \(path): \(error.text); check the path")
            }
        }
        switch st.kind {
        case .regularFile: return .regularFile(sizeBytes: st.sizeBytes)
        case .blockDevice: return .blockDevice
        case .directory: return .directory
        case .other: return .other
        }
    }

    /// What `path` names, whatever its spelling: an existing file or device by its device and
    /// inode (a hard link, a symbolic link and a relative spelling are one), a new file by its
    /// directory's real path and its name. nil: the path does not resolve.
    public static func identity(of path: String) -> String? {
        if let st = try? fileStatus(path) { return st.kind == .blockDevice ? "device \(st.deviceNode)" : "\(st.device) inode \(st.inode)" }
        guard let dir = realPath(parentDirectory(path)) else { return nil }
        let name = path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
        return "\(dir)/\(name)"
    }

    static func parentDirectory(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let p = String(path[..<slash])
        return p.isEmpty ? "/" : p
    }

    /// Opens an existing file or device for the run.
    /// - Throws: `TargetError` for permission, read-only file systems, O_DIRECT refusal, busy devices.
    /// `synced`: fio's `sync=1|dsync`, every write on the descriptor durable when it completes.
    public static func open(_ path: String, write: Bool, direct: Bool, create: Bool = false, synced: SyncOpen? = nil) throws(TargetError) -> Int32 {
        var flags = (write ? O_RDWR : O_RDONLY) | O_CLOEXEC
        if direct { flags |= tb_o_direct() }
        if let synced { flags |= synced.flag }
        if create { flags |= O_CREAT | O_EXCL }
        let e: Errno
        do { return try openFile(path, flags, mode: 0o644) } catch { e = error }
        let mode = write ? "reading and writing" : "reading"
        switch e.rawValue {
        case EACCES, EPERM:
            throw TargetError("--target \(path): permission denied opening it for \(mode); run as a user who may (e.g. root for devices), or choose another --target")
        case EINVAL where direct:
            throw TargetError("--target \(path): the file system refuses O_DIRECT; use --direct 0 (buffered I/O through the page cache)")
        case EROFS:
            throw TargetError("--target \(path) is on a read-only file system; a job that writes needs a writable target")
        case EBUSY:
            throw TargetError("--target \(path) is busy (opened exclusively by another program); stop that program or choose another --target")
        case ENOENT:
            throw TargetError("--target \(path) does not exist; check the path")
        case EEXIST:
            throw TargetError("--target \(path) appeared while tierbench was creating it; run again")
        case ENXIO, ENODEV:
            throw TargetError("--target \(path): no such device (is it attached?); check the path")
        default:
            throw TargetError("--target \(path): cannot open for \(mode): \(e); check the path")
        }
    }

    /// Size in bytes (`BLKGETSIZE64`) and logical block size (`BLKSSZGET`) of a block device.
    public static func blockDeviceGeometry(_ fd: Int32) throws(Errno) -> (sizeBytes: UInt64, logicalBlockBytes: Int) {
        (try blockDeviceSize(fd), try blockDeviceLogicalBlockBytes(fd))
    }

    /// Opens `path` with O_DIRECT to learn whether its file system allows it and with what
    /// alignment (512 when the kernel does not say).
    public static func directIOAlignment(ofFile path: String) throws(TargetError) -> Int {
        let fd = try open(path, write: false, direct: true)
        defer { closeFile(fd) }
        return fileDirectIOAlignment(fd) ?? 512
    }

    /// The O_DIRECT offset alignment of a file (`statx` STATX_DIOALIGN, Linux 6.1+), or nil when
    /// the kernel or file system does not say.
    public static func fileDirectIOAlignment(_ fd: Int32) -> Int? {
        statxDirectIOAlignment(fd)?.offsetBytes
    }
}

/// A target the run cannot use as given; the message names the path and the fix.
public struct TargetError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
