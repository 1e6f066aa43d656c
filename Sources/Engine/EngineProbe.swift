import CURing
import Glibc
import Text
import URing

/// Whether io_uring can be used here, and if not, why, in words a user can act on.
public enum EngineProbe {
    public struct Unavailable: Error, Sendable, CustomStringConvertible {
        public let cause: String
        public var description: String { cause }
    }

    /// Sets up (and tears down) a tiny ring. Returns nil when io_uring works.
    public static func ioUringUnavailable() -> Unavailable? {
        do {
            _ = try Ring(entries: 2)
            return nil
        } catch {
            return Unavailable(cause: cause(for: error.errno))
        }
    }

    static func cause(for code: Int32) -> String {
        let disabled = (try? readSmallFile("/proc/sys/kernel/io_uring_disabled"))?.trimmingWhitespace ?? "0"
        switch code {
        case ENOSYS:
            return "io_uring is not available in this kernel (io_uring_setup: ENOSYS)"
        case EPERM where disabled == "2":
            return "io_uring is disabled by sysctl kernel.io_uring_disabled=2 (io_uring_setup: EPERM)"
        case EPERM where disabled == "1":
            return "io_uring is restricted by sysctl kernel.io_uring_disabled=1 to the group in kernel.io_uring_group (io_uring_setup: EPERM)"
        case EPERM:
            return "io_uring_setup was refused with EPERM: a seccomp profile blocks io_uring (Docker's default profile does)"
        case ENOMEM:
            return "io_uring_setup failed with ENOMEM: RLIMIT_MEMLOCK is too low (ulimit -l)"
        default:
            return "io_uring_setup failed: \(Errno(code))"
        }
    }
}
