import Foundation
import Glibc
import Testing
import TestSupport
@testable import Engine

/// The mark tierbench leaves on its files: it vouches for the file as tierbench left it, not for
/// whatever later carries the attribute.
@Suite struct FileMarkTests {
    func open(_ path: String) throws -> Int32 { try openFile(path, O_RDWR | O_CLOEXEC) }

    /// Waits until the coarse clock that stamps modification times (on kernels without
    /// multigrain timestamps) has passed the file's: a write now moves its mtime.
    func waitPastModificationTime(_ path: String) throws {
        let st = try fileStatus(path)
        let passed = waitUntil(timeout: 5) {
            var now = timespec()
            clock_gettime(CLOCK_REALTIME_COARSE, &now)
            return (now.tv_sec, now.tv_nsec) > (st.modifiedSeconds, st.modifiedNanoseconds)
        }
        #expect(passed)
    }

    @Test func aRecordedMarkHoldsUntilTheFileIsWritten() throws {
        let s = Scratch()
        let path = s.dataFile("f.dat", bytes: 8192)
        let fd = try open(path)
        defer { closeFile(fd) }
        #expect(FileMark.state(of: fd) == .unmarked)
        #expect(FileMark.state(atPath: path) == .unmarked)
        try FileMark.record(fd)
        #expect(FileMark.state(of: fd) == .tierbenchs)
        #expect(FileMark.state(atPath: path) == .tierbenchs)
        // Another program writes a block in place: same inode, same size, the attribute kept.
        try waitPastModificationTime(path)
        let other = try open(path)
        try [UInt8](repeating: 7, count: 512).withUnsafeBytes { try pwriteAll(other, $0.baseAddress!, 512, 0) }
        closeFile(other)
        #expect(FileMark.state(of: fd) == .changed)
        try FileMark.record(fd)
        #expect(FileMark.state(atPath: path) == .tierbenchs)
        try waitPastModificationTime(path)
        try truncateFile(fd, length: 4096)
        #expect(FileMark.state(atPath: path) == .changed)
    }

    /// The mark names the inode: a copy that keeps the attribute, size and times is not tierbench's file.
    @Test func aCopyWithTheAttributeIsNotTierbenchs() throws {
        guard let cp = which("cp") else { print("skipped: cp is not installed"); return }
        let s = Scratch()
        let path = s.dataFile("f.dat", bytes: 4096)
        let fd = try open(path)
        try FileMark.record(fd)
        closeFile(fd)
        let copy = s.file("copy.dat")
        let r = try execute(cp, ["-a", path, copy])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try fileAttribute(atPath: copy, FileMark.attribute) == fileAttribute(atPath: path, FileMark.attribute), "cp -a kept the attribute")
        #expect(FileMark.state(atPath: copy) == .changed)
        #expect(FileMark.state(atPath: path) == .tierbenchs)
    }

    @Test func anAttributeTierbenchDidNotWriteIsNoMark() throws {
        let s = Scratch()
        let path = s.dataFile("f.dat", bytes: 4096)
        try setFileAttribute(atPath: path, FileMark.attribute, Array("mine".utf8))
        #expect(FileMark.state(atPath: path) == .changed)
        #expect(FileMark.state(atPath: s.path) == .unmarked, "a directory is never tierbench's file")
        #expect(FileMark.state(atPath: s.file("missing")) == .unmarked)
    }

    @Test func theMarkIsReadableText() throws {
        let s = Scratch()
        let path = s.dataFile("f.dat", bytes: 4096)
        let fd = try open(path)
        defer { closeFile(fd) }
        try FileMark.record(fd)
        let st = try fileStatus(path)
        let text = String(decoding: try fileAttribute(fd, FileMark.attribute), as: UTF8.self)
        #expect(text.hasPrefix("tierbench inode=\(st.inode) size=4096 mtime=\(st.modifiedSeconds)."), "\(text)")
        #expect(text.split(separator: ".").last?.count == 9, "nanoseconds, zero-padded: \(text)")
    }
}
