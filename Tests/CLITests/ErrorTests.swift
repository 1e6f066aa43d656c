import Foundation
import Glibc
import Testing
import TestSupport

/// Every input error of the engine issue: one line on stderr naming the input and the fix,
/// nothing on stdout, exit status 2, no stack trace.
@Suite struct ErrorTests {
    func expectUsageError(_ arguments: [String], _ fragments: [String], cwd: String? = nil,
                          sourceLocation: SourceLocation = #_sourceLocation) throws {
        let o = try tierbench(arguments, cwd: cwd)
        #expect(o.status == 2, "exit status for \(arguments): \(o.status), stderr: \(o.stderr)", sourceLocation: sourceLocation)
        let lines = o.stderr.split(separator: "\n")
        #expect(lines.count == 1, "one line, got: \(o.stderr)", sourceLocation: sourceLocation)
        for f in fragments {
            #expect(o.stderr.contains(f), "'\(f)' not in: \(o.stderr)", sourceLocation: sourceLocation)
        }
        #expect(o.stdout.isEmpty, sourceLocation: sourceLocation)
        #expect(!o.stderr.contains("Fatal error") && !o.stderr.contains("Stack dump"), sourceLocation: sourceLocation)
    }

    @Test func missingDirectoryOfTheTarget() throws {
        try expectUsageError(["run", "--target", "/nonexistent-dir/x.dat", "--rw", "read"],
                             ["--target /nonexistent-dir/x.dat", "the directory /nonexistent-dir does not exist"])
    }

    @Test(.enabled(if: isRoot && which("setpriv") != nil, "needs root to run tierbench as nobody with setpriv"))
    func permissionDenied() throws {
        let s = Scratch()
        chmod(s.path, 0o755)
        let file = s.dataFile("private.dat", bytes: 1 << 20)
        chmod(file, 0o600)
        let o = try execute(which("setpriv")!, ["--reuid=65534", "--regid=65534", "--clear-groups", tierbenchPath,
                                                "run", "--target", file, "--rw", "read", "--size", "64k"])
        #expect(o.status == 2, "\(o.stderr)")
        #expect(o.stderr.contains("permission denied") && o.stderr.contains(file), "\(o.stderr)")
        #expect(o.stderr.split(separator: "\n").count == 1)
    }

    @Test func blockSizeNotAMultipleOfTheDirectIOBlockSize() throws {
        let s = Scratch()
        let file = s.dataFile("a.dat", bytes: 1 << 20)
        try expectUsageError(["run", "--target", file, "--rw", "randread", "--bs", "1000"],
                             ["--bs 1000B is not a multiple of", "direct-I/O block size", "--direct 0"])
        // The same block size works buffered.
        let o = try tierbench(["run", "--target", file, "--rw", "randread", "--bs", "1000", "--direct", "0", "--size", "100000"])
        #expect(o.status == 0, "\(o.stderr)")
    }

    @Test func blockSizeLargerThanSize() throws {
        try expectUsageError(["run", "--rw", "read", "--bs", "8k", "--size", "4k"], ["--bs 8KiB is larger than --size 4KiB"])
    }

    @Test func sizeBeyondTheEndOfAFile() throws {
        let s = Scratch()
        let file = s.dataFile("small.dat", bytes: 1 << 20)
        try expectUsageError(["run", "--target", file, "--rw", "read", "--size", "2m"],
                             ["goes beyond the end of the file", "1048576 bytes", "smaller --size"])
        try expectUsageError(["run", "--target", file, "--rw", "read", "--size", "512k", "--offset", "768k"],
                             ["beyond the end of the file"])
        // From a job file: in the file's words, at the line of its size.
        let job = s.file("small.fio")
        try "[r]\nfilename=\(file)\nsize=2m\n".write(toFile: job, atomically: true, encoding: .utf8)
        try expectUsageError(["run", job], ["small.fio:3: size=2m at offset=0 goes beyond the end of the file", "give a smaller size or offset"])
        // The second job, on a file of its own: named, at its own line (not the first job's).
        let two = s.file("two.fio")
        try "[w]\nfilename=\(s.file("new.dat"))\nrw=write\nsize=64k\n[r]\nfilename=\(file)\nsize=2m\n".write(toFile: two, atomically: true, encoding: .utf8)
        try expectUsageError(["run", two], ["two.fio:7: size=2m at offset=0 goes beyond the end of the file"])
        #expect(access(s.file("new.dat"), F_OK) != 0, "the first job's new file was left behind")
    }

