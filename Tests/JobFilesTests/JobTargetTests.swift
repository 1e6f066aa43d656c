import Foundation
import Glibc
import Testing
import TestSupport

/// Jobs with their own files (`filename`, `directory`): each target gets a one-target run's
/// rules: a foreign file is not written without --overwrite, what the run created is marked
/// (kept) or removed, and a refused run leaves nothing behind.
@Suite struct JobTargetTests {
    static let twoFiles = """
        [global]
        rw=write
        bs=4k
        size=64k
        [first]
        filename=new.dat
        [second]
        filename=foreign.dat
        """

    @Test func aForeignFileAmongSeveralIsRefusedAndNothingIsLeft() throws {
        let s = Scratch()
        let job = s.write("job.fio", Self.twoFiles)
        let foreign = s.write("foreign.dat", String(repeating: "x", count: 65536))
        let out = try tierbench(["run", job, "--progress", "never"], cwd: s.path)
        #expect(out.status == 2)
        #expect(out.stderr == "tierbench: error: \(job):8: filename=foreign.dat is an existing file tierbench did not create, and a job writes to it; pass --overwrite to let tierbench overwrite its contents, or give a path that does not exist\n")
        #expect(try String(contentsOfFile: foreign, encoding: .utf8) == String(repeating: "x", count: 65536), "the foreign file is untouched")
        #expect(!FileManager.default.fileExists(atPath: s.file("new.dat")), "the file the refused run created is removed")
    }

    @Test func createdFilesAreKeptMarkedAndEachJobNamesItsFile() throws {
        let s = Scratch()
        let job = s.write("job.fio", Self.twoFiles + "\n[scratch]\nstonewall\nrw=read\n")
        for _ in 0..<2 {  // the second run writes the files the first created, without --overwrite
            let out = try tierbench(["run", job, "--progress", "never", "--output-format", "json"], cwd: s.path)
            #expect(out.status == 0, "\(out.stderr)")
            let jobs = jsonObject(out.stdout)?["jobs"] as? [[String: Any]] ?? []
            let files = jobs.map { ($0["files"] as? [String])?.first ?? "-" }
            #expect(files.prefix(2) == ["new.dat", "foreign.dat"], "\(files)")
            #expect(files.last?.hasPrefix("./.tierbench-") == true, "a job without a file runs on the scratch file: \(files)")
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: s.path).sorted()
        #expect(left == ["foreign.dat", "job.fio", "new.dat"], "the scratch file and its directory are removed: \(left)")
        let human = try tierbench(["run", job, "--progress", "never"], cwd: s.path)
        #expect(human.stdout.contains("  job first: new.dat\n  job second: foreign.dat\n"), "\(human.stdout)")
    }

    @Test func aRunInterruptedInTheLayoutLeavesNoneOfItsFiles() throws {
        let s = Scratch()
        let job = s.write("job.fio", "[w]\nrw=write\nsize=64k\nfilename=a.dat\n[r]\nrw=read\nsize=1g\nfilename=b.dat\n")
        let out = try tierbench(["run", job, "--progress", "never"], cwd: s.path,
                                cues: [.signal(SIGINT, when: Moment { $0.contains("laying out b.dat") })])
        #expect(out.status != 0 && out.stderr.contains("interrupted while laying out b.dat"), "\(out.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.path) == ["job.fio"], "the files the run created are removed")
    }

    /// fio's write-then-read pair on a new file: the writer writes all of it before the reader
    /// starts, so it is not laid out first (as fio, which finds the file the writer made); a
    /// writer that covers part of it leaves the layout in place.
    @Test func aFileWrittenWholeBeforeItIsReadIsNotLaidOut() throws {
        let s = Scratch()
        let pair = s.write("pair.fio", "[global]\nbs=4k\nfilename=p.dat\n[w]\nrw=randwrite\nsize=256k\n[r]\nstonewall\nrw=read\nsize=256k\n")
        let out = try tierbench(["run", pair, "--progress", "never", "--output-format", "json"], cwd: s.path)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(!out.stderr.contains("laying out") && out.stderr.contains("p.dat is not laid out: job w writes all of it before any job reads it"), "\(out.stderr)")
        #expect(out.json?["layout"] == nil && out.json?.at("jobs", "1", "read", "bytes") as? Int == 256 << 10)
        let data = try Data(contentsOf: URL(fileURLWithPath: s.file("p.dat")))
        #expect(stride(from: 0, to: data.count, by: 4096).allSatisfy { data[$0..<$0 + 4096].contains { $0 != 0 } }, "every block was written")
        let part = s.write("part.fio", "[global]\nbs=4k\nfilename=q.dat\n[w]\nrw=write\nsize=128k\n[r]\nstonewall\nrw=read\nsize=256k\n")
        let laid = try tierbench(["run", part, "--progress", "never", "--output-format", "json"], cwd: s.path)
        #expect(laid.status == 0 && laid.stderr.contains("laying out q.dat: writing 256KiB"), "\(laid.stderr)")
        let both = s.write("both.fio", "[global]\nbs=4k\nfilename=b.dat\nsize=256k\n[w]\nrw=write\n[r]\nrw=read\n")
        let concurrent = try tierbench(["run", both, "--progress", "never", "--output-format", "json"], cwd: s.path)
        #expect(concurrent.status == 0 && concurrent.stderr.contains("laying out b.dat"), "a reader beside the writer needs the layout: \(concurrent.stderr)")
    }

