import Text

/// A device number (`dev_t`) as major and minor, written `MAJOR:MINOR` as sysfs
/// (`/sys/dev/block/MAJ:MIN`, a device's `dev` file) and /proc/self/mountinfo write it.
public struct DeviceNumber: Hashable, Sendable, CustomStringConvertible {
    public var major: UInt32
    public var minor: UInt32

    public init(major: UInt32, minor: UInt32) {
        self.major = major
        self.minor = minor
    }

    /// Splits a `dev_t` as glibc's `major(3)` and `minor(3)` do (12 + 20 bits of major, 8 + 24 of minor).
    public init(_ dev: UInt64) {
        major = UInt32(truncatingIfNeeded: ((dev >> 32) & 0xFFFF_F000) | ((dev >> 8) & 0xFFF))
        minor = UInt32(truncatingIfNeeded: ((dev >> 12) & 0xFFFF_FF00) | (dev & 0xFF))
    }

    /// Parses `MAJOR:MINOR` (surrounding whitespace, such as a sysfs file's newline, ignored); nil otherwise.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let major = UInt32(parts[0].trimmingWhitespace), let minor = UInt32(parts[1].trimmingWhitespace) else { return nil }
        self.init(major: major, minor: minor)
    }

    public var description: String { "\(major):\(minor)" }
}
