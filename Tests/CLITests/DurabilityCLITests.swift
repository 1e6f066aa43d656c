import Foundation
import Testing
import TestSupport

/// fio's durability options end to end: etcd's disk check as one command, the syncs counted as
/// fio counts them, fio-json's `sync` object in fio's layout, the human table's sync row.
@Suite struct DurabilityCLITests {
    /// `check --requirement etcd` on a directory: fdatasync p99 judged against 10 ms, the exit
    /// status says the verdict, nothing is left in the directory; fio's etcd job on the same
    /// directory counts the same writes and fdatasyncs; the run validates against the schema.
    @Test func etcdRequirementOnADirectory() throws {
        let s = Scratch()
        let dir = s.file("volume")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        let out = try tierbench(["check", "--requirement", "etcd", "--target", dir, "--output-format", "json", "--progress", "never"])
        #expect(out.status == 0 || out.status == 3, "\(out.stderr)")
        let doc = try #require(out.json, "\(out.stdout)")
        let verdict = try #require(doc["requirement"] as? [String: Any])
        let measured = try #require(verdict["measured_ns"] as? Int, "fdatasync p99 reported")
        let limit = try #require(verdict["limit_ns"] as? Int)
        #expect(limit == 10_000_000 && verdict["percentile"] as? Double == 99)
        #expect(verdict["passed"] as? Bool == (measured <= limit))
        #expect(out.status == (measured <= limit ? 0 : 3), "exit status 0 pass, 3 fail")
        #expect((verdict["sources"] as? [String] ?? []).contains { $0.contains("etcd.io") })
        let fdatasyncs = try #require(verdict["fdatasyncs"] as? Int)
        let writes = try #require(doc.at("run", "jobs", "0", "write", "ios") as? Int)
        #expect(verdict["fsyncs"] as? Int == 0 && fdatasyncs > 0)
        #expect(doc.at("run", "jobs", "0", "parameters", "direct") as? Bool == false, "bs=2300 runs buffered, as fio's default direct=0")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty, "the check's file is removed")

        if let python = jsonschemaPython {
            let run = try JSONSerialization.data(withJSONObject: try #require(doc["run"]))
            let path = s.file("run.json")
            try run.write(to: URL(fileURLWithPath: path))
            let v = try execute(python, [schemaValidatorScript, schemaFilePath, path])
            #expect(v.status == 0, "\(v.stdout)\(v.stderr)")
        }

        guard let fio = fioPath else { return }  // the comparison with fio needs fio
        let f = try execute(fio, ["--rw=write", "--ioengine=sync", "--fdatasync=1", "--directory=\(dir)", "--size=22m", "--bs=2300",
                                  "--name=mytest", "--output-format=json"], cwd: s.path)
        #expect(f.status == 0, "\(f.stderr)")
        let fioJob = try #require((f.json?["jobs"] as? [[String: Any]])?.first)
        #expect(fioJob.at("write", "total_ios") as? Int == writes)
        #expect(fioJob.at("sync", "lat_ns", "N") as? Int == fdatasyncs, "the same number of fdatasyncs as fio")
    }

    static let job = """
        [global]
        filename=${TB_FILE}
        ioengine=psync
        bs=4k
        size=64k

        [datasync]
        rw=write
        fdatasync=1

        [fsync]
        stonewall
        rw=randwrite
        fsync=2
        """

    /// fio-json's `sync` against fio 3.33's json+ of the same jobs: the same keys in the same
    /// order at every level, and fio's counting (total_ios: fsyncs only; lat_ns.N: every sync).
    @Test func fioJSONSyncHasFiosLayout() throws {
        guard let fio = fioPath else { try Test.cancel("fio is not installed: nothing to compare with") }
        let s = Scratch()
        let jobFile = s.write("job.fio", Self.job)
        let f = try execute(fio, ["--output-format=json+", jobFile], environment: ["TB_FILE": s.file("fio.data")], cwd: s.path)
        #expect(f.status == 0, "\(f.stderr)")
        let t = try tierbench(["run", jobFile, "--output-format", "fio-json", "--progress", "never"], environment: ["TB_FILE": s.file("tb.data")], cwd: s.path)
        #expect(t.status == 0, "\(t.stderr)")
        let fioSync = try syncObjects(try OrderedJSON(parsing: f.stdout)), ourSync = try syncObjects(try OrderedJSON(parsing: t.stdout))
        #expect(fioSync.count == 2 && ourSync.count == 2)
        for (fs, ts) in zip(fioSync, ourSync) {
            #expect(keyPaths(ts) == keyPaths(fs), "keys in order")
        }
        let fioCounts = (f.json?["jobs"] as? [[String: Any]] ?? []).map { [$0.at("sync", "total_ios") as? Int, $0.at("sync", "lat_ns", "N") as? Int] }
        let ourCounts = (t.json?["jobs"] as? [[String: Any]] ?? []).map { [$0.at("sync", "total_ios") as? Int, $0.at("sync", "lat_ns", "N") as? Int] }
        #expect(ourCounts == fioCounts && ourCounts.count == 2)
        let datasyncs = ourCounts.first.flatMap { $0[1] } ?? 0
        #expect(ourCounts.first.flatMap { $0[0] } == 0 && datasyncs > 0, "fdatasyncs count in N, not in total_ios, as fio")
    }

    /// The human table has a row for the syncs, with their count.
    @Test func humanTableHasASyncRow() throws {
        let s = Scratch()
        let jobFile = s.write("job.fio", Self.job)
        let t = try tierbench(["run", jobFile, "--progress", "never"], environment: ["TB_FILE": s.file("tb.data")], cwd: s.path)
        #expect(t.status == 0, "\(t.stderr)")
        let rows = t.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        let datasync = try #require(rows.first { $0.count > 2 && $0[0] == "datasync" && $0[1] == "fdatasync" }, "\(t.stdout)")
        let fsync = try #require(rows.first { $0.count > 2 && $0[0] == "fsync" && $0[1] == "fsync" }, "\(t.stdout)")
        #expect(datasync.last == "15" && fsync.last == "7", "16 writes: a sync after each but the last; after every second but the last")
    }

    /// fio's `sync=1|sync|dsync` on both engines: the job's file is opened O_SYNC or O_DSYNC (the
    /// open(2) strace sees), and the job issues no sync operations of its own.
    @Test(arguments: ["psync", "io_uring"])
    func syncOpensTheFileSynced(_ engine: String) throws {
        guard let strace = which("strace") else { try Test.cancel("strace is not installed: the open flags cannot be seen") }
        for (value, flag) in [("1", "O_SYNC"), ("sync", "O_SYNC"), ("dsync", "O_DSYNC"), ("0", nil)] {
            let s = Scratch()
            let target = s.file("target.data")
            let job = s.write("job.fio", "[w]\nrw=write\nbs=4k\nsize=32k\nioengine=\(engine)\nsync=\(value)\n")
            let run = try execute(strace, ["-f", "-e", "trace=openat", "-o", s.file("trace"), tierbenchPath, "run", job, "--target", target,
                                           "--output-format", "json", "--progress", "never"])
            #expect(run.status == 0, "sync=\(value): \(run.stderr)")
            let opens = try String(contentsOfFile: s.file("trace"), encoding: .utf8).split(separator: "\n")
                .filter { $0.contains("\"\(target)\"") && $0.contains("O_RDWR") && !$0.contains("O_CREAT") }
            #expect(!opens.isEmpty, "sync=\(value): the job opens the target for writing")
            for line in opens {
                #expect(line.contains("O_SYNC") == (flag == "O_SYNC") && line.contains("O_DSYNC") == (flag == "O_DSYNC"), "sync=\(value): \(line)")
            }
            #expect(run.json?.at("jobs", "0", "write", "ios") as? Int == 8 && run.json?.at("jobs", "0", "sync") == nil, "sync=\(value): \(run.stdout)")
            #expect(run.json?.at("jobs", "0", "parameters", "durability", "synced_writes") as? String == flag.map { $0 == "O_SYNC" ? "sync" : "dsync" })
            if let python = jsonschemaPython {
                try Data(run.stdout.utf8).write(to: URL(fileURLWithPath: s.file("run.json")))
                let v = try execute(python, [schemaValidatorScript, schemaFilePath, s.file("run.json")])
                #expect(v.status == 0, "sync=\(value): \(v.stdout)\(v.stderr)")
            }
        }
    }

    /// A `sync` value fio does not know is refused at its line, naming the values it takes.
    @Test func unknownSyncValueIsRefusedAtItsLine() throws {
        let s = Scratch()
        let job = s.write("job.fio", "[w]\nrw=write\nsync=always\n")
        let out = try tierbench(["run", job, "--target", s.file("t.data")])
        #expect(out.status == 2)
        #expect(out.stderr.contains("sync=always") && out.stderr.contains("job.fio:3") && out.stderr.contains("dsync"), "\(out.stderr)")
    }

    @Test func unknownRequirementIsRefusedByName() throws {
        let out = try tierbench(["check", "--requirement", "zookeeper", "--target", "/tmp"])
        #expect(out.status != 0 && out.status != 3)
        #expect(out.stderr.contains("zookeeper") && out.stderr.contains("etcd"), "\(out.stderr)")
        #expect(!out.stderr.contains("Stack") && out.stderr.split(separator: "\n").count <= 2, "\(out.stderr)")
        let noTarget = try tierbench(["check", "--requirement", "etcd"])
        #expect(noTarget.status != 0 && noTarget.stderr.contains("--target"), "\(noTarget.stderr)")
    }

    /// The `sync` object of every job entry.
    func syncObjects(_ doc: OrderedJSON) throws -> [OrderedJSON] {
        guard case .object(let top) = doc, case .array(let jobs)? = top.first(where: { $0.key == "jobs" })?.value else { return [] }
        return jobs.compactMap { job in
            guard case .object(let fields) = job else { return nil }
            return fields.first { $0.key == "sync" }?.value
        }
    }

    /// Every key path in document order; a `bins` object's keys (latencies of that run) left out.
    func keyPaths(_ value: OrderedJSON, _ prefix: String = "") -> [String] {
        guard case .object(let fields) = value else { return [] }
        return fields.flatMap { f in
            ["\(prefix)/\(f.key)"] + (f.key == "bins" ? [] : keyPaths(f.value, "\(prefix)/\(f.key)"))
        }
    }
}
