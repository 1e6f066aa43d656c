import Foundation
import GRDB
import Glibc

/// A run as `history list` shows it.
public struct RunSummary: Sendable, Codable, Equatable {
    public var id: Int64
    public var startedAt: String
    public var source: String
    public var tool: String
    public var toolVersion: String
    public var host: String?
    public var kernel: String?
    public var target: String?
    public var device: String?
    public var tier: String?
    public var storageClass: String?
    public var zone: String?
    public var node: String?
    public var instanceType: String?
    public var identity: String
    public var labels: [String: String]
    public var jobs: Int
    public var interrupted: Bool
    public var failed: Bool
}

/// Which runs or series a command looks at.
public struct HistoryFilter: Sendable {
    public var labels: [String: String] = [:]
    /// Runs that started at or after this.
    public var since: Date?
    /// Series: an id, a glob (`*`, `?`, `[...]`) or a part of the name or key.
    public var series: String?
    public var metrics: [String] = []
    public init() {}
}

public struct SeriesInfo: Sendable, Codable, Equatable {
    public var id: Int64
    public var key: String
    public var name: String
    public var job: String
    public var parametersHash: String
    public var direction: String
    public var metric: String
    public var identity: String
    public var labels: String
    public var points: Int
    public var lastEpoch: Double

    public var seriesKey: SeriesKey {
        SeriesKey(job: job, parametersHash: parametersHash, direction: direction, metric: metric, identity: identity, labels: labels)
    }
}

/// One stored value of a series.
public struct StoredPoint: Sendable, Equatable {
    public var runID: Int64
    public var epoch: Double
    public var segmentID: Int64
    public var value: Double
    public var samples: [Double]
}

public struct AckRecord: Sendable, Codable, Equatable {
    public var id: Int64
    public var seriesID: Int64
    public var series: String
    public var sinceRunID: Int64
    public var sinceEpoch: Double
    public var reason: String
    public var createdAt: String
}

/// A run in full, for `history show`.
public struct RunDetail: Sendable, Codable {
    public var run: RunSummary
    public var cpuModel: String?
    public var format: String
    public var filesystem: String?
    public var jobs: [JobDetail]
    public var verdicts: [VerdictRecord]

    public struct JobDetail: Sendable, Codable {
        public var name: String
        public var rw: String
        public var engine: String
        public var parametersHash: String
        public var parameters: String
        public var directions: [DirectionDetail]
    }

    public struct DirectionDetail: Sendable, Codable {
        public var direction: String
        public var ios: Int64
        public var bytes: Int64
        public var metrics: [String: Double]
        /// Non-empty buckets per latency histogram kept.
        public var histogramBuckets: [String: Int]
    }
}

/// One point with its run, for `history export`.
public struct ExportRow: Sendable, Codable {
    public var runId: Int64
    public var startedAt: String
    public var seriesId: Int64
    public var series: String
    public var job: String
    public var direction: String
    public var metric: String
    public var value: Double
    public var host: String?
    public var tier: String?
    public var storageClass: String?
    public var zone: String?
    public var node: String?
    public var instanceType: String?
    public var toolVersion: String
    public var kernel: String
    public var engine: String
    public var labels: String
}

extension HistoryStore {
    public func runCount() throws(HistoryError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM runs") ?? 0 }
    }

