import Foundation
import GRDB
import Glibc
import Harness

/// The SQLite database of runs (`--history FILE`). WAL and a busy timeout: several processes
/// may write one file at once and none loses a run; every run is one transaction, so a process
/// killed while writing leaves the runs before it whole and no part of its own.
public final class HistoryStore: Sendable {
    public let path: String
    let queue: DatabaseQueue

    /// How long a writer waits for another one (seconds).
    public static let busyTimeoutSeconds: Double = 60

    /// Opens (and with `create`, creates) the history at `path`, moving an older schema to the
    /// current one. Errors name the file and the fix: a missing file, not a SQLite database, not
    /// tierbench's, or a schema from a newer tierbench.
    public init(path: String, create: Bool, option: String = "--history") throws(HistoryError) {
        self.path = path
        var st = stat()
        let exists = stat(path, &st) == 0
        if exists && (st.st_mode & S_IFMT) == S_IFDIR {
            throw HistoryError("\(option) \(path) is a directory; give a file path, e.g. \(option) runs.sqlite")
        }
        if !exists && !create {
            throw HistoryError("\(option) \(path): no such file; record runs into it first (tierbench run --history \(path), or tierbench history import --history \(path) RESULT.json)")
        }
        if !exists {
            let dir = (path as NSString).deletingLastPathComponent
            var d = stat()
            if !dir.isEmpty && (stat(dir, &d) != 0 || (d.st_mode & S_IFMT) != S_IFDIR) {
                throw HistoryError("\(option) \(path): directory \(dir) does not exist; create it or give another path")
            }
        }
        if exists, let problem = Self.notSQLite(path) {
            throw HistoryError("\(option) \(path): \(problem); give a tierbench history file (or a new path to start one)")
        }
        var config = Configuration()
        config.busyMode = .timeout(Self.busyTimeoutSeconds)
        config.foreignKeysEnabled = true
        config.label = "tierbench-history"
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
        } catch let e as DatabaseError where e.resultCode == .SQLITE_NOTADB || e.resultCode == .SQLITE_CORRUPT {
            throw HistoryError("\(option) \(path): \(Self.describe(e)); give a tierbench history file (or a new path to start one)")
        } catch {
            throw HistoryError("\(option) \(path): cannot open (\(Self.describe(error))); give a writable path")
        }
        try Self.prepare(queue, path: path, option: option, upTo: Schema.current)
    }

    /// For tests: a database at an older schema version (as an older tierbench made it).
    init(path: String, schemaVersion: Int) throws(HistoryError) {
        self.path = path
        var config = Configuration()
        config.busyMode = .timeout(Self.busyTimeoutSeconds)
        do { queue = try DatabaseQueue(path: path, configuration: config) } catch { throw HistoryError("\(error)") }
        try Self.prepare(queue, path: path, option: "--history", upTo: schemaVersion)
    }

    /// The first 16 bytes of a SQLite file are "SQLite format 3\0"; an empty file is a new database.
    static func notSQLite(_ path: String) -> String? {
        guard let h = FileHandle(forReadingAtPath: path) else { return "cannot read the file (\(String(cString: strerror(errno))))" }
        defer { try? h.close() }
        let head = (try? h.read(upToCount: 16)) ?? Data()
        if head.isEmpty { return nil }
        return head == Data("SQLite format 3\0".utf8) ? nil : "not a SQLite database"
    }

    /// WAL, then the schema: refuse a newer one, migrate an older one, all in one IMMEDIATE transaction.
    private static func prepare(_ queue: DatabaseQueue, path: String, option: String, upTo target: Int) throws(HistoryError) {
        do {
            try queue.writeWithoutTransaction { db in
                // journal_mode=WAL needs a moment alone with a new file; the busy handler waits for it.
                var mode = try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? ""
                var tries = 0
                while mode.lowercased() != "wal" {
                    do { mode = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") ?? "" } catch let e as DatabaseError where e.resultCode == .SQLITE_BUSY && tries < 600 {
                        tries += 1; usleep(100_000)
                    }
                }
                try db.inTransaction(.immediate) {
                    let app = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                    let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                    let tables = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table'") ?? 0
                    if app != Schema.applicationID && (app != 0 || tables > 0) {
                        throw HistoryError("\(option) \(path): a SQLite database, but not a tierbench history (its application_id is \(app)); give a tierbench history file or a new path")
                    }
                    if version > Schema.current {
                        throw HistoryError("\(option) \(path): the history is schema version \(version), written by a newer tierbench; this tierbench (\(Runner.version)) reads up to version \(Schema.current). Use that newer tierbench, or give another --history file")
                    }
                    if version < target {
                        for v in version..<target { try Schema.migrations[v].1(db) }
                        try db.execute(sql: "PRAGMA application_id = \(Schema.applicationID)")
                        try db.execute(sql: "PRAGMA user_version = \(target)")
                    }
                    return .commit
                }
            }
        } catch let e as HistoryError {
            throw e
        } catch {
            throw HistoryError("\(option) \(path): \(describe(error))")
        }
    }

    static func describe(_ error: any Error) -> String {
        if let e = error as? DatabaseError {
            if e.resultCode == .SQLITE_NOTADB { return "not a SQLite database" }
            if e.resultCode == .SQLITE_CORRUPT { return "the database is corrupt (\(e.message ?? ""))" }
            if e.resultCode == .SQLITE_READONLY || e.resultCode == .SQLITE_CANTOPEN || e.resultCode == .SQLITE_PERM { return "cannot write it (\(e.message ?? "\(e.resultCode)"))" }
            return e.message ?? "\(e.resultCode)"
        }
        return "\(error)"
    }

    /// The schema version of the file.
    public func schemaVersion() throws(HistoryError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }
    }

    /// `PRAGMA integrity_check`: "ok" or the problems.
    public func integrityCheck() throws(HistoryError) -> String {
        try read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ") }
    }

    func read<T>(_ body: (Database) throws -> T) throws(HistoryError) -> T {
        do { return try queue.read(body) } catch let e as HistoryError { throw e } catch { throw HistoryError("--history \(path): \(Self.describe(error))") }
    }

    /// One IMMEDIATE transaction (the writer lock taken at BEGIN, so two writers queue instead of deadlocking).
    func write<T>(_ body: (Database) throws -> T) throws(HistoryError) -> T {
        do {
            return try queue.writeWithoutTransaction { db in
                var out: T?
                try db.inTransaction(.immediate) {
                    out = try body(db)
                    return .commit
                }
                return out!
            }
        } catch let e as HistoryError {
            throw e
        } catch {
            throw HistoryError("--history \(path): \(Self.describe(error))")
        }
    }
}
