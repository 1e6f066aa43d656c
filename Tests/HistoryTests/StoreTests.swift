import Foundation
import GRDB
import Stats
import Testing
@testable import History
import TestSupport

/// A scratch directory for one test.
/// A run with one random-read job whose latencies are `latencies` (ns).
func sampleRun(day: Int, iops: Double, latencies: [UInt64] = [100_000, 120_000, 150_000, 900_000], labels: [String: String] = ["zone": "a"]) -> RunRecord {
    var stat = LatencyStat()
    for l in latencies { stat.record(l) }
    let report = stat.report(PercentileList.fioDefault)
    var metrics: [String: Double] = [MetricNames.iops: iops, MetricNames.bandwidth: iops * 4096, "lat_mean_ns": stat.mean]
    for p in report.percentiles { metrics[MetricNames.percentile("lat", p.percentile)] = Double(p.nanoseconds) }
    let direction = DirectionRecord(direction: .read, ios: UInt64(iops), bytes: UInt64(iops) * 4096, runtimeNanoseconds: 1_000_000_000, metrics: metrics,
                                    samples: [MetricNames.iops: [iops * 0.99, iops, iops * 1.01]],
                                    histograms: ["lat": stat.histogram.bins])
    var job = JobRecord(name: "randread-4k", jobIndex: 0, rw: "randread", engine: "io_uring", parameters: "{\"bs\":4096,\"rw\":\"randread\"}", directions: [direction])
    job.iodepth = 32
    var r = RunRecord(startedAt: Date(timeIntervalSince1970: 1_780_000_000 + Double(day) * 86_400), source: "run", format: "tierbench/1",
                      tool: "tierbench", toolVersion: "0.2.0", jobs: [job], digest: "day-\(day)-\(iops)")
    r.host = "db1"; r.kernel = "Linux 6.1"; r.deviceName = "nvme0n1"; r.deviceSizeBytes = 1 << 40
    r.apply(labels: labels)
    return r
}

@Suite struct StoreTests {
    @Test func aRunRoundTripsWithItsHistogramExact() throws {
        let dir = Scratch()
        let store = try HistoryStore(path: dir.file("h.sqlite"), create: true)
        let latencies: [UInt64] = (0..<5000).map { 50_000 + UInt64(($0 * 7919) % 400_000) }
        let run = sampleRun(day: 1, iops: 5000, latencies: latencies, labels: ["zone": "us-east-1a", "team": "storage"])
        guard case .recorded(let id) = try store.record(run) else { Issue.record("not recorded"); return }
        #expect(try store.record(run) == .duplicate(runID: id))
        let detail = try #require(try store.run(id))
        #expect(detail.run.zone == "us-east-1a")
        #expect(detail.run.labels == ["zone": "us-east-1a", "team": "storage"])
        #expect(detail.jobs.first?.directions.first?.metrics[MetricNames.iops] == 5000)
        // The histogram comes back bucket for bucket: merging stored runs is exact.
        let bins = try #require(try store.histogram(run: id, job: "randread-4k", direction: .read))
        var original = LatencyStat()
        for l in latencies { original.record(l) }
        #expect(bins.map { [$0.nanoseconds, $0.count] } == original.histogram.bins.map { [$0.nanoseconds, $0.count] })
        var rebuilt = LatencyHistogram()
        for b in bins { rebuilt.record(b.nanoseconds, count: b.count) }
        for p in [50.0, 99, 99.9] { #expect(rebuilt.value(atPercentile: p) == original.histogram.value(atPercentile: p)) }
        // Its series carry the labels that are not well-known, and the zone in the identity.
        let series = try store.series()
        #expect(series.contains { $0.metric == "iops" && $0.identity == "host=db1 device=nvme0n1 1TiB zone=us-east-1a" && $0.labels == "team=storage" }, "\(series.map(\.name))")
        #expect(try store.integrityCheck() == "ok")
    }

    @Test func aDatabaseFromANewerTierbenchIsRefused() throws {
        let dir = Scratch()
        let path = dir.file("future.sqlite")
        _ = try HistoryStore(path: path, create: true)
        let raw = try DatabaseQueue(path: path)
        try raw.writeWithoutTransaction { try $0.execute(sql: "PRAGMA user_version = \(Schema.current + 1)") }
        try raw.close()
        #expect { try HistoryStore(path: path, create: false) } throws: { e in
            let m = (e as? HistoryError)?.message ?? ""
            return m.contains("schema version \(Schema.current + 1)") && m.contains("newer tierbench") && m.contains(path)
        }
    }

    @Test func otherFilesAreRefusedClearly() throws {
        let dir = Scratch()
        let text = dir.file("notes.txt")
        try "hello".write(toFile: text, atomically: true, encoding: .utf8)
        #expect { try HistoryStore(path: text, create: true) } throws: { ($0 as? HistoryError)?.message.contains("not a SQLite database") == true }
        let other = dir.file("other.sqlite")
        let raw = try DatabaseQueue(path: other)
        try raw.write { try $0.execute(sql: "CREATE TABLE t (x)") }
        try raw.close()
        #expect { try HistoryStore(path: other, create: true) } throws: { ($0 as? HistoryError)?.message.contains("not a tierbench history") == true }
        #expect { try HistoryStore(path: dir.file("missing.sqlite"), create: false) } throws: { ($0 as? HistoryError)?.message.contains("no such file") == true }
        #expect { try HistoryStore(path: dir.file("no/such/dir.sqlite"), create: true) } throws: { ($0 as? HistoryError)?.message.contains("does not exist") == true }
    }

