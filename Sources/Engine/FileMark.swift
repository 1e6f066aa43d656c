import Glibc

/// The mark tierbench leaves on a file it created and keeps (a `--target` file, a fio log), so a
/// later run may write that file again without `--overwrite`, as fio users rerun a job on its
/// file all day: the extended attribute `user.tierbench`, holding the file's inode, size and
/// modification time as tierbench last left it (`getfattr -n user.tierbench FILE` shows it).
///
/// The mark names the file's state rather than only its origin because the attribute outlives
/// what it vouches for: a program that writes into the file (`cp other FILE`, `dd`, a database)
/// keeps the inode and the attribute but moves the modification time; a copy (`cp -a`,
/// `rsync -X`) keeps the attribute, size and time but is another inode. Either is no longer
/// tierbench's to write. Neither the content (reading it all would cost a run) nor the device
/// number (which can change across reboots) is part of the mark.
public enum FileMark {
    public static let attribute = "user.tierbench"

    /// What the mark says about a file.
    public enum State: Sendable, Equatable {
        /// Marked, and as tierbench left it.
        case tierbenchs
        /// Marked, but written, resized or copied since tierbench left it (or a run writing it
        /// was killed before it could mark it again).
        case changed
        /// No mark: a file tierbench did not create.
        case unmarked
        /// Its file system keeps no user extended attributes (ramfs, some NFS; tmpfs before
        /// Linux 6.6), so tierbench cannot tell its own files there.
        case unsupported
    }

    /// The mark of an open file.
    public static func state(of fd: Int32) -> State {
        state(try? fileStatus(descriptor: fd)) { () throws(Errno) in try fileAttribute(fd, attribute) }
    }

    /// The mark of the file at `path` (following symbolic links).
    public static func state(atPath path: String) -> State {
        state(try? fileStatus(path)) { () throws(Errno) in try fileAttribute(atPath: path, attribute) }
    }

    /// Marks an open file as tierbench's as it is now: call it after tierbench's last write.
    /// Throws EOPNOTSUPP when the file system keeps no user extended attributes.
    public static func record(_ fd: Int32) throws(Errno) {
        try setFileAttribute(fd, attribute, Array(value(try fileStatus(descriptor: fd)).utf8))
    }

    /// The mark's text for a file in the state `status`.
    static func value(_ status: FileStatus) -> String {
        let nanoseconds = String(status.modifiedNanoseconds)
        let padded = String(repeating: "0", count: max(0, 9 - nanoseconds.count)) + nanoseconds
        return "tierbench inode=\(status.inode) size=\(status.sizeBytes) mtime=\(status.modifiedSeconds).\(padded)"
    }

    static func state(_ status: FileStatus?, _ read: () throws(Errno) -> [UInt8]) -> State {
        guard let status, status.kind == .regularFile else { return .unmarked }
        do {
            return String(decoding: try read(), as: UTF8.self) == value(status) ? .tierbenchs : .changed
        } catch {
            switch error.rawValue {
            case EOPNOTSUPP: return .unsupported
            case ERANGE: return .changed  // a mark, but not one tierbench wrote
            default: return .unmarked     // ENODATA; or unreadable, which is no mark tierbench can trust
            }
        }
    }
}
