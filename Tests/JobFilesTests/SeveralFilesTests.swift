import Foundation
import Glibc
import Testing
import TestSupport

/// Several files per job (`filename=a:b`, `nrfiles`, `filename_format`, `filesize`,
/// `file_service_type`): what fio moves and creates, the order files are served in, every file
/// registered with io_uring, and the safety rules of one file applied to each.
@Suite struct SeveralFilesTests {
    /// Named files: per job and direction the bytes and I/Os of fio 3.33, and the files fio leaves.
    @Test func namedFilesMoveAndCreateWhatFioDoes() throws {
        let job = try String(contentsOfFile: "\(corpusDirectory)/52-several-files.fio", encoding: .utf8)
        try RunComparisonTests().compare(job, files: true)
    }

    /// fio's generated names, each clone its own files: fio's bytes and I/Os per clone; tierbench
    /// removes the files it created (fio leaves them), and its JSON names each clone's files.
    @Test func generatedNamesMoveWhatFioMovesAndLeaveNothing() throws {
        let job = try String(contentsOfFile: "\(corpusDirectory)/53-generated-files.fio", encoding: .utf8)
        try RunComparisonTests().compare(job)
        let s = Scratch()
        let out = try tierbench(["run", s.write("job.fio", job), "--output-format", "json", "--progress", "never"], cwd: s.path)
        #expect(out.status == 0, "\(out.stderr)")
        let files = (out.json?["jobs"] as? [[String: Any]] ?? []).map { ($0["files"] as? [String]) ?? [] }
        #expect(files == [["./gen.0.0", "./gen.0.1", "./gen.0.2", "./gen.0.3"], ["./gen-fmt-0-0.f", "./gen-fmt-0-1.f"],
                          ["./gen-fmt-1-0.f", "./gen-fmt-1-1.f"], ["./gen-read.0.0", "./gen-read.0.1", "./gen-read.0.2"]])
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.path) == ["job.fio"], "generated files are removed after the run")
        let human = try tierbench(["run", s.write("job.fio", job), "--progress", "never"], cwd: s.path)
        #expect(human.stdout.contains("  job gen: ./gen.0.0, ./gen.0.1, ./gen.0.2, ./gen.0.3\n  job gen-fmt: ./gen-fmt-0-0.f, ./gen-fmt-0-1.f, ./gen-fmt-1-0.f, ./gen-fmt-1-1.f\n"),
                "every clone's files: \(human.stdout)")
    }

    /// Without a directory, generated names go in a temporary directory, removed with them.
    @Test func generatedNamesWithoutADirectoryUseATemporaryOne() throws {
        let s = Scratch()
        let out = try tierbench(["run", s.write("job.fio", "[g]\nrw=randrw\nbs=4k\nsize=32k\nnrfiles=2\n"), "--output-format", "json", "--progress", "never"],
                                cwd: s.path)
        #expect(out.status == 0, "\(out.stderr)")
        let files = try #require(out.json?.at("jobs", "0", "files") as? [String])
        #expect(files.count == 2 && files.allSatisfy { $0.hasPrefix("./.tierbench-") } && files[0].hasSuffix("/g.0.0"), "\(files)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.path) == ["job.fio"])
        let human = try tierbench(["run", s.write("job.fio", "[g]\nrw=write\nbs=4k\nsize=24k\nnrfiles=6\n"), "--progress", "never"], cwd: s.path)
        let line = human.stdout.split(separator: "\n").first { $0.hasPrefix("  job g: ") } ?? ""
        #expect(line.hasSuffix("/g.0.2, ... (6 files)") && line.components(separatedBy: ", ").count == 4, "a long list is cut: \(human.stdout)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.path) == ["job.fio"])
    }

    /// The file of each write, in order, as strace sees psync's pwrite64 calls.
    func writeOrder(_ service: String) throws -> String {
        guard let strace = which("strace") else { try Test.cancel("strace is not installed: the order of writes cannot be seen") }
        let s = Scratch()
        let job = s.write("job.fio", "[w]\nioengine=psync\nrw=write\nbs=4k\nsize=32k\nfilename=a.dat:b.dat\nfile_service_type=\(service)\n")
        let run = try execute(strace, ["-f", "-y", "-e", "trace=pwrite64", "-o", s.file("trace"), tierbenchPath, "run", job, "--progress", "never"], cwd: s.path)
        #expect(run.status == 0, "\(run.stderr)")
        let lines = try String(contentsOfFile: s.file("trace"), encoding: .utf8).split(separator: "\n")
        return lines.compactMap { $0.contains("/a.dat>") ? "a" : $0.contains("/b.dat>") ? "b" : nil }.joined()
    }

    @Test func filesAreServedInFiosOrder() throws {
        #expect(try writeOrder("roundrobin") == "abababab", "fio's default: the next file after every I/O")
        #expect(try writeOrder("roundrobin:2") == "aabbaabb")
        #expect(try writeOrder("sequential") == "aaaabbbb", "one file finished before the next")
        let random = try writeOrder("random")
        #expect(random.count == 8 && random.filter { $0 == "a" }.count == 4, "each file its share, in a random order: \(random)")
    }

    /// io_uring registers every file of the clone (one io_uring_register call with both), and
    /// each file gets its share of the writes.
    @Test func ioUringRegistersEveryFile() throws {
        guard let strace = which("strace") else { try Test.cancel("strace is not installed: the registration cannot be seen") }
        let s = Scratch()
        let job = s.write("job.fio", "[w]\nioengine=io_uring\niodepth=8\nrw=randwrite\nbs=4k\nsize=256k\nfilename=a.dat:b.dat:c.dat\n")
        let run = try execute(strace, ["-f", "-e", "trace=io_uring_register", "-o", s.file("trace"), tierbenchPath, "run", job,
                                       "--progress", "never", "--output-format", "json"], cwd: s.path)
        #expect(run.status == 0, "\(run.stderr)")
        let trace = try String(contentsOfFile: s.file("trace"), encoding: .utf8)
        let register = trace.split(separator: "\n").filter { $0.contains("IORING_REGISTER_FILES") }
        #expect(register.count == 1 && register[0].contains("], 3)") && register[0].hasSuffix("= 0"), "\(trace)")
        #expect(run.json?.at("jobs", "0", "engine", "registered_file") as? Bool == true)
        #expect(run.json?.at("jobs", "0", "write", "ios") as? Int == 63, "each file's whole blocks, as fio")
        for name in ["a.dat", "b.dat", "c.dat"] {
            let data = try Data(contentsOf: URL(fileURLWithPath: s.file(name)))
            // 256k over three files: 87381 bytes each, 21 whole blocks written (fio's split), each one of this run's.
            #expect(data.count == 87381, "\(name): \(data.count) bytes")
            let written = stride(from: 0, to: 21 * 4096, by: 4096).filter { data[$0..<$0 + 4096].contains { $0 != 0 } }.count
            #expect(written == 21, "\(name): \(written) of 21 blocks written")
        }
    }

    /// A file among the generated names that tierbench did not create is refused (and kept as it
    /// was); the files the refused run created are removed.
    @Test func aForeignFileAmongTheGeneratedNamesIsRefused() throws {
        let s = Scratch()
        let foreign = s.write("w.0.1", String(repeating: "x", count: 8192))
        let job = s.write("job.fio", "[w]\nrw=write\nbs=4k\nsize=16k\ndirectory=\(s.path)\nnrfiles=2\n")
        let out = try tierbench(["run", job, "--progress", "never"], cwd: s.path)
        #expect(out.status == 2 && out.stderr.contains("\(foreign) is an existing file tierbench did not create, and a job writes to it"), "\(out.stderr)")
        #expect(try String(contentsOfFile: foreign, encoding: .utf8) == String(repeating: "x", count: 8192))
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.path).sorted() == ["job.fio", "w.0.1"])
    }

    /// Ctrl-C during a time-based job on generated files: the run reports and removes them.
    @Test func anInterruptedRunRemovesItsGeneratedFiles() throws {
        let s = Scratch()
        let job = s.write("job.fio", "[w]\nrw=randwrite\nbs=4k\nsize=64k\nnrfiles=3\ndirectory=\(s.path)\ntime_based\nruntime=60\n")
        let out = try tierbench(["run", job, "--output-format", "json", "--progress", "always"], cwd: s.path,
                                cues: [.signal(SIGINT, when: .running("w", for: 1))])
        #expect(out.status == 130, "\(out.stderr)")
        #expect(out.json?["interrupted"] as? Bool == true && (out.json?.at("jobs", "0", "write", "ios") as? Int ?? 0) > 0, "it still reports")
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.path) == ["job.fio"])
    }

    /// Verify checks one file per job: with several it is refused before anything is written.
    @Test func verifyWithSeveralFilesIsRefused() throws {
        let s = Scratch()
        let job = s.write("job.fio", "[w]\nrw=write\nbs=4k\nsize=16k\nfilename=a:b\nverify=crc32c\n")
        let out = try tierbench(["run", job, "--progress", "never"], cwd: s.path)
        #expect(out.status == 2 && out.stderr.contains("\(job):6: verify=crc32c with several files per job (nrfiles, filename=a:b) is not supported yet"), "\(out.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.path) == ["job.fio"])
    }
}

