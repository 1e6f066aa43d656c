import Foundation
import Glibc
import Testing
import TestSupport

/// fio users rerun jobs on the same test file: a file tierbench created is written by a later run
/// without --overwrite (issue 16), while a file it did not create, or one changed since, is not.
@Suite struct MarkedFileTests {
    func run(_ target: String, _ rw: String, _ extra: [String] = []) throws -> Outcome {
        try tierbench(["run", "--target", target, "--rw", rw, "--bs", "4k", "--size", "1m", "--progress", "never"] + extra)
    }

    func expectRefused(_ o: Outcome, _ fragments: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(o.status == 2, "\(o.stderr)", sourceLocation: sourceLocation)
        #expect(o.stderr.split(separator: "\n").count == 1, "one line: \(o.stderr)", sourceLocation: sourceLocation)
        for f in fragments { #expect(o.stderr.contains(f), "'\(f)' not in: \(o.stderr)", sourceLocation: sourceLocation) }
    }

    @Test func aLaterRunWritesTheFileAnEarlierRunCreated() throws {
        let s = Scratch()
        let target = s.file("t.dat")
        let read = try run(target, "read")
        #expect(read.status == 0, "\(read.stderr)")
        let laidOut = FileManager.default.contents(atPath: target)
        let write = try run(target, "randwrite")
        #expect(write.status == 0, "a write job on the file the read job laid out: \(write.stderr)")
        #expect(FileManager.default.contents(atPath: target) != laidOut, "the second run wrote the file")
        // The write run marked the file again after its writes: a third run is let through too.
        let again = try run(target, "write")
        #expect(again.status == 0, "\(again.stderr)")
    }

    /// Waits until the coarse clock that stamps modification times (on kernels without multigrain
    /// timestamps) has passed the file's: a write now moves its mtime.
    func waitPastModificationTime(_ path: String) {
        var st = stat()
        #expect(stat(path, &st) == 0)
        #expect(waitUntil(timeout: 5) {
            var now = timespec()
            clock_gettime(CLOCK_REALTIME_COARSE, &now)
            return (now.tv_sec, now.tv_nsec) > (st.st_mtim.tv_sec, st.st_mtim.tv_nsec)
        })
    }

    @Test func aFileChangedAfterTierbenchWroteItIsRefused() throws {
        let s = Scratch()
        let target = s.file("t.dat")
        #expect(try run(target, "write").status == 0)
        waitPastModificationTime(target)
        let h = try #require(FileHandle(forWritingAtPath: target))
        try h.seek(toOffset: 4096)
        try h.write(contentsOf: Data(repeating: 0x55, count: 4096))
        try h.close()
        let before = FileManager.default.contents(atPath: target)
        expectRefused(try run(target, "write"), ["--target \(target) is a file tierbench created, but it changed", "--overwrite"])
        #expect(FileManager.default.contents(atPath: target) == before, "nothing was written")
        #expect(try run(target, "read").status == 0, "reading it needs no permission")
    }

    /// --overwrite lets a run write a file tierbench did not create, but does not make it tierbench's.
    @Test func overwritingAFileDoesNotMakeItTierbenchs() throws {
        let s = Scratch()
        let file = s.dataFile("keep.dat", bytes: 1 << 20)
        expectRefused(try run(file, "write"), ["is an existing file tierbench did not create", "pass --overwrite"])
        #expect(try run(file, "write", ["--overwrite"]).status == 0)
        expectRefused(try run(file, "write"), ["is an existing file tierbench did not create", "pass --overwrite"])
    }

    /// ramfs keeps no user extended attributes: tierbench says so when it creates a file there,
    /// and the old rule stays (a later write needs --overwrite), with the reason in the refusal.
    @Test(.enabled(if: isRoot && which("mount") != nil, "needs root and mount (a ramfs)"))
    func onAFileSystemWithoutExtendedAttributesTheOldRuleStays() throws {
        let s = Scratch()
        let mountPoint = s.file("ramfs")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: false)
        let mounted = try execute(which("mount")!, ["-t", "ramfs", "ramfs", mountPoint])
        guard mounted.status == 0 else { print("skipped: cannot mount a ramfs: \(mounted.stderr)"); return }
        defer { _ = try? execute(which("umount")!, [mountPoint]) }
        let target = "\(mountPoint)/t.dat"
        let first = try run(target, "write", ["--direct", "0"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("keeps no extended attributes") && first.stderr.contains("will need --overwrite"), "\(first.stderr)")
        expectRefused(try run(target, "write", ["--direct", "0"]), ["keeps no extended attributes", "pass --overwrite"])
        #expect(try run(target, "write", ["--direct", "0", "--overwrite"]).status == 0)
    }
}
