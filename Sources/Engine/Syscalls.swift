import CURing
import Glibc

// The one place tierbench calls the C library for files, devices, directories, time, signals
// and the system's identity. Each wrapper names the call it stands for; a call that a signal can
// interrupt goes through `syscall(_:)`, which retries EINTR, and every failure is a typed
// `Errno`, as swift-system's wrappers and swift-nio's `syscall(blocking:)` do. The io_uring
// calls are URing's (Ring.swift), and memory for I/O buffers is AlignedBuffers'.

/// posix_fadvise(POSIX_FADV_DONTNEED) over a range: its pages leave the page cache (fio's
/// `invalidate`). Advice only; a file system that ignores it is no error.
public func dropPageCache(_ fd: Int32, offset: UInt64, length: UInt64) {
    _ = posix_fadvise(fd, off_t(offset), off_t(length), POSIX_FADV_DONTNEED)
}

/// Runs `body` (a C call returning -1 and setting `errno` on failure) until it does not fail
/// with EINTR; returns its result or throws its errno.
@inlinable
func syscall<T: FixedWidthInteger>(_ body: () -> T) throws(Errno) -> T {
    while true {
        let rc = body()
        if rc != -1 { return rc }
        let e = errno
        if e != EINTR { throw Errno(e) }
    }
}

// MARK: - Time

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

/// The current time in UTC as `2026-11-21T10:00:00Z` (`time(2)`, `gmtime_r(3)`, `strftime(3)`).
public func utcTimestamp() -> String {
    var now = time(nil)
    var parts = tm()
    gmtime_r(&now, &parts)
    var buffer = [CChar](repeating: 0, count: 32)
    let n = strftime(&buffer, 32, "%Y-%m-%dT%H:%M:%SZ", &parts)
    return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

// MARK: - Descriptors

/// `open(2)`; `mode` applies when `flags` has `O_CREAT`.
public func openFile(_ path: String, _ flags: Int32, mode: mode_t = 0o644) throws(Errno) -> Int32 {
    try syscall { Glibc.open(path, flags, mode) }
}

/// `close(2)`. Not retried: Linux has released the descriptor even when close reports EINTR,
/// and a retry could close a descriptor another thread has just been given.
public func closeFile(_ fd: Int32) {
    _ = Glibc.close(fd)
}

/// `read(2)` into `buffer`: the bytes read, 0 at the end of the file.
public func readFile(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) throws(Errno) -> Int {
    try syscall { Glibc.read(fd, buffer, count) }
}

/// `pread(2)` at `offset`: the bytes read, 0 at the end of the file.
@inlinable
public func preadFile(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int, _ offset: UInt64) throws(Errno) -> Int {
    try syscall { pread(fd, buffer, count, off_t(truncatingIfNeeded: offset)) }
}

/// `pwrite(2)` at `offset`: the bytes written.
@inlinable
public func pwriteFile(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int, _ offset: UInt64) throws(Errno) -> Int {
    try syscall { pwrite(fd, buffer, count, off_t(truncatingIfNeeded: offset)) }
}

/// `pread(2)` until `count` bytes, the end of the file or device, or an error: how many bytes
/// arrived, and the errno that stopped it early (nil at the end of the file).
public func preadUpTo(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int, _ offset: UInt64) -> (bytes: Int, error: Errno?) {
    var done = 0
    while done < count {
        let n: Int
        do { n = try preadFile(fd, buffer + done, count - done, offset + UInt64(done)) } catch { return (done, error) }
        if n == 0 { break }
        done += n
    }
    return (done, nil)
}

/// `pwrite(2)` of the whole buffer, looping over short writes; throws the errno (EIO when the
/// device takes nothing).
public func pwriteAll(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int, _ offset: UInt64) throws(Errno) {
    var done = 0
    while done < count {
        let n = try pwriteFile(fd, buffer + done, count - done, offset + UInt64(done))
        if n == 0 { throw Errno(EIO) }
        done += n
    }
}

/// `posix_fallocate(3)`: reserves `length` bytes from the start of the file (which returns its
/// error instead of setting errno).
public func allocateFile(_ fd: Int32, length: UInt64) throws(Errno) {
    var rc: Int32
    repeat { rc = posix_fallocate(fd, 0, off_t(truncatingIfNeeded: length)) } while rc == EINTR
    if rc != 0 { throw Errno(rc) }
}

/// `ftruncate(2)`: sets the file's size.
public func truncateFile(_ fd: Int32, length: UInt64) throws(Errno) {
    _ = try syscall { ftruncate(fd, off_t(truncatingIfNeeded: length)) }
}

/// `fsync(2)`.
public func syncFile(_ fd: Int32) throws(Errno) {
    _ = try syscall { fsync(fd) }
}

/// `fdatasync(2)`.
public func dataSyncFile(_ fd: Int32) throws(Errno) {
    _ = try syscall { fdatasync(fd) }
}

/// `statx(2)` with `STATX_DIOALIGN` (Linux 6.1+): a file's O_DIRECT memory and offset
/// alignment, or nil when the kernel or the file system does not say.
public func statxDirectIOAlignment(_ fd: Int32) -> (memoryBytes: Int, offsetBytes: Int)? {
    var memory: UInt32 = 0
    var offset: UInt32 = 0
    guard tb_statx_dio_alignment(fd, &memory, &offset) == 0 else { return nil }
    return (Int(memory), Int(offset))
}

/// `ioctl(BLKGETSIZE64)`: a block device's size in bytes.
public func blockDeviceSize(_ fd: Int32) throws(Errno) -> UInt64 {
    var bytes: UInt64 = 0
    _ = try syscall { tb_ioctl_u64(fd, tb_blkgetsize64(), &bytes) }
    return bytes
}

/// `ioctl(BLKSSZGET)`: a block device's logical block size in bytes.
public func blockDeviceLogicalBlockBytes(_ fd: Int32) throws(Errno) -> Int {
    var bytes: Int32 = 0
    _ = try syscall { tb_ioctl_int(fd, tb_blksszget(), &bytes) }
    return Int(bytes)
}

// MARK: - Paths

/// What `stat(2)` says about a path.
public struct FileStatus: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case regularFile, directory, blockDevice, other }
    public var kind: Kind
    public var sizeBytes: UInt64
    /// `st_dev`: the device holding the file.
    public var device: DeviceNumber
    /// `st_rdev`: the device a device node stands for.
    public var deviceNode: DeviceNumber
    /// `st_ino`.
    public var inode: UInt64
    /// `st_mtim`: the last change of the file's content (seconds since the epoch, and nanoseconds).
    public var modifiedSeconds: Int
    public var modifiedNanoseconds: Int

    init(_ st: stat) {
        switch st.st_mode & S_IFMT {
        case S_IFREG: kind = .regularFile
        case S_IFDIR: kind = .directory
        case S_IFBLK: kind = .blockDevice
        default: kind = .other
        }
        sizeBytes = UInt64(max(st.st_size, 0))
        device = DeviceNumber(UInt64(st.st_dev))
        deviceNode = DeviceNumber(UInt64(st.st_rdev))
        inode = UInt64(st.st_ino)
        modifiedSeconds = Int(st.st_mtim.tv_sec)
        modifiedNanoseconds = Int(st.st_mtim.tv_nsec)
    }
}

