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

/// The options of several files per job, each honoured for one file or refused by name.
@Suite struct SeveralFilesOptionTests {
    @Test func refusedOrNotedByName() throws {
        let s = Scratch()
        let cases: [(String, String)] = [
            ("filename=a:b", "filename=a:b names several files (':') for one job, which is valid fio but tierbench runs each job on one file"),
            ("filename_format=f.$jobnum", "filename_format=f.$jobnum is valid fio but a tierbench job without filename runs on the run's scratch file"),
            ("filesize=1m", "filesize=1m is valid fio but tierbench sizes a job's new file from its size; give size=1m instead"),
            ("openfiles=0", "openfiles=0 keeps no file open"),
        ]
        for (option, message) in cases {
            let f = s.write("j.fio", "[j]\nrw=read\nsize=64k\n\(option)\n")
            let out = try tierbench(["run", f, "--progress", "never"], cwd: s.path)
            #expect(out.status == 2 && out.stderr.contains("\(f):4") && out.stderr.contains(message), "\(option): \(out.stderr)")
        }
        let f = s.write("ok.fio", "[j]\nrw=read\nsize=64k\nfile_service_type=random\nopenfiles=1\n")
        let out = try tierbench(["explain", f])
        #expect(out.status == 0 && out.stderr.contains("file_service_type=random: a tierbench job has one file"), "\(out.stderr)")
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