/// One file spelled two ways (relative and absolute, a hard link) is one target: laid out once,
/// at the size both jobs need.
@Suite struct FileIdentityTests {
    @Test func twoSpellingsOfOneFileAreOneTarget() throws {
        let s = Scratch()
        let job = s.write("job.fio", "[global]\nbs=4k\n[w]\nrw=read\nsize=64k\nfilename=data\n[r]\nrw=read\nsize=128k\nfilename=\(s.file("data"))\n")
        let out = try tierbench(["run", job, "--output-format", "json", "--progress", "never"], cwd: s.path)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.components(separatedBy: "laying out").count == 2, "laid out once: \(out.stderr)")
        let size = (try FileManager.default.attributesOfItem(atPath: s.file("data"))[.size] as? NSNumber)?.intValue
        #expect(size == 128 << 10, "sized for both jobs")
        #expect(out.json?.at("jobs", "1", "read", "bytes") as? Int == 128 << 10)
        // A hard link to a file tierbench created is the same file.
        #expect(link(s.file("data"), s.file("alias")) == 0)
        let again = try tierbench(["run", s.write("two.fio", "[a]\nrw=write\nbs=4k\nsize=64k\nfilename=data\n[b]\nrw=read\nbs=4k\nsize=64k\nfilename=alias\n"),
                                   "--output-format", "json", "--progress", "never"], cwd: s.path)
        #expect(again.status == 0, "\(again.stderr)")
        #expect((again.json?["jobs"] as? [[String: Any]])?.map { ($0["files"] as? [String]) ?? [] } == [["data"], ["data"]])
    }
}
