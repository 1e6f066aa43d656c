import GRDB

/// The history database's schema: versioned by `PRAGMA user_version`, marked as tierbench's by
/// `PRAGMA application_id`, moved forward by one migration per version inside one IMMEDIATE
/// transaction (two processes opening a new file at once do not both migrate it).
enum Schema {
    /// 'tbhi': a tierbench history.
    static let applicationID: Int32 = 0x7462_6869
    /// The version this tierbench writes.
    static var current: Int { migrations.count }

    /// Migration i moves version i to i + 1.
    static let migrations: [(String, @Sendable (Database) throws -> Void)] = [
        ("v1: runs, labels, jobs, results, histograms, verdicts, series, segments, points", v1),
        ("v2: acks; points by run (prune deletes a run's points without a scan)", v2),
    ]

    static func v1(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE runs (
                id INTEGER PRIMARY KEY,
                digest TEXT NOT NULL UNIQUE,
                started_at TEXT NOT NULL,
                started_epoch REAL NOT NULL,
                recorded_at TEXT NOT NULL,
                source TEXT NOT NULL,
                format TEXT NOT NULL,
                tool TEXT NOT NULL,
                tool_version TEXT NOT NULL,
                host TEXT, kernel TEXT, cpu_model TEXT, cpus INTEGER, architecture TEXT,
                target_path TEXT, target_kind TEXT, target_size_bytes INTEGER,
                device_name TEXT, device_model TEXT, device_size_bytes INTEGER, filesystem TEXT,
                tier TEXT, storage_class TEXT, zone TEXT, node TEXT, instance_type TEXT,
                identity TEXT NOT NULL,
                interrupted INTEGER NOT NULL,
                failed INTEGER NOT NULL
            );
            CREATE INDEX runs_by_time ON runs(started_epoch);
            CREATE TABLE labels (
                run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (run_id, key)
            ) WITHOUT ROWID;
            CREATE INDEX labels_by_pair ON labels(key, value);
            CREATE TABLE jobs (
                id INTEGER PRIMARY KEY,
                run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                job_index INTEGER NOT NULL,
                name TEXT NOT NULL,
                rw TEXT NOT NULL,
                block_size_bytes INTEGER, iodepth INTEGER, numjobs INTEGER,
                engine TEXT NOT NULL,
                parameters TEXT NOT NULL,
                parameters_hash TEXT NOT NULL,
                interrupted INTEGER NOT NULL,
                failed INTEGER NOT NULL,
                UNIQUE (run_id, job_index)
            );
            CREATE TABLE results (
                id INTEGER PRIMARY KEY,
                job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
                direction TEXT NOT NULL,
                ios INTEGER NOT NULL,
                bytes INTEGER NOT NULL,
                runtime_ns INTEGER,
                metrics TEXT NOT NULL,
                UNIQUE (job_id, direction)
            );
            CREATE TABLE histograms (
                result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE,
                measure TEXT NOT NULL,
                bins BLOB NOT NULL,
                PRIMARY KEY (result_id, measure)
            ) WITHOUT ROWID;
            CREATE TABLE verdicts (
                run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                subject TEXT NOT NULL, profile TEXT NOT NULL, job TEXT NOT NULL, metric TEXT NOT NULL,
                verdict TEXT NOT NULL, expected REAL, measured REAL, unit TEXT NOT NULL, reason TEXT NOT NULL
            );
            CREATE INDEX verdicts_by_run ON verdicts(run_id);
            CREATE TABLE series (
                id INTEGER PRIMARY KEY,
                key TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                job TEXT NOT NULL,
                parameters_hash TEXT NOT NULL,
                direction TEXT NOT NULL,
                metric TEXT NOT NULL,
                identity TEXT NOT NULL,
                labels TEXT NOT NULL
            );
            CREATE TABLE segments (
                id INTEGER PRIMARY KEY,
                tool_version TEXT NOT NULL,
                kernel TEXT NOT NULL,
                engine TEXT NOT NULL,
                instance_type TEXT NOT NULL,
                UNIQUE (tool_version, kernel, engine, instance_type)
            );
            CREATE TABLE points (
                series_id INTEGER NOT NULL REFERENCES series(id),
                started_epoch REAL NOT NULL,
                run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                segment_id INTEGER NOT NULL REFERENCES segments(id),
                value REAL NOT NULL,
                samples BLOB,
                PRIMARY KEY (series_id, started_epoch, run_id)
            ) WITHOUT ROWID;
            """)
    }

    static func v2(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE acks (
                id INTEGER PRIMARY KEY,
                series_id INTEGER NOT NULL REFERENCES series(id),
                since_run_id INTEGER NOT NULL,
                since_epoch REAL NOT NULL,
                reason TEXT NOT NULL,
                created_at TEXT NOT NULL
            );
            CREATE INDEX acks_by_series ON acks(series_id);
            CREATE INDEX points_by_run ON points(run_id);
            """)
    }
}