    /// Runs matching the filter, oldest first.
    public func runs(_ filter: HistoryFilter = HistoryFilter()) throws(HistoryError) -> [RunSummary] {
        let seriesIDs: [Int64]? = filter.series == nil && filter.metrics.isEmpty ? nil : try series(filter).map(\.id)
        return try read { db in
            var sql = """
                SELECT r.id, r.started_at, r.source, r.tool, r.tool_version, r.host, r.kernel, r.target_path, r.device_name, r.tier, r.storage_class,
                       r.zone, r.node, r.instance_type, r.identity, r.interrupted, r.failed,
                       (SELECT count(*) FROM jobs j WHERE j.run_id = r.id),
                       (SELECT group_concat(l.key || '=' || l.value, char(10)) FROM labels l WHERE l.run_id = r.id)
                FROM runs r WHERE 1
                """
            var args: [any DatabaseValueConvertible] = []
            if let since = filter.since { sql += " AND r.started_epoch >= ?"; args.append(since.timeIntervalSince1970) }
            for (k, v) in filter.labels.sorted(by: { $0.key < $1.key }) {
                sql += " AND EXISTS (SELECT 1 FROM labels l WHERE l.run_id = r.id AND l.key = ? AND l.value = ?)"
                args.append(k); args.append(v)
            }
            if let seriesIDs {
                if seriesIDs.isEmpty { return [] }
                sql += " AND r.id IN (SELECT run_id FROM points WHERE series_id IN (\(seriesIDs.map(String.init).joined(separator: ","))))"
            }
            sql += " ORDER BY r.started_epoch, r.id"
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map { row in
                let labelText: String? = row[18]
                var labels: [String: String] = [:]
                for pair in (labelText ?? "").split(separator: "\n") {
                    if let eq = pair.firstIndex(of: "=") { labels[String(pair[..<eq])] = String(pair[pair.index(after: eq)...]) }
                }
                return RunSummary(id: row[0], startedAt: row[1], source: row[2], tool: row[3], toolVersion: row[4], host: row[5], kernel: row[6],
                                  target: row[7], device: row[8], tier: row[9], storageClass: row[10], zone: row[11], node: row[12],
                                  instanceType: row[13], identity: row[14], labels: labels, jobs: row[17], interrupted: row[15], failed: row[16])
            }
        }
    }

