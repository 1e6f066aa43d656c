import Foundation
import Testing
import TestSupport

/// Mistakes in job files, through the real binary: one line on stderr naming file, line (and
/// column), option and the fix; exit status 2; nothing else.
@Suite struct RefusalTests {
    func refuse(_ args: [String], _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let out = try tierbench(args)
        #expect(out.status == 2, "\(out.stderr)", sourceLocation: sourceLocation)
        #expect(out.stderr == "tierbench: error: \(expected)\n", sourceLocation: sourceLocation)
        #expect(out.stdout == "", sourceLocation: sourceLocation)
    }

    @Test func unknownFioOptionSuggestsTheNearest() throws {
        let s = Scratch()
        let f = s.write("j.fio", "[job]\nrw=read\nblocksiz=4k\n")
        try refuse(["run", f], "\(f):3:1: option `blocksiz`: unknown option; did you mean `blocksize`?")
        let g = s.write("k.fio", "[job]\nrw=read\nrandom_distrbution=zipf:1.1\n")
        try refuse(["explain", g], "\(g):3:1: option `random_distrbution`: unknown option; did you mean `random_distribution`?")
    }

    @Test func validButUnsupportedFioOptionIsRefusedByName() throws {
        let s = Scratch()
        let f = s.write("j.fio", "; header\n[job]\nrw=read\nunified_rw_reporting=1\n")
        try refuse(["run", f], "\(f):4:1: option `unified_rw_reporting`: valid fio option, but tierbench does not support it (--ignore-unsupported skips it with a warning)")
        let g = s.write("v.fio", "[job]\nrw=write\nverify=md5\n")
        try refuse(["run", g], "\(g):3:1: option `verify`: verify=md5 is valid fio but tierbench's header holds a 32-bit checksum (crc32c or crc32); give verify=crc32c (--ignore-unsupported skips it with a warning)")
        let h = s.write("p.fio", "[job]\nioengine=io_uring\nsqthread_poll=1\n")
        try refuse(["run", h], "\(h):3:1: option `sqthread_poll`: valid fio option, but tierbench does not support it (--ignore-unsupported skips it with a warning)")
        let i = s.write("e.fio", "[job]\nrw=read\nhipri\n")
        try refuse(["run", i], "\(i):3:1: option `hipri`: is an option of the io_uring and pvsync2 engines; fio accepts it only after ioengine=io_uring or ioengine=pvsync2 (the default engine is psync)")
        let t = s.write("trim.fio", "[job]\nrw=randtrim\n")
        try refuse(["run", t], "\(t):2:1: option `rw`: rw=randtrim is valid fio but tierbench does not issue trims; give read, write, randread, randwrite, rw or randrw (--ignore-unsupported skips it with a warning)")
        let j = s.write("io.fio", "[job]\nrw=read\nioscheduler=none\n")
        try refuse(["run", j], "\(j):3:1: option `ioscheduler`: valid fio option, but tierbench does not support it (--ignore-unsupported skips it with a warning)")
    }