/// `stat(2)`, following symbolic links.
public func fileStatus(_ path: String) throws(Errno) -> FileStatus {
    var st = stat()
    _ = try syscall { stat(path, &st) }
    return FileStatus(st)
}

/// `fstat(2)`: what `stat(2)` says about an open file.
public func fileStatus(descriptor fd: Int32) throws(Errno) -> FileStatus {
    var st = stat()
    _ = try syscall { fstat(fd, &st) }
    return FileStatus(st)
}

/// `access(2)` with `F_OK`: whether the path exists (a dangling symbolic link does not).
public func pathExists(_ path: String) -> Bool {
    access(path, F_OK) == 0
}

/// realpath(3): the canonical absolute path, or nil when it does not resolve.
public func realPath(_ path: String) -> String? {
    guard let p = realpath(path, nil) else { return nil }
    defer { free(p) }
    return String(cString: p)
}

/// `unlink(2)`.
public func removeFile(_ path: String) throws(Errno) {
    _ = try syscall { unlink(path) }
}

/// `rmdir(2)`.
public func removeDirectory(_ path: String) throws(Errno) {
    _ = try syscall { rmdir(path) }
}

/// `mkdtemp(3)`: creates a new directory from `template`, whose name ends in `XXXXXX`; its path.
public func makeTemporaryDirectory(_ template: String) throws(Errno) -> String {
    var bytes = Array(template.utf8CString)
    guard let dir = bytes.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else { throw Errno.current }
    return String(cString: dir)
}

/// `opendir(3)` and `readdir(3)`: the entries of a directory, sorted, without "." and "..".
public func listDirectory(_ path: String) throws(Errno) -> [String] {
    guard let dir = opendir(path) else { throw Errno.current }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
}