    @Test(.enabled(if: isRoot, "needs root to mount ramfs, a file system without O_DIRECT"))
    func directIORefusedByTheFileSystem() throws {
        let s = Scratch()
        let mnt = s.file("ramfs")
        mkdir(mnt, 0o755)
        let mount = try execute("/bin/mount", ["-t", "ramfs", "ramfs", mnt])
        try #require(mount.status == 0, "mount ramfs: \(mount.stderr)")
        // Lazily if it is busy (a process another test is starting may hold it for a moment).
        defer { _ = try? execute("/bin/sh", ["-c", "umount \(mnt) 2>/dev/null || umount -l \(mnt)"]) }
        try expectUsageError(["run", "--target", "\(mnt)/x.dat", "--rw", "read", "--size", "1m"],
                             ["refuses O_DIRECT", "--direct 0"])
        #expect(access("\(mnt)/x.dat", F_OK) != 0, "the file tierbench created was removed")
        let buffered = try tierbench(["run", "--target", "\(mnt)/x.dat", "--rw", "read", "--size", "1m", "--direct", "0"])
        #expect(buffered.status == 0, "\(buffered.stderr)")
    }

    @Test(arguments: [
        (["--rw", "read", "--iodepth", "0"], "--iodepth 0 must be at least 1"),
        (["--rw", "read", "--numjobs", "-2"], "--numjobs -2 is negative"),
        (["--rw", "read", "--size", "-1m"], "--size -1m is negative"),
        (["--rw", "read", "--bs", "0"], "--bs 0 is not a block size"),
        (["--rw", "read", "--size", "0"], "--size 0 moves nothing"),
        (["--runtime", "0"], "--runtime 0 is zero"),
        (["--rw", "read", "--size", "99999999T"], "--size 99999999T is too large"),
        (["--rw", "read", "--bs", "4q"], "unknown unit 'q'"),
        (["--runtime", "10y"], "unknown time unit 'y'"),
        (["--rw", "randrw", "--rwmixread", "120"], "--rwmixread 120 is outside 0-100"),
        (["--rw", "sideways"], "--rw sideways is not a workload"),
        (["--rw", "read", "--ioengine", "libaio"], "--ioengine libaio is not an engine"),
        (["--output-format", "xml"], "--output-format xml: 'xml' is not a format"),
        (["--frobnicate"], "Unknown option '--frobnicate'"),
        (["--rw", "read", "--time-based"], "--time-based needs --runtime"),
        (["--rw", "read", "--iodepth", "100000"], "--iodepth 100000 is above the limit of 4096"),
        (["--rw", "read", "--numjobs", "100000"], "--numjobs 100000 is above the limit of 256"),
        (["--rw", "read", "--offset", "3"], "--offset 3 is not a multiple"),
    ])
    func badNumbersUnitsAndNames(arguments: [String], fragment: String) throws {
        let s = Scratch()
        try expectUsageError(["run"] + arguments, [fragment], cwd: s.path)
    }

    @Test func writingAnExistingFileNeedsOverwrite() throws {
        let s = Scratch()
        let file = s.dataFile("keep.dat", bytes: 1 << 20)
        let before = FileManager.default.contents(atPath: file)
        try expectUsageError(["run", "--target", file, "--rw", "write"], ["existing file", "--overwrite"])
        #expect(FileManager.default.contents(atPath: file) == before, "nothing was written")
        let o = try tierbench(["run", "--target", file, "--rw", "write", "--overwrite"])
        #expect(o.status == 0, "\(o.stderr)")
        #expect(FileManager.default.contents(atPath: file) != before)
    }
}

extension ErrorTests {
    @Test func offsetsThatOverflowAreRefusedNotACrash() throws {
        let s = Scratch()
        try expectUsageError(["run", "--target", s.file("o.dat"), "--rw", "read", "--numjobs", "3", "--offset-increment", "4096p"],
                             ["beyond the end of the largest possible file", "give smaller values"])
    }
}

