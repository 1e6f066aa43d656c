import Foundation
@testable import History
import Testing
import TestSupport

/// `tierbench gate --output-format prometheus` on a real history database: `tierbench_regression`
/// per series, promtool-clean, 1 for the series that regressed.

/// A history of 12 nightly runs, written through HistoryStore: on a StorageClass target
/// (class fast, tier gold, zone us-east-1a, labels team and job) a random-read job whose IOPS
/// drop by 40% in the newest run while its mean latency stays; on a host/device target a
/// sequential read that stays. Returns the database's path.
func regressionHistory(_ s: Scratch) throws -> String {
    let path = s.file("gate.sqlite")
    let store = try HistoryStore(path: path, create: true)
    func direction(_ values: [String: Double]) -> DirectionRecord {
        let samples = values.mapValues { v in (0..<10).map { j in v * (1 + 0.01 * sin(Double(j) * 2.3 + v)) } }
        return DirectionRecord(direction: .read, ios: 10_000, bytes: 40_960_000, runtimeNanoseconds: 10_000_000_000, metrics: values, samples: samples)
    }
    var runs: [RunRecord] = []
    for i in 1...12 {
        let noise = 1 + 0.01 * sin(Double(i) * 1.7)
        let start = Date(timeIntervalSince1970: 1_790_000_000 + Double(i) * 86_400)
        var onClass = RunRecord(startedAt: start, source: "import", format: "tierbench/1", tool: "tierbench", toolVersion: "0.2.0", digest: "class-\(i)")
        onClass.kernel = "Linux 6.1"
        onClass.apply(labels: ["class": "fast", "tier": "gold", "zone": "us-east-1a", "team": "storage", "job": "nightly"])
        var job = JobRecord(name: "randread-4k", jobIndex: 0, rw: "randread", engine: "io_uring", parameters: #"{"bs":4096,"rw":"randread"}"#)
        job.directions = [direction(["iops": 10_000 * noise * (i == 12 ? 0.6 : 1), "lat_mean_ns": 400_000 * noise])]
        onClass.jobs = [job]
        var onHost = RunRecord(startedAt: start.addingTimeInterval(600), source: "import", format: "tierbench/1", tool: "tierbench", toolVersion: "0.2.0",
                               digest: "host-\(i)")
        onHost.kernel = "Linux 6.1"
        onHost.host = "db1"
        onHost.deviceName = "nvme0n1"
        onHost.deviceModel = "Samsung SSD 980"
        onHost.deviceSizeBytes = 1 << 40
        var seq = JobRecord(name: "seqread-1m", jobIndex: 0, rw: "read", engine: "io_uring", parameters: #"{"bs":1048576,"rw":"read"}"#)
        seq.directions = [direction(["bw_bytes_per_second": 2e9 * noise])]
        onHost.jobs = [seq]
        runs += [onClass, onHost]
    }
    try store.record(all: runs)
    return path
}

@Suite struct GatePrometheusTests {
    @Test(.enabled(if: promtool != nil, "needs promtool (Debian's prometheus)")) func gateVerdictsAsPrometheusMetrics() throws {
        let s = Scratch()
        let db = try regressionHistory(s)
        let prom = s.file("gate.prom")
        let o = try tierbench(["gate", "--history", db, "--output-format", "prometheus", "--output", prom])
        // A regression keeps its exit status.
        #expect(o.status == 3, "\(o.stdout)\(o.stderr)")
        try assertLintClean(prom)
        let text = try String(contentsOfFile: prom, encoding: .utf8)
        #expect(text.hasSuffix("# EOF\n"))
        let all = samples(text)
        let regression = all.filter { $0.name == "tierbench_regression" }
        #expect(regression.count == 3, "\(text)")
        let iops = try #require(regression.first { $0.labels["metric"] == "iops" }, "\(text)")
        #expect(iops.value == 1)
        #expect(iops.labels["job_name"] == "randread-4k" && iops.labels["direction"] == "read")
        #expect(iops.labels["storage_class"] == "fast" && iops.labels["tier"] == "gold" && iops.labels["zone"] == "us-east-1a", "\(iops.labels)")
        // A run label tierbench sets itself (`job`) keeps its value under another name.
        #expect(iops.labels["team"] == "storage" && iops.labels["label_job"] == "nightly" && iops.labels["job"] == nil, "\(iops.labels)")
        #expect(iops.labels["parameters_hash"]?.count == 16)
        let latency = try #require(regression.first { $0.labels["metric"] == "lat_mean_ns" })
        #expect(latency.value == 0 && latency.labels["storage_class"] == "fast")
        let bandwidth = try #require(regression.first { $0.labels["metric"] == "bw_bytes_per_second" })
        #expect(bandwidth.value == 0)
        #expect(bandwidth.labels["host"] == "db1" && bandwidth.labels["device"] == "nvme0n1 Samsung SSD 980 1TiB" && bandwidth.labels["storage_class"] == nil,
                "\(bandwidth.labels)")
        // When each target's newest judged run started.
        let newest = all.filter { $0.name == "tierbench_gate_newest_run_timestamp_seconds" }
        #expect(newest.count == 2, "\(text)")
        #expect(newest.contains { $0.labels["storage_class"] == "fast" && $0.value == 1_790_000_000 + 12 * 86_400 })
        #expect(newest.contains { $0.labels["host"] == "db1" && $0.value == 1_790_000_000 + 12 * 86_400 + 600 })

        // Only the regressed series judged: it passes no longer; the rest pass with exit 0.
        let ok = try tierbench(["gate", "--history", db, "--output-format", "prometheus", "--metric", "lat_mean_ns"])
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        #expect(samples(ok.stdout).filter { $0.name == "tierbench_regression" }.map(\.value) == [0], "\(ok.stdout)")
        // The JSON report is as before (the series' key is for the labels only).
        let json = try tierbench(["gate", "--history", db, "--output-format", "json"])
        #expect(json.status == 3 && !json.stdout.contains("\"key\"") && json.stdout.contains("\"regressions\" : 1"), "\(json.stdout)")
    }

    @Test func anUnknownFormatNamesPrometheus() throws {
        let s = Scratch()
        let db = try regressionHistory(s)
        let o = try tierbench(["gate", "--history", db, "--output-format", "xml"])
        #expect(o.status == 2 && o.stderr.contains("human, json, junit or prometheus"), "\(o.stderr)")
    }
}
