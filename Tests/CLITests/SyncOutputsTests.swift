import Foundation
import Testing
import TestSupport

/// The syncs of an fdatasync=1 job in every output, each against the JSON of the same run: the
/// JSON's and CSV's intervals, Prometheus (`direction="sync"`), the HTML report and the history,
/// where `sync lat_p99_ns` is a series a nightly gate can watch.
@Suite struct SyncOutputsTests {
    /// One run of an etcd-like job writing JSON, CSV and Prometheus, recorded in a history.
    struct SyncedRun {
        let s = Scratch()
        let doc: [String: Any]
        let sync: [String: Any]

        init() throws {
            let job = s.write("wal.fio", "[wal]\nrw=write\nbs=4k\nsize=128k\nioengine=psync\nfdatasync=1\n")
            let o = try tierbench(["run", job, "--target", s.file("t.data"), "--interval", "100ms", "--progress", "never",
                                   "--output-format", "json,csv,prometheus", "--output", s.file("r.json"), "--output", s.file("r.csv"),
                                   "--output", s.file("r.prom"), "--history", s.file("h.sqlite")])
            #expect(o.status == 0, "\(o.stderr)")
            doc = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: s.file("r.json")))) as? [String: Any])
            sync = try #require(doc.at("aggregates", "0", "sync") as? [String: Any])
        }

        var ios: Int { sync["ios"] as? Int ?? -1 }
        func latency(_ p: Double) -> Int? {
            ((sync["lat_ns"] as? [String: Any])?["percentiles"] as? [[String: Any]])?.first { ($0["percentile"] as? Double) == p }?["value_ns"] as? Int
        }
    }

    /// Every sync falls in one interval: the intervals' syncs add up to the job's, in the JSON
    /// and in the CSV's `sync` rows (no bytes); the document is valid tierbench/1.
    @Test func intervalsCountEverySync() throws {
        let run = try SyncedRun()
        #expect(run.ios == 31 && run.sync["fdatasyncs"] as? Int == 31, "32 writes, a sync after each but the last")
        let intervals = try #require(run.doc.at("aggregates", "0", "intervals") as? [[String: Any]])
        #expect(intervals.compactMap { ($0["sync"] as? [String: Any])?["ios"] as? Int }.reduce(0, +) == run.ios)
        let rows = try String(contentsOfFile: run.s.file("r.csv"), encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        let syncRows = rows.filter { $0.count > 7 && $0[5] == "sync" }
        #expect(syncRows.compactMap { Int($0[6]) }.reduce(0, +) == run.ios && syncRows.allSatisfy { $0[7] == "0" }, "\(syncRows)")
        if let python = jsonschemaPython {
            let v = try execute(python, [schemaValidatorScript, schemaFilePath, run.s.file("r.json")])
            #expect(v.status == 0, "\(v.stdout)\(v.stderr)")
        }
    }

    /// Prometheus: the syncs' latency summary under `direction="sync"`, in seconds, and their count by kind.
    @Test func prometheusHasTheSyncLatency() throws {
        let run = try SyncedRun()
        if let promtool = which("promtool") {
            let lint = try execute("/bin/sh", ["-c", "\(promtool) check metrics < '\(run.s.file("r.prom"))'"])
            #expect(lint.status == 0 && lint.stdout.isEmpty && lint.stderr.isEmpty, "\(lint.stdout)\(lint.stderr)")
        }
        let all = samples(try String(contentsOfFile: run.s.file("r.prom"), encoding: .utf8))
        let count = try #require(all.first { $0.name == "tierbench_latency_seconds_count" && $0.labels["direction"] == "sync" })
        #expect(Int(count.value) == run.ios && count.labels["job_name"] == "wal")
        let p99 = try #require(all.first { $0.name == "tierbench_latency_seconds" && $0.labels["direction"] == "sync" && $0.labels["quantile"] == "0.99" })
        #expect(abs(p99.value - Double(run.latency(99) ?? -1) / 1e9) < 1e-9)
        let kinds = all.filter { $0.name == "tierbench_sync_operations" }
        #expect(kinds.map { $0.labels["kind"] } == ["fdatasync"] && kinds.first.map { Int($0.value) } == run.ios)
    }

    /// The HTML report: a summary row named after the syncs' kind, and their latency in the
    /// distribution and percentile charts.
    @Test func htmlReportHasASyncRowAndCharts() throws {
        let run = try SyncedRun()
        let html = run.s.file("r.html")
        let o = try tierbench(["report", run.s.file("r.json"), "--output", html])
        #expect(o.status == 0, "\(o.stderr)")
        let blocks = try #require((try pageModel(html)["sections"] as? [[String: Any]])?.first?["blocks"] as? [[String: Any]])
        let table = try #require(blocks.compactMap { $0["table"] as? [String: Any] }.first)
        let row = try #require((table["rows"] as? [[String]])?.first { $0[5] == "fdatasync" }, "\(table)")
        #expect(row[0] == "wal" && row[7] == "-")
        let job = try #require(blocks.first { $0["type"] as? String == "group" }?["blocks"] as? [[String: Any]])
        let chartSeries = job.compactMap { $0["chart"] as? [String: Any] }.reduce(into: [String: [String]]()) { out, chart in
            out[chart["id"] as? String ?? ""] = (chart["series"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        }
        #expect(chartSeries["run-job0-histogram"] == ["write", "fdatasync"] && chartSeries["run-job0-ladder"] == ["write", "fdatasync"], "\(chartSeries)")
    }

    /// The history: the direction `sync` with the syncs' latency metrics and counts, and a
    /// `lat_p99_ns` series for it (what `gate` judges).
    @Test func historyRecordsTheSyncsAsADirection() throws {
        let run = try SyncedRun()
        let db = run.s.file("h.sqlite")
        let show = try tierbench(["history", "show", "--history", db, "1", "--output-format", "json"])
        let directions = try #require(show.json?.at("jobs", "0", "directions") as? [[String: Any]], "\(show.stdout)\(show.stderr)")
        let sync = try #require(directions.first { $0["direction"] as? String == "sync" }, "\(directions)")
        let metrics = try #require(sync["metrics"] as? [String: Any])
        #expect((metrics["lat_p99_ns"] as? Double).map(Int.init) == run.latency(99) && metrics["fdatasyncs"] as? Double == Double(run.ios))
        #expect(sync["ios"] as? Int == run.ios && sync["bytes"] as? Int == 0)
        let export = try tierbench(["history", "export", "--history", db, "--metric", "lat_p99_ns"])
        #expect(export.stdout.split(separator: "\n").contains { $0.contains(",wal,sync,lat_p99_ns,") }, "\(export.stdout)")
    }
}
