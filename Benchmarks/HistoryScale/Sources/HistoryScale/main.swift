import Foundation
import History

// HistoryScale DB ZONES NIGHTS: ZONES targets (tier x zone) x NIGHTS nightly runs of the default
// suite's five jobs, each with the metrics, histograms (lat, clat, slat) and 1 s interval samples a
// 30 s run has, written through HistoryStore in batches. Prints the database size per run.
let args = CommandLine.arguments
guard args.count == 4, let zones = Int(args[2]), let nights = Int(args[3]) else {
    print("usage: HistoryScale DB ZONES NIGHTS"); exit(2)
}
let path = args[1]
func gaussian() -> Double {
    let u1 = Double.random(in: Double.ulpOfOne..<1), u2 = Double.random(in: 0..<1)
    return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
}
/// A latency histogram like a real run's: about 150-250 buckets of HdrHistogram's midpoints around `median`.
func histogram(median: Double, ios: Double) -> [(nanoseconds: UInt64, count: UInt64)] {
    var buckets: [UInt64: UInt64] = [:]
    for _ in 0..<600 {
        let v = median * exp(0.45 * gaussian())
        let magnitude = pow(2, floor(log2(max(v, 128))) - 7)  // 128 sub-buckets per power of two
        let mid = UInt64((floor(v / magnitude) + 0.5) * magnitude)
        buckets[mid, default: 0] += UInt64(ios / 600) + 1
    }
    return buckets.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
}
let jobs: [(String, String, Double, Double, [IODirection])] = [
    ("seqwrite-1m-qd8", "write", 1000, 8_000_000, [.write]), ("seqread-1m-qd8", "read", 1000, 8_000_000, [.read]),
    ("randread-4k-qd32", "randread", 16_000, 2_000_000, [.read]), ("randwrite-4k-qd32", "randwrite", 16_000, 2_000_000, [.write]),
    ("mixed-8k-qd16", "randrw", 8_000, 2_000_000, [.read, .write]),
]
let store = try HistoryStore(path: path, create: true)
let start = Date()
var batch: [RunRecord] = []
var total = 0
for night in 0..<nights {
    for zone in 0..<zones {
        let day = Date(timeIntervalSince1970: 1_767_225_600 + Double(night) * 86_400 + Double(zone) * 60)
        var run = RunRecord(startedAt: day, source: "run", format: "tierbench/1", tool: "tierbench", toolVersion: "0.2.0",
                            digest: "scale-\(night)-\(zone)")
        run.host = "node-\(zone)-\(night % 7)"; run.kernel = night < nights / 2 ? "Linux 6.1.0" : "Linux 6.8.0"
        run.deviceName = "nvme1n1"; run.deviceModel = "Amazon Elastic Block Store"; run.deviceSizeBytes = 500 << 30
        run.apply(labels: ["tier": ["gp3", "io2", "pd-balanced", "Premium_LRS", "st1"][zone % 5], "zone": "zone-\(zone / 5)", "pipeline": "nightly"])
        for (i, job) in jobs.enumerated() {
            var j = JobRecord(name: job.0, jobIndex: i, rw: job.1, engine: "io_uring", parameters: "{\"job\":\"\(job.0)\"}")
            for d in job.4 {
                let iops = job.2 * (1 + 0.03 * gaussian()), lat = job.3 / iops * 1000
                var m: [String: Double] = [MetricNames.iops: iops, MetricNames.bandwidth: iops * 4096, "lat_mean_ns": lat, "lat_stddev_ns": lat / 3]
                for p in [1.0, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 99, 99.5, 99.9, 99.95, 99.99] {
                    for measure in ["lat", "clat"] { m[MetricNames.percentile(measure, p)] = lat * (0.5 + p / 50) }
                }
                for k in ["min", "max", "mean", "stddev", "samples"] { m["iops_interval_\(k)"] = iops; m["bw_bytes_per_second_interval_\(k)"] = iops * 4096 }
                let samples = (0..<30).map { _ in iops * (1 + 0.02 * gaussian()) }
                j.directions.append(DirectionRecord(direction: d, ios: UInt64(iops * 30), bytes: UInt64(iops * 30 * 4096), runtimeNanoseconds: 30_000_000_000,
                                                    metrics: m, samples: [MetricNames.iops: samples, MetricNames.bandwidth: samples.map { $0 * 4096 },
                                                                          "lat_mean_ns": samples.map { job.3 / $0 * 1000 }, "lat_p99_ns": samples.map { job.3 / $0 * 2980 }],
                                                    histograms: ["lat": histogram(median: lat, ios: iops * 30), "clat": histogram(median: lat * 0.95, ios: iops * 30),
                                                                 "slat": histogram(median: 2000, ios: iops * 30)]))
            }
            run.jobs.append(j)
        }
        batch.append(run)
        total += 1
        if batch.count == 500 { try store.record(all: batch); batch.removeAll() }
    }
}
if !batch.isEmpty { try store.record(all: batch) }
let attributes = try FileManager.default.attributesOfItem(atPath: path)
let bytes = (attributes[.size] as? NSNumber)?.intValue ?? 0
print("wrote \(total) runs in \(String(format: "%.1f", Date().timeIntervalSince(start))) s; \(path): \(bytes) bytes, \(bytes / max(1, total)) bytes per run")