    /// Series matching the filter (pattern, labels, metrics, a point since).
    public func series(_ filter: HistoryFilter = HistoryFilter()) throws(HistoryError) -> [SeriesInfo] {
        let all: [SeriesInfo] = try read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.id, s.key, s.name, s.job, s.parameters_hash, s.direction, s.metric, s.identity, s.labels,
                       (SELECT count(*) FROM points p WHERE p.series_id = s.id),
                       (SELECT max(p.started_epoch) FROM points p WHERE p.series_id = s.id)
                FROM series s ORDER BY s.name
                """).map { row in
                SeriesInfo(id: row[0], key: row[1], name: row[2], job: row[3], parametersHash: row[4], direction: row[5], metric: row[6],
                           identity: row[7], labels: row[8], points: row[9], lastEpoch: row[10] ?? 0)
            }
        }
        return all.filter { s in
            guard s.points > 0 else { return false }
            if let pattern = filter.series, !SeriesPattern.matches(pattern, s) { return false }
            if !filter.metrics.isEmpty && !filter.metrics.contains(s.metric) && !filter.metrics.contains("all") { return false }
            if let since = filter.since, s.lastEpoch < since.timeIntervalSince1970 { return false }
            for (k, v) in filter.labels {
                let pair = "\(k)=\(v)"
                let inIdentity = s.identity.split(separator: " ").contains { $0 == pair }
                let inLabels = s.labels.split(separator: ",").contains { $0 == pair }
                if !inIdentity && !inLabels { return false }
            }
            return true
        }
    }

    /// The newest `limit` points of a series, oldest first.
    public func points(series id: Int64, limit: Int) throws(HistoryError) -> [StoredPoint] {
        try read { db in try Self.points(db, series: id, limit: limit) }
    }

    static func points(_ db: Database, series id: Int64, limit: Int) throws -> [StoredPoint] {
        let statement = try db.cachedStatement(sql: """
            SELECT run_id, started_epoch, segment_id, value, samples FROM points WHERE series_id = ?
            ORDER BY started_epoch DESC, run_id DESC LIMIT ?
            """)
        var out: [StoredPoint] = []
        let rows = try Row.fetchCursor(statement, arguments: [id, limit])
        while let row = try rows.next() {
            let blob: Data? = row[4]
            out.append(StoredPoint(runID: row[0], epoch: row[1], segmentID: row[2], value: row[3], samples: blob.map(BlobCodec.decodeSamples) ?? []))
        }
        return out.reversed()
    }

    public func segments() throws(HistoryError) -> [Int64: SegmentKey] {
        try read { db in
            var out: [Int64: SegmentKey] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, tool_version, kernel, engine, instance_type FROM segments") {
                out[row[0]] = SegmentKey(toolVersion: row[1], kernel: row[2], engine: row[3], instanceType: row[4])
            }
            return out
        }
    }

    public func acks(series id: Int64? = nil) throws(HistoryError) -> [AckRecord] {
        try read { db in
            let sql = """
                SELECT a.id, a.series_id, s.name, a.since_run_id, a.since_epoch, a.reason, a.created_at FROM acks a JOIN series s ON s.id = a.series_id
                \(id == nil ? "" : "WHERE a.series_id = ?") ORDER BY a.since_epoch, a.id
                """
            return try Row.fetchAll(db, sql: sql, arguments: id.map { [$0] } ?? []).map { row in
                AckRecord(id: row[0], seriesID: row[1], series: row[2], sinceRunID: row[3], sinceEpoch: row[4], reason: row[5], createdAt: row[6])
            }
        }
    }

    /// Accepts a known change: from run `sinceRun` on, each series is judged only against itself.
    public func ack(_ series: [SeriesInfo], sinceRun: Int64, reason: String) throws(HistoryError) -> [AckRecord] {
        try write { db in
            guard let epoch = try Double.fetchOne(db, sql: "SELECT started_epoch FROM runs WHERE id = ?", arguments: [sinceRun]) else {
                throw HistoryError("history ack --since \(sinceRun): no run \(sinceRun) in \(path); give a run id from `tierbench history list`")
            }
            var out: [AckRecord] = []
            let now = RunImport.formatUTC(Date())
            for s in series {
                try db.execute(sql: "INSERT INTO acks (series_id, since_run_id, since_epoch, reason, created_at) VALUES (?, ?, ?, ?, ?)",
                               arguments: [s.id, sinceRun, epoch, reason, now])
                out.append(AckRecord(id: db.lastInsertedRowID, seriesID: s.id, series: s.name, sinceRunID: sinceRun, sinceEpoch: epoch, reason: reason, createdAt: now))
            }
            return out
        }
    }

    public func run(_ id: Int64) throws(HistoryError) -> RunDetail? {
        guard let summary = try runs().first(where: { $0.id == id }) else { return nil }
        return try read { db in
            let row = try Row.fetchOne(db, sql: "SELECT cpu_model, format, filesystem FROM runs WHERE id = ?", arguments: [id])!
            var jobs: [RunDetail.JobDetail] = []
            for j in try Row.fetchAll(db, sql: "SELECT id, name, rw, engine, parameters_hash, parameters FROM jobs WHERE run_id = ? ORDER BY job_index", arguments: [id]) {
                let jobID: Int64 = j[0]
                var dirs: [RunDetail.DirectionDetail] = []
                for d in try Row.fetchAll(db, sql: "SELECT id, direction, ios, bytes, metrics FROM results WHERE job_id = ? ORDER BY direction", arguments: [jobID]) {
                    let text: String = d[4]
                    let metrics = (try? JSONDecoder().decode([String: Double].self, from: Data(text.utf8))) ?? [:]
                    var buckets: [String: Int] = [:]
                    for h in try Row.fetchAll(db, sql: "SELECT measure, bins FROM histograms WHERE result_id = ?", arguments: [d[0] as Int64]) {
                        buckets[h[0]] = BlobCodec.decodeHistogram(h[1])?.count ?? 0
                    }
                    dirs.append(RunDetail.DirectionDetail(direction: d[1], ios: d[2], bytes: d[3], metrics: metrics, histogramBuckets: buckets))
                }
                jobs.append(RunDetail.JobDetail(name: j[1], rw: j[2], engine: j[3], parametersHash: j[4], parameters: j[5], directions: dirs))
            }
            let verdicts = try Row.fetchAll(db, sql: "SELECT subject, profile, job, metric, verdict, expected, measured, unit, reason FROM verdicts WHERE run_id = ?", arguments: [id]).map {
                VerdictRecord(subject: $0[0], profile: $0[1], job: $0[2], metric: $0[3], verdict: $0[4], expected: $0[5], measured: $0[6], unit: $0[7], reason: $0[8])
            }
            return RunDetail(run: summary, cpuModel: row[0], format: row[1], filesystem: row[2], jobs: jobs, verdicts: verdicts)
        }
    }

    /// The latency histogram a run kept for one job, direction and measure.
    public func histogram(run: Int64, job: String, direction: IODirection, measure: String = "lat") throws(HistoryError) -> [(nanoseconds: UInt64, count: UInt64)]? {
        try read { db in
            let blob = try Data.fetchOne(db, sql: """
                SELECT h.bins FROM histograms h JOIN results r ON r.id = h.result_id JOIN jobs j ON j.id = r.job_id
                WHERE j.run_id = ? AND j.name = ? AND r.direction = ? AND h.measure = ?
                """, arguments: [run, job, direction.rawValue, measure])
            return blob.flatMap(BlobCodec.decodeHistogram)
        }
    }

    /// Every point of the matching series with its run, in time order.
    public func export(_ filter: HistoryFilter) throws(HistoryError) -> [ExportRow] {
        let ids = try series(filter).map(\.id)
        if ids.isEmpty { return [] }
        return try read { db in
            var sql = """
                SELECT p.run_id, r.started_at, s.id, s.name, s.job, s.direction, s.metric, p.value, r.host, r.tier, r.storage_class, r.zone, r.node,
                       r.instance_type, g.tool_version, g.kernel, g.engine, s.labels
                FROM points p JOIN runs r ON r.id = p.run_id JOIN series s ON s.id = p.series_id JOIN segments g ON g.id = p.segment_id
                WHERE p.series_id IN (\(ids.map(String.init).joined(separator: ",")))
                """
            var args: [any DatabaseValueConvertible] = []
            if let since = filter.since { sql += " AND p.started_epoch >= ?"; args.append(since.timeIntervalSince1970) }
            for (k, v) in filter.labels.sorted(by: { $0.key < $1.key }) where !Labels.wellKnown.contains(k) {
                sql += " AND EXISTS (SELECT 1 FROM labels l WHERE l.run_id = r.id AND l.key = ? AND l.value = ?)"
                args.append(k); args.append(v)
            }
            sql += " ORDER BY p.started_epoch, p.run_id, s.name"
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map { row in
                ExportRow(runId: row[0], startedAt: row[1], seriesId: row[2], series: row[3], job: row[4], direction: row[5], metric: row[6], value: row[7],
                          host: row[8], tier: row[9], storageClass: row[10], zone: row[11], node: row[12], instanceType: row[13],
                          toolVersion: row[14], kernel: row[15], engine: row[16], labels: row[17])
            }
        }
    }

    /// Removes runs older than `olderThan` and/or all but the newest `keep`, with everything that
    /// belongs to them; series left without points and their acks go too. Returns the runs removed.
    public func prune(olderThan: Date?, keep: Int?, dryRun: Bool = false) throws(HistoryError) -> [Int64] {
        try write { db in
            var ids = Set<Int64>()
            if let olderThan {
                ids.formUnion(try Int64.fetchAll(db, sql: "SELECT id FROM runs WHERE started_epoch < ?", arguments: [olderThan.timeIntervalSince1970]))
            }
            if let keep {
                ids.formUnion(try Int64.fetchAll(db, sql: "SELECT id FROM runs ORDER BY started_epoch DESC, id DESC LIMIT -1 OFFSET ?", arguments: [keep]))
            }
            let sorted = ids.sorted()
            if dryRun || sorted.isEmpty { return sorted }
            for chunk in stride(from: 0, to: sorted.count, by: 500) {
                let list = sorted[chunk..<min(chunk + 500, sorted.count)].map(String.init).joined(separator: ",")
                try db.execute(sql: "DELETE FROM runs WHERE id IN (\(list))")
            }
            try db.execute(sql: "DELETE FROM acks WHERE series_id NOT IN (SELECT DISTINCT series_id FROM points)")
            try db.execute(sql: "DELETE FROM series WHERE id NOT IN (SELECT DISTINCT series_id FROM points)")
            try db.execute(sql: "DELETE FROM segments WHERE id NOT IN (SELECT DISTINCT segment_id FROM points)")
            return sorted
        }
    }

    /// Gives the space of pruned runs back to the file system.
    public func vacuum() throws(HistoryError) {
        do { try queue.vacuum() } catch { throw HistoryError("--history \(path): \(Self.describe(error))") }
    }
}

/// Matching `history ... SERIES` and `--series PATTERN`: a series id, a glob over the name or key,
/// or a part of either.
public enum SeriesPattern {
    public static func matches(_ pattern: String, _ s: SeriesInfo) -> Bool {
        if let id = Int64(pattern) { return s.id == id }
        if pattern.contains(where: { "*?[".contains($0) }) {
            return fnmatch(pattern, s.name, 0) == 0 || fnmatch(pattern, s.key, 0) == 0
        }
        return s.name.contains(pattern) || s.key.contains(pattern)
    }
}
