import Foundation
import Testing
import TestSupport

/// The same fio job file run by real fio (`--output-format=json`) and by `tierbench run FILE
/// --output-format json`, each on its own small file (`filename=${TB_FILE}`): every job clone
/// must move the same bytes and I/Os in each direction.
@Suite struct RunComparisonTests {
    static let sizeBased = """
        ; Size-based jobs: both tools must move exactly these bytes.
        [global]
        filename=${TB_FILE}
        ioengine=psync

        [seqwrite]
        rw=write
        bs=4k
        size=256k

        [randread]
        stonewall
        rw=randread
        blocksize=8k
        offset=64k
        size=128k

        [clones]
        stonewall
        rw=write
        bs=16k
        size=128k
        numjobs=2
        offset_increment=128k

        [randwrite-qd]
        stonewall
        rw=randwrite
        bs=4k
        size=64k
        iodepth=4
        ioengine=io_uring
        """

    /// bssplit: the engine branch implements it; here `resolve()` says "not supported yet". One
    /// size per direction (the write one applies), so the I/O count does not depend on either
    /// tool's random choice of size.
    static let bssplit = """
        [global]
        filename=${TB_FILE}

        [split]
        rw=write
        bssplit=4k/100,64k/100
        size=1m
        """

    /// An empty per-direction element is fio's default block size (4k) for that direction.
    static let perDirectionDefaults = """
        [global]
        filename=${TB_FILE}
        ioengine=psync

        [write-default]
        rw=write
        bs=8k,
        size=256k

        [read-default]
        stonewall
        rw=read
        bs=,8k
        size=128k

        [trim-empty]
        stonewall
        rw=write
        bs=4k,16k,
        size=128k
        """

    /// fio's data and log options change what is written and logged, never what is moved.
    static let writtenDataAndLogs = """
        [global]
        filename=${TB_FILE}
        ioengine=psync
        log_avg_msec=100

        [compress]
        rw=write
        bs=4k
        size=256k
        buffer_compress_percentage=60
        buffer_compress_chunk=1k
        write_bw_log=compress

        [dedupe]
        stonewall
        rw=randwrite
        bs=8k
        size=256k
        dedupe_percentage=30
        refill_buffers
        write_iops_log=dedupe
        write_lat_log=dedupe

        [pattern]
        stonewall
        rw=randwrite
        bs=4k
        size=128k
        buffer_pattern="tb"
        scramble_buffers=1
        numjobs=2
        offset_increment=128k
        write_bw_log=pattern
        per_job_logs=0
        """

    /// fio's durability options: the same syncs as fio (fio counts them in `sync.lat_ns.N`), at
    /// depth 1, where fio's count does not depend on timing (above it fio may queue several syncs
    /// in a row until one completes). sync=1 and sync=dsync: the same writes, no syncs.
    static let durability = """
        [global]
        filename=${TB_FILE}
        ioengine=psync

        [etcd-like]
        rw=write
        bs=2300
        size=23500
        fdatasync=1

        [whole-blocks]
        stonewall
        rw=write
        bs=2300
        size=23000
        fdatasync=1

        [fsync-every-4]
        stonewall
        rw=randwrite
        bs=4k
        size=64k
        fsync=4
        end_fsync=1

        [both-due]
        stonewall
        rw=write
        bs=4k
        size=48k
        fsync=3
        fdatasync=2
        fsync_on_close=1

        [uring-qd1]
        stonewall
        rw=write
        bs=4k
        size=40k
        ioengine=io_uring
        fdatasync=3

        [o-sync]
        stonewall
        rw=write
        bs=4k
        size=36k
        sync=1

        [o-dsync-uring]
        stonewall
        rw=randwrite
        bs=4k
        size=32k
        ioengine=io_uring
        sync=dsync
        """

    @Test func durabilityOptionsSyncAsFioSyncs() throws {
        try compare(Self.durability)
    }

    @Test func writtenDataAndLogOptionsMoveWhatFioMoves() throws {
        try compare(Self.writtenDataAndLogs)
    }

