import Glibc

/// An errno with its symbolic name, for messages and per-errno counts.
public struct Errno: Error, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(_ rawValue: Int32) { self.rawValue = rawValue }

    /// The calling thread's `errno`.
    public static var current: Errno { Errno(errno) }

    /// `EIO`, `ENOSPC`, ...; `errno N` for the rare ones.
    public var name: String {
        switch rawValue {
        case EPERM: "EPERM"; case ENOENT: "ENOENT"; case EINTR: "EINTR"; case EIO: "EIO"
        case ENXIO: "ENXIO"; case EBADF: "EBADF"; case EAGAIN: "EAGAIN"; case ENOMEM: "ENOMEM"
        case EACCES: "EACCES"; case EFAULT: "EFAULT"; case EBUSY: "EBUSY"; case EEXIST: "EEXIST"
        case ENODEV: "ENODEV"; case ENOTDIR: "ENOTDIR"; case EISDIR: "EISDIR"; case EINVAL: "EINVAL"
        case EFBIG: "EFBIG"; case ENOSPC: "ENOSPC"; case EROFS: "EROFS"; case ENOSYS: "ENOSYS"
        case EOPNOTSUPP: "EOPNOTSUPP"; case ETIMEDOUT: "ETIMEDOUT"; case EDQUOT: "EDQUOT"
        case ECANCELED: "ECANCELED"; case EILSEQ: "EILSEQ"; case ENOTBLK: "ENOTBLK"
        default: "errno \(rawValue)"
        }
    }

    /// `strerror(3)` text.
    public var text: String { String(cString: strerror(rawValue)) }
    public var description: String { "\(name) (\(text))" }

    /// Counts per errno value, keyed by name instead (`EIO`: 3), as results report them.
    public static func countsByName(_ counts: [Int32: UInt64]) -> [String: UInt64] {
        var named: [String: UInt64] = [:]
        for (code, count) in counts { named[Errno(code).name, default: 0] += count }
        return named
    }
}