/// Reads a small text file (procfs, sysfs) whole, up to about `limit` bytes.
public func readSmallFile(_ path: String, limit: Int = 1 << 20) throws(Errno) -> String {
    let fd = try openFile(path, O_RDONLY | O_CLOEXEC)
    defer { closeFile(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while bytes.count < limit {
        let n = try chunk.withUnsafeMutableBytes { raw in
            Result { () throws(Errno) in try readFile(fd, raw.baseAddress!, raw.count) }
        }.get()
        if n == 0 { break }
        bytes += chunk[0..<n]
    }
    return String(decoding: bytes, as: UTF8.self)
}

// MARK: - Extended attributes

/// `fgetxattr(2)`: the value of the extended attribute `name` of an open file, up to `limit`
/// bytes. Throws ENODATA when the file has no such attribute, EOPNOTSUPP when its file system
/// keeps none, ERANGE when the value is longer than `limit`.
public func fileAttribute(_ fd: Int32, _ name: String, limit: Int = 256) throws(Errno) -> [UInt8] {
    try attributeValue(limit) { fgetxattr(fd, name, $0, $1) }
}

/// `getxattr(2)`: as `fileAttribute(_:_:limit:)`, of the file at `path` (following symbolic links).
public func fileAttribute(atPath path: String, _ name: String, limit: Int = 256) throws(Errno) -> [UInt8] {
    try attributeValue(limit) { getxattr(path, name, $0, $1) }
}

/// `fsetxattr(2)`: sets the extended attribute `name` of an open file to `value` (creating or
/// replacing it). Throws EOPNOTSUPP when the file system keeps no such attributes.
public func setFileAttribute(_ fd: Int32, _ name: String, _ value: [UInt8]) throws(Errno) {
    _ = try value.withUnsafeBytes { raw in
        Result { () throws(Errno) in try syscall { fsetxattr(fd, name, raw.baseAddress, raw.count, 0) } }
    }.get()
}

/// `setxattr(2)`: as `setFileAttribute(_:_:_:)`, of the file at `path` (following symbolic links).
public func setFileAttribute(atPath path: String, _ name: String, _ value: [UInt8]) throws(Errno) {
    _ = try value.withUnsafeBytes { raw in
        Result { () throws(Errno) in try syscall { setxattr(path, name, raw.baseAddress, raw.count, 0) } }
    }.get()
}

private func attributeValue(_ limit: Int, _ get: (UnsafeMutableRawPointer?, Int) -> Int) throws(Errno) -> [UInt8] {
    var value = [UInt8](repeating: 0, count: limit)
    let n = try value.withUnsafeMutableBytes { raw in
        Result { () throws(Errno) in try syscall { get(raw.baseAddress, raw.count) } }
    }.get()
    return Array(value[0..<n])
}

// MARK: - The system and the process

/// What `uname(2)` says.
public struct SystemName: Sendable, Equatable {
    /// "Linux"
    public var system: String
    public var hostname: String
    /// The kernel release, e.g. "6.18.0".
    public var release: String
    /// "x86_64", "aarch64", ...
    public var machine: String
}

/// `uname(2)`.
public func systemName() -> SystemName {
    var u = utsname()
    _ = uname(&u)
    func field<T>(_ value: T) -> String {
        withUnsafeBytes(of: value) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
    }
    return SystemName(system: field(u.sysname), hostname: field(u.nodename), release: field(u.release), machine: field(u.machine))
}

/// `sysconf(_SC_NPROCESSORS_ONLN)`: the CPUs online.
public func onlineCPUs() -> Int {
    Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
}

/// `sysconf(_SC_PHYS_PAGES)` pages of `sysconf(_SC_PAGESIZE)` bytes: the machine's memory.
public func physicalMemoryBytes() -> UInt64 {
    UInt64(max(0, sysconf(Int32(_SC_PHYS_PAGES)))) &* UInt64(max(0, sysconf(Int32(_SC_PAGESIZE))))
}

/// `getrusage(RUSAGE_THREAD)`: the calling thread's CPU time, context switches and faults so far.
public func threadResourceUsage() -> rusage? {
    var u = rusage()
    // RUSAGE_THREAD (1) is not visible without _GNU_SOURCE.
    return getrusage(__rusage_who_t(1), &u) == 0 ? u : nil
}

/// `sigaction(2)`: `handler` for each of `signals`, with `SA_RESTART` (interrupted calls resume).
public func installSignalHandler(_ signals: [Int32], _ handler: @convention(c) (Int32) -> Void) {
    for sig in signals {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handler
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(sig, &action, nil)
    }
}

/// `pthread_sigmask(SIG_UNBLOCK)`: lets `signals` reach the calling thread (and the threads it
/// starts after, which inherit its mask).
public func unblockSignals(_ signals: [Int32]) {
    var set = sigset_t()
    sigemptyset(&set)
    for sig in signals { sigaddset(&set, sig) }
    pthread_sigmask(SIG_UNBLOCK, &set, nil)
}

/// `_exit(2)`: ends the process at once with `status`, running no handlers (safe in a signal handler).
public func exitImmediately(_ status: Int32) -> Never {
    _exit(status)
}