    @Test func perDirectionDefaultsMoveWhatFioMoves() throws {
        try compare(Self.perDirectionDefaults)
    }

    @Test func sizeBasedJobsMoveWhatFioMoves() throws {
        try compare(Self.sizeBased)
    }

    @Test func bssplitMovesWhatFioMoves() throws {
        try compare(Self.bssplit)
    }

    /// Jobs with their own files: the same bytes and I/Os as fio, and the same files (names and sizes).
    @Test func jobsWithTheirOwnFilesMoveAndCreateWhatFioDoes() throws {
        let job = try String(contentsOfFile: "\(corpusDirectory)/51-job-files.fio", encoding: .utf8)
        try compare(job, files: true)
    }

    /// The files in `directory` (not the job file, not tierbench's directory), with their sizes.
    static func listing(_ directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0 != "job.fio" && $0 != "tb" }.sorted().map { name in
            let size = (try? FileManager.default.attributesOfItem(atPath: "\(directory)/\(name)"))?[.size] as? Int ?? -1
            return "\(name) \(size)"
        }
    }

    func compare(_ job: String, files: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) throws {
        guard let fio = fioPath else { try Test.cancel("fio is not installed: nothing to compare with") }
        let s = Scratch()
        let jobFile = s.write("job.fio", job)
        let fioRun = try execute(fio, ["--output-format=json", jobFile], environment: ["TB_FILE": s.file("fio.data")], cwd: s.path)
        #expect(fioRun.status == 0, "fio: \(fioRun.stderr)", sourceLocation: sourceLocation)
        // Each tool in its own directory: fio's log files are not tierbench's to overwrite.
        try FileManager.default.createDirectory(atPath: s.file("tb"), withIntermediateDirectories: false)
        let tbRun = try tierbench(["run", jobFile, "--output-format", "json", "--progress", "never"],
                                  environment: ["TB_FILE": s.file("tb.data")], cwd: s.file("tb"))
        if tbRun.status == 2, tbRun.stderr.contains("not supported yet") {
            try Test.cancel("needs the engine branch: \(tbRun.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        #expect(tbRun.status == 0, "tierbench: \(tbRun.stderr)", sourceLocation: sourceLocation)
        let fioJobs = (jsonObject(fioRun.stdout)?["jobs"] as? [[String: Any]] ?? []).map { j -> [String] in
            let name = j["jobname"] as? String ?? "?"
            return ["read", "write"].map { dir in
                let d = j[dir] as? [String: Any] ?? [:]
                return "\(name) \(dir) \(d["io_bytes"] as? Int ?? -1) bytes \(d["total_ios"] as? Int ?? -1) ios"
            } + ["\(name) \(((j["sync"] as? [String: Any])?["lat_ns"] as? [String: Any])?["N"] as? Int ?? -1) syncs"]
        }
        let tbJobs = (jsonObject(tbRun.stdout)?["jobs"] as? [[String: Any]] ?? []).map { j -> [String] in
            let name = j["name"] as? String ?? "?"
            return ["read", "write"].map { dir in
                let d = j[dir] as? [String: Any] ?? [:]
                return "\(name) \(dir) \(d["bytes"] as? Int ?? 0) bytes \(d["ios"] as? Int ?? 0) ios"
            } + ["\(name) \((j["sync"] as? [String: Any])?["ios"] as? Int ?? 0) syncs"]
        }
        #expect(!fioJobs.isEmpty, sourceLocation: sourceLocation)
        print("fio:       \(fioJobs.flatMap { $0 })\ntierbench: \(tbJobs.flatMap { $0 })")
        #expect(tbJobs.flatMap { $0 } == fioJobs.flatMap { $0 }, "per job clone and direction: tierbench (left), fio (right)", sourceLocation: sourceLocation)
        if files {
            #expect(Self.listing(s.file("tb")) == Self.listing(s.path), "the files tierbench (left) and fio (right) leave", sourceLocation: sourceLocation)
        }
    }
}