extension ErrorTests {
    @Test func offsetsBeyondAnExistingFileThatOverflowAreRefused() throws {
        let s = Scratch()
        let file = s.dataFile("e.dat", bytes: 1 << 20)
        try expectUsageError(["run", "--target", file, "--rw", "read", "--size", "4k", "--numjobs", "3", "--offset-increment", "4096p"],
                             ["goes beyond the end of the file"])
    }
}

extension ErrorTests {
    @Test func aDirectoryWhereAWrittenTargetIsNeeded() throws {
        let s = Scratch()
        try expectUsageError(["verify", "--target", s.path], ["is neither a regular file nor a block device"])
        try expectUsageError(["run", "--target", "/dev/null", "--rw", "read"], ["is neither a regular file, a directory nor a block device"])
    }

    @Test func aRefusedRunLeavesNoNewFileBehind() throws {
        let s = Scratch()
        try expectUsageError(["run", "--target", s.file("n.dat"), "--rw", "read", "--offset", "3"],
                             ["--offset 3 is not a multiple", "direct-I/O block size"])
        #expect(!FileManager.default.fileExists(atPath: s.file("n.dat")), "the file made for the run is removed")
    }
}

/// One mistake through each front end of the binary: the command line says `--bs 4q`, a fio
/// file `bs=4q` at file:line, a tierbench file `bs: 4q` at file:line:column.
extension ErrorTests {
    func jobFile(_ s: Scratch, _ name: String, _ text: String) -> String {
        let path = s.file(name)
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    func expectRefusal(_ arguments: [String], _ line: String, cwd: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let o = try tierbench(arguments, cwd: cwd)
        #expect(o.status == 2, "exit status for \(arguments): \(o.status)", sourceLocation: sourceLocation)
        #expect(o.stderr == "tierbench: error: \(line)\n", sourceLocation: sourceLocation)
        #expect(o.stdout.isEmpty, sourceLocation: sourceLocation)
    }

    @Test func eachFrontEndWordsTheSameBadValue() throws {
        let s = Scratch()
        let unit = "unknown unit 'q'; use k, m, g, t or p (1024 base), e.g. 4k"
        try expectRefusal(["run", "--rw", "read", "--bs", "4q"], "--bs 4q: \(unit) (see tierbench run --help)", cwd: s.path)
        let fio = jobFile(s, "j.fio", "[job]\nrw=read\nbs=4q\n")
        try expectRefusal(["run", fio], "\(fio):3: bs=4q: \(unit)", cwd: s.path)
        let yaml = jobFile(s, "j.yaml", "jobs:\n  - rw: read\n    bs: 4q\n")
        try expectRefusal(["run", yaml], "\(yaml):3:5: bs: 4q: \(unit)", cwd: s.path)
    }

    /// Worded with the command line's flags before (`--rate ... --rate-iops`), now the file's.
    @Test func twoOptionsThatCollideAreTheFilesOwn() throws {
        let s = Scratch()
        let fio = jobFile(s, "t.fio", "[global]\nrate=1m\n[a]\nrw=read\nrate_iops=100\n")
        try expectRefusal(["run", fio], "\(fio):2: rate=1m and rate_iops=100 both limit reads; give each direction one of them, e.g. rate=10m, rate_iops=,500 (reads in bytes, writes in I/Os) (job `a`)", cwd: s.path)
        let yaml = jobFile(s, "t.yaml", "jobs:\n  - rw: read\n    rate: 1m\n    rate-iops: 100\n")
        try expectRefusal(["run", yaml], "\(yaml):3:5: rate: 1m and rate-iops: 100 both limit reads; give each direction one of them, e.g. rate: 10m, rate-iops: ,500 (reads in bytes, writes in I/Os)", cwd: s.path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.path).sorted() == ["t.fio", "t.yaml"], "nothing left behind")
    }

    /// Options a message names are the front end's too: fio's `thinktime`, not `--thinktime`.
    @Test func optionsNamedInAJobFilesMessageAreTheFilesOwn() throws {
        let s = Scratch()
        let fio = jobFile(s, "k.fio", "[job]\nrw=read\nthinktime_blocks=4\n")
        try expectRefusal(["explain", fio], "\(fio):3: thinktime_blocks=4 needs thinktime (how long to stall), e.g. thinktime=2ms", cwd: s.path)
    }
}
