import CURing
import Glibc

/// The monotonic clock in nanoseconds (`clock_gettime(CLOCK_MONOTONIC)`, a vDSO call: no syscall).
@inlinable
public func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
}

/// Sleeps until the `CLOCK_MONOTONIC` time `deadline` (ns, as `monotonicNanoseconds`):
/// `clock_nanosleep` with `TIMER_ABSTIME`, so an interruption (EINTR) does not stretch the sleep.
public func sleepUntil(_ deadline: UInt64) {
    var ts = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
    while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nil) == EINTR {
        if monotonicNanoseconds() >= deadline { return }
    }
}

/// An errno with its symbolic name, for messages and per-errno counts.
public struct Errno: Error, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(_ rawValue: Int32) { self.rawValue = rawValue }

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
}

/// Retries `body` while it fails with EINTR; returns its result or throws the errno.
@inlinable
func retryingEINTR<T: BinaryInteger>(_ body: () -> T) throws(Errno) -> T {
    while true {
        let rc = body()
        if rc >= 0 { return rc }
        let e = errno
        if e != EINTR { throw Errno(e) }
    }
}

/// realpath(3): the canonical absolute path, or nil when it does not resolve.
public func realPath(_ path: String) -> String? {
    guard let p = realpath(path, nil) else { return nil }
    defer { free(p) }
    return String(cString: p)
}

/// `pread(2)` until `count` bytes, the end of the file or device, or an error: how many bytes
/// arrived, and the errno that stopped it early (nil at the end of the file).
public func preadUpTo(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int, _ offset: UInt64) -> (bytes: Int, error: Errno?) {
    var done = 0
    while done < count {
        let n = pread(fd, buffer + done, count - done, off_t(offset) + off_t(done))
        if n < 0 && errno == EINTR { continue }
        if n < 0 { return (done, Errno.current) }
        if n == 0 { break }
        done += n
    }
    return (done, nil)
}

/// `pwrite(2)` of the whole buffer, looping over short writes; throws the errno.
public func pwriteAll(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int, _ offset: UInt64) throws(Errno) {
    var done = 0
    while done < count {
        let n = try retryingEINTR { pwrite(fd, buffer + done, count - done, off_t(offset) + off_t(done)) }
        if n == 0 { throw Errno(EIO) }
        done += n
    }
}