    @Test func targetOverridesEveryJobsFile() throws {
        let s = Scratch()
        let job = s.write("job.fio", Self.twoFiles)
        let out = try tierbench(["run", job, "--target", s.file("one.dat"), "--progress", "never", "--output-format", "json"], cwd: s.path)
        #expect(out.status == 0, "\(out.stderr)")
        let jobs = jsonObject(out.stdout)?["jobs"] as? [[String: Any]] ?? []
        #expect(jobs.map { ($0["files"] as? [String]) ?? [] } == [[s.file("one.dat")], [s.file("one.dat")]])
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.path).sorted() == ["job.fio", "one.dat"])
    }
}

/// The options of several files per job: their mistakes refused at their line, naming the fix.
@Suite struct SeveralFilesOptionTests {
    @Test func mistakesAreRefusedByNameAtTheirLine() throws {
        let s = Scratch()
        let cases: [(String, String)] = [
            ("file_service_type=zipf:1.2", "file_service_type=zipf:1.2 (a skewed choice of file) is valid fio but tierbench picks files uniformly; give file_service_type=random"),
            ("file_service_type=often", "file_service_type=often is not a file service type"),
            ("file_service_type=random:0", "file_service_type=random:0: the I/Os before switching (after ':') must be a whole number of at least 1"),
            ("nrfiles=0", "nrfiles=0 is not a number of files; give 1 or more"),
            ("nrfiles=5000", "nrfiles=5000 is above tierbench's limit of 4096 files per job; give fewer"),
            ("filesize=4m-1m", "filesize=4m-1m is not a size or a range from low to high"),
            ("openfiles=0", "openfiles=0 keeps no file open"),
            ("filename_format=f.$clientuid", "$clientuid names fio's client/server mode"),
        ]
        for (option, message) in cases {
            let f = s.write("j.fio", "[j]\nrw=read\nsize=64k\n\(option)\n")
            let out = try tierbench(["run", f, "--progress", "never"], cwd: s.path)
            #expect(out.status == 2 && out.stderr.contains("\(f):4") && out.stderr.contains(message), "\(option): \(out.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.path) == ["j.fio"], "refused runs create nothing")
        let f = s.write("ok.fio", "[j]\nrw=read\nsize=64k\nnrfiles=2\nopenfiles=1\n")
        let out = try tierbench(["explain", f])
        #expect(out.status == 0 && out.stderr.contains("openfiles=1: tierbench keeps every file of a job open for the whole job"), "\(out.stderr)")
    }

    /// fio's `\:` is a colon in one file's name, not a second file: the job runs on that file.
    @Test func anEscapedColonNamesOneFileAsInFio() throws {
        let text = "[j]\nrw=write\nbs=4k\nsize=16k\nfilename=x\\:y.dat\n"
        let s = Scratch()
        let out = try tierbench(["run", s.write("j.fio", text), "--progress", "never", "--output-format", "json"], cwd: s.path)
        #expect(out.status == 0, "\(out.stderr)")
        let jobs = jsonObject(out.stdout)?["jobs"] as? [[String: Any]] ?? []
        #expect(jobs.first?["files"] as? [String] == ["x:y.dat"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.path).sorted() == ["j.fio", "x:y.dat"])
        guard let fio = fioPath else { try Test.cancel("fio is not installed: nothing to compare with") }
        let f = Scratch()
        let ran = try execute(fio, [f.write("j.fio", text), "--output-format=json"], cwd: f.path)
        #expect(ran.status == 0, "\(ran.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: f.path).sorted() == ["j.fio", "x:y.dat"], "fio creates the same one file")
    }
}
