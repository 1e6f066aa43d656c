import Foundation
import GRDB
import Glibc

/// What recording a run did.
public enum RecordOutcome: Sendable, Equatable {
    case recorded(runID: Int64)
    /// The same result (same digest) is already in the history.
    case duplicate(runID: Int64)
}

extension HistoryStore {
    /// Appends one run: one transaction for the run and everything that belongs to it.
    @discardableResult
    public func record(_ run: RunRecord) throws(HistoryError) -> RecordOutcome {
        try write { db in try Self.insert(run, db) }
    }

    /// Appends many runs in one transaction (bulk loads such as the scale benchmark).
    @discardableResult
    public func record(all runs: [RunRecord]) throws(HistoryError) -> [RecordOutcome] {
        try write { db in try runs.map { try Self.insert($0, db) } }
    }

    static func insert(_ run: RunRecord, _ db: Database) throws -> RecordOutcome {
        if let id = try Int64.fetchOne(db, sql: "SELECT id FROM runs WHERE digest = ?", arguments: [run.digest]) {
            return .duplicate(runID: id)
        }
        let epoch = run.startedAt.timeIntervalSince1970
        try db.execute(sql: """
            INSERT INTO runs (digest, started_at, started_epoch, recorded_at, source, format, tool, tool_version, host, kernel, cpu_model, cpus,
                architecture, target_path, target_kind, target_size_bytes, device_name, device_model, device_size_bytes, filesystem,
                tier, storage_class, zone, node, instance_type, identity, interrupted, failed)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [
                run.digest, RunImport.formatUTC(run.startedAt), epoch, RunImport.formatUTC(Date()), run.source, run.format, run.tool, run.toolVersion,
                run.host, run.kernel, run.cpuModel, run.cpus, run.architecture, run.targetPath, run.targetKind, run.targetSizeBytes.map(Int64.init(clamping:)),
                run.deviceName, run.deviceModel, run.deviceSizeBytes.map(Int64.init(clamping:)), run.filesystem,
                run.tier, run.storageClass, run.zone, run.node, run.instanceType, run.identity, run.interrupted, run.failed,
            ])
        let runID = db.lastInsertedRowID
        for (k, v) in run.labels.sorted(by: { $0.key < $1.key }) {
            try db.cachedStatement(sql: "INSERT INTO labels (run_id, key, value) VALUES (?, ?, ?)").execute(arguments: [runID, k, v])
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for job in run.jobs {
            try db.cachedStatement(sql: """
                INSERT INTO jobs (run_id, job_index, name, rw, block_size_bytes, iodepth, numjobs, engine, parameters, parameters_hash, interrupted, failed)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [runID, job.jobIndex, job.name, job.rw, job.blockSizeBytes.map(Int64.init(clamping:)), job.iodepth, job.numjobs,
                                         job.engine, job.parameters, job.parametersHash, job.interrupted, job.failed])
            let jobID = db.lastInsertedRowID
            for d in job.directions {
                let metrics = String(decoding: try encoder.encode(d.metrics), as: UTF8.self)
                try db.cachedStatement(sql: "INSERT INTO results (job_id, direction, ios, bytes, runtime_ns, metrics) VALUES (?, ?, ?, ?, ?, ?)")
                    .execute(arguments: [jobID, d.direction.rawValue, Int64(clamping: d.ios), Int64(clamping: d.bytes), d.runtimeNanoseconds.map(Int64.init(clamping:)), metrics])
                let resultID = db.lastInsertedRowID
                for (measure, bins) in d.histograms.sorted(by: { $0.key < $1.key }) where !bins.isEmpty {
                    try db.cachedStatement(sql: "INSERT INTO histograms (result_id, measure, bins) VALUES (?, ?, ?)")
                        .execute(arguments: [resultID, measure, BlobCodec.encode(histogram: bins)])
                }
            }
        }
        for point in run.seriesPoints {
            let seriesID = try seriesID(point.key, db)
            let segmentID = try segmentID(point.segment, db)
            try db.cachedStatement(sql: "INSERT INTO points (series_id, started_epoch, run_id, segment_id, value, samples) VALUES (?, ?, ?, ?, ?, ?)")
                .execute(arguments: [seriesID, epoch, runID, segmentID, point.value, point.samples.isEmpty ? nil : BlobCodec.encode(samples: point.samples)])
        }
        for v in run.verdicts {
            try db.cachedStatement(sql: """
                INSERT INTO verdicts (run_id, subject, profile, job, metric, verdict, expected, measured, unit, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [runID, v.subject, v.profile, v.job, v.metric, v.verdict, v.expected, v.measured, v.unit, v.reason])
        }
        stallForTests()
        return .recorded(runID: runID)
    }

    static func seriesID(_ key: SeriesKey, _ db: Database) throws -> Int64 {
        if let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM series WHERE key = ?"), arguments: [key.key]) { return id }
        try db.cachedStatement(sql: "INSERT INTO series (key, name, job, parameters_hash, direction, metric, identity, labels) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            .execute(arguments: [key.key, key.name, key.job, key.parametersHash, key.direction, key.metric, key.identity, key.labels])
        return db.lastInsertedRowID
    }

    static func segmentID(_ s: SegmentKey, _ db: Database) throws -> Int64 {
        let args: StatementArguments = [s.toolVersion, s.kernel, s.engine, s.instanceType]
        if let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM segments WHERE tool_version = ? AND kernel = ? AND engine = ? AND instance_type = ?"), arguments: args) {
            return id
        }
        try db.cachedStatement(sql: "INSERT INTO segments (tool_version, kernel, engine, instance_type) VALUES (?, ?, ?, ?)").execute(arguments: args)
        return db.lastInsertedRowID
    }

    /// For the crash test only: with TIERBENCH_TEST_HISTORY_STALL=FILE, a writer creates FILE in the
    /// middle of its transaction (everything inserted, nothing committed) and waits there to be killed.
    private static func stallForTests() {
        guard let marker = ProcessInfo.processInfo.environment["TIERBENCH_TEST_HISTORY_STALL"], !marker.isEmpty,
              access(marker, F_OK) != 0 else { return }
        _ = FileManager.default.createFile(atPath: marker, contents: Data("\(getpid())\n".utf8))
        while true { pause() }
    }
}