    @Test func aFirstVersionDatabaseIsMigrated() throws {
        let dir = Scratch()
        let path = dir.file("v1.sqlite")
        // A database made by the first schema version, with runs in it.
        let old = try HistoryStore(path: path, schemaVersion: 1)
        #expect(try old.schemaVersion() == 1)
        for day in 1...3 { try old.record(sampleRun(day: day, iops: 1000 + Double(day))) }
        let before = try old.export(HistoryFilter()).map { "\($0.runId) \($0.series) \($0.value)" }
        #expect(throws: (any Error).self) { try old.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM acks") } }
        // Opened by this tierbench: moved to the current version, every run intact, acks work.
        let store = try HistoryStore(path: path, create: false)
        #expect(try store.schemaVersion() == Schema.current)
        #expect(try store.runCount() == 3)
        #expect(try store.export(HistoryFilter()).map { "\($0.runId) \($0.series) \($0.value)" } == before)
        let iops = try store.series().filter { $0.metric == "iops" }
        #expect(try store.ack(iops, sinceRun: 2, reason: "new kernel").count == 1)
        #expect(try store.acks().first?.reason == "new kernel")
        #expect(try store.integrityCheck() == "ok")
    }

    @Test func pruneByAgeAndCountAndListFilters() throws {
        let dir = Scratch()
        let store = try HistoryStore(path: dir.file("h.sqlite"), create: true)
        try store.record(all: (1...10).map { sampleRun(day: $0, iops: 1000, labels: ["zone": $0 % 2 == 0 ? "a" : "b"]) })
        var f = HistoryFilter()
        f.labels = ["zone": "a"]
        #expect(try store.runs(f).count == 5)
        f = HistoryFilter()
        f.since = Date(timeIntervalSince1970: 1_780_000_000 + 8 * 86_400)
        #expect(try store.runs(f).map(\.id) == [8, 9, 10])
        #expect(try store.prune(olderThan: nil, keep: 7, dryRun: true) == [1, 2, 3])
        #expect(try store.runCount() == 10)
        #expect(try store.prune(olderThan: Date(timeIntervalSince1970: 1_780_000_000 + 2.5 * 86_400), keep: nil) == [1, 2])
        #expect(try store.prune(olderThan: nil, keep: 5) == [3, 4, 5])
        #expect(try store.runs().map(\.id) == [6, 7, 8, 9, 10])
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM points WHERE run_id < 6") } == 0)
        #expect(try store.integrityCheck() == "ok")
    }

    @Test func labelsAndSinceAreParsedWithClearErrors() throws {
        #expect(try Labels.parse(["zone=us-east-1a", "instance-type=m5.large"]) == ["zone": "us-east-1a", "instance_type": "m5.large"])
        #expect { try Labels.parse(["zone"]) } throws: { ($0 as? HistoryError)?.message.contains("give key=value") == true }
        #expect { try Labels.parse(["1x=y"]) } throws: { ($0 as? HistoryError)?.message.contains("start with a letter") == true }
        #expect { try Labels.parse(["a=1", "a=2"]) } throws: { ($0 as? HistoryError)?.message.contains("twice") == true }
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(try SinceParser.parse("30d", now: now) == now.addingTimeInterval(-30 * 86_400))
        #expect(try SinceParser.parse("2026-11-01", now: now) == RunImport.parseUTC("2026-11-01T00:00:00Z"))
        #expect { try SinceParser.parse("yesterday") } throws: { ($0 as? HistoryError)?.message.contains("30d") == true }
    }

    @Test func gateOverTheStoreJudgesTheNewestRunAndACandidate() throws {
        let dir = Scratch()
        let store = try HistoryStore(path: dir.file("h.sqlite"), create: true)
        var rng = SeededRandom(seed: 3)
        try store.record(all: (1...20).map { sampleRun(day: $0, iops: 10_000 * (1 + 0.01 * rng.gaussian())) })
        var f = HistoryFilter()
        f.metrics = ["iops"]
        let calm = try Gate(filter: f).judge(store)
        #expect(calm.series.count == 1 && !calm.failed, "\(calm.human())")
        // A result at 70%, judged before it is recorded.
        let slow = sampleRun(day: 21, iops: 7_000)
        let report = try Gate(filter: f).judge(slow, file: "slow.json", store: store)
        #expect(report.failed && report.series.first?.status == .regression, "\(report.human())")
        #expect(report.human().contains("REGRESSION"))
        #expect(report.junit().contains("<failure"))
        #expect(try store.runCount() == 20)
        // `--metric all` judges every series: at least the default ones (it judged none before).
        var all = HistoryFilter()
        all.metrics = ["all"]
        let everything = try Gate(filter: all).judge(store)
        let defaults = try Gate(filter: HistoryFilter()).judge(store)
        #expect(everything.series.count > defaults.series.count && defaults.series.count > 1, "\(everything.series.count) vs \(defaults.series.count)")
        #expect(Set(defaults.series.map(\.series)).isSubset(of: Set(everything.series.map(\.series))))
    }
}