    @Test func ignoreUnsupportedWarnsAndGoesOn() throws {
        let s = Scratch()
        let f = s.write("j.fio", "[job]\nrw=read\nsize=1m\nunified_rw_reporting=1\n")
        let out = try tierbench(["explain", f, "--ignore-unsupported"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr == "tierbench: warning: \(f):4: option `unified_rw_reporting`: valid fio option, but tierbench does not support it; ignored (--ignore-unsupported)\n")
        #expect(out.stdout.contains("size                 1048576           job section (\(f):3)"), "\(out.stdout)")
    }

    @Test func structuralMistakes() throws {
        let s = Scratch()
        let f = s.write("j.fio", "bs=4k\n[job]\nrw=read\n")
        try refuse(["run", f], "\(f):1:1: option `bs`: an option outside any section; put it under [global] or a [job]")
        let g = s.write("g.fio", "[global]\nbs=4k\n")
        try refuse(["run", g], "\(g): no job section; add one, e.g. [job1] with rw=read")
        try refuse(["run", s.file("missing.fio")], "\(s.file("missing.fio")): the job file does not exist")
        let v = s.write("r.fio", "[a]\nrw=read\nbs=4q\n")
        try refuse(["run", v], "\(v):3: bs=4q: unknown unit 'q'; use k, m, g, t or p (1024 base), e.g. 4k")
    }

    @Test func nativeFileErrorsNameLineColumnAndKey() throws {
        let s = Scratch()
        let f = s.write("j.yaml", "global:\n  size: 1m\njobs:\n  - rw: read\n    bss: 4k\n")
        try refuse(["run", f], "\(f):5:5: option `bss`: unknown option; did you mean `bs`?")
        let g = s.write("k.yaml", "jobs:\n  - rw: read\n    bs: 4q\n")
        try refuse(["run", g], "\(g):3:5: bs: 4q: unknown unit 'q'; use k, m, g, t or p (1024 base), e.g. 4k")
        let h = s.write("l.json", "{\"jobs\": [{\"rw\": \"read\", \"time_based\": \"maybe\"}]}")
        try refuse(["run", h], "\(h):1:26: time_based: maybe is not true or false")
        let i = s.write("m.yaml", "job:\n  - rw: read\n")
        try refuse(["run", i], "\(i):1:1: option `job`: unknown top-level key; did you mean `jobs`?")
        let j = s.write("n.yaml", "jobs:\n  - rw: read\n    ioscheduler: none\n")
        try refuse(["run", j], "\(j):3:5: option `ioscheduler`: is a fio option; a tierbench job file takes `run`'s option names (see docs/job-files.md), or run a .fio file")
    }
}

extension RefusalTests {
    @Test func emptyValuesAndBrokenFiles() throws {
        let s = Scratch()
        let f = s.write("e.fio", "[j]\nrw=read\nsize=${TB_UNDEFINED_FOR_TEST}\n")
        try refuse(["run", f], "\(f):3:1: option `size`: size= has no value; give one (an undefined ${VAR} is empty)")
        let h = s.write("h.fio", "[global\n")
        try refuse(["explain", h], "\(h):1: [global is not a section header; write [name]")
        let x = s.write("x.json", "{\"jobs\": [\n")
        try refuse(["explain", x], "\(x):2:1: malformed YAML or JSON: while parsing a flow node, did not find expected node content")
        try refuse(["explain", s.path], "\(s.path): the job file is a directory")
    }
}

extension RefusalTests {
    /// `directory=` must name an existing directory (fio: "... is not a directory"), with or
    /// without `filename`; tierbench made a regular file at the path instead. Nothing is created.
    @Test func directoryMustExist() throws {
        let s = Scratch()
        let missing = s.file("nodir"), plain = s.write("plain", "x")
        let a = s.write("a.fio", "[j]\nrw=write\nsize=64k\ndirectory=\(missing)\n")
        let b = s.write("b.fio", "[global]\ndirectory=\(missing)\n[j]\nrw=write\nsize=64k\nfilename=data\n")
        let c = s.write("c.fio", "[j]\nrw=write\nsize=64k\ndirectory=\(plain)\n")
        let before = try FileManager.default.contentsOfDirectory(atPath: s.path).sorted()
        for verb in ["run", "explain"] {
            try refuse([verb, a], "\(a):4: directory=\(missing) does not exist; create the directory first (fio refuses it too)")
            try refuse([verb, b], "\(b):2: directory=\(missing) does not exist; create the directory first (fio refuses it too)")
            try refuse([verb, c], "\(c):4: directory=\(plain) is not a directory; give a directory (or filename= for a file)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.path).sorted() == before)
        #expect(!(FileManager.default.fileExists(atPath: missing)))
        // An existing directory is a target, with or without filename.
        try FileManager.default.createDirectory(atPath: missing, withIntermediateDirectories: false)
        let ok = try tierbench(["explain", b])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("  target               \(missing)/data"), "\(ok.stdout)")
    }
}
