import Check
import Foundation
import Harness
import Report
import Stats
import Workload

/// Turns results (a tierbench run, a fio JSON, a check's verdicts) into the history's `RunRecord`.
public enum RunImport {
    /// A tierbench run, from `run`/`check` (source) or an imported file. `document`: its JSON
    /// text when known (the digest that spots a second import of the same result).
    public static func record(_ result: RunResult, source: String, labels: [String: String] = [:], document: Data? = nil) -> RunRecord {
        let bytes = document ?? ((try? JSONReport.render(result)).map { Data($0.utf8) } ?? Data())
        var r = RunRecord(startedAt: parseUTC(result.startTimeUTC) ?? Date(), source: source, format: RunResult.schemaVersion,
                          tool: result.tool, toolVersion: result.version, digest: Digest.fnv1a64Hex(bytes))
        let env = result.environment
        r.host = env.hostname; r.kernel = env.kernel; r.cpuModel = env.cpuModel; r.cpus = env.cpus; r.architecture = env.architecture
        r.targetPath = result.target.path; r.targetKind = result.target.kind.rawValue; r.targetSizeBytes = result.target.sizeBytes
        r.deviceName = result.device?.name; r.deviceModel = result.device?.model; r.deviceSizeBytes = result.device?.sizeBytes
        r.filesystem = result.filesystemType
        r.interrupted = result.interrupted; r.failed = result.failed
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let nominal = result.settings.intervalNs
        for agg in result.aggregates {
            guard let first = result.jobs.first(where: { $0.jobIndex == agg.jobIndex }) else { continue }
            let parameters = (try? encoder.encode(first.parameters)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
            var job = JobRecord(name: agg.name, jobIndex: agg.jobIndex, rw: first.parameters.rw.rawValue, engine: first.engine.name, parameters: parameters)
            job.blockSizeBytes = first.parameters.blockSizeBytes; job.iodepth = first.parameters.iodepth; job.numjobs = first.parameters.numjobs
            job.interrupted = agg.interrupted; job.failed = agg.failed
            // A last interval shorter than half the nominal one is too short to be a sample of the rate.
            let intervals = agg.intervals.filter { $0.durationNs * 2 >= nominal }
            for (direction, summary, pick) in [(IODirection.read, agg.read, { (s: IntervalSample) in s.read }),
                                               (IODirection.write, agg.write, { (s: IntervalSample) in s.write })] {
                guard let summary, summary.ios > 0 else { continue }
                job.directions.append(directionRecord(direction, summary, runtimeNs: agg.runtimeNs, intervals: intervals.compactMap(pick)))
            }
            if let sync = agg.sync, sync.ios > 0 { job.directions.append(syncRecord(sync, runtimeNs: agg.runtimeNs)) }
            r.jobs.append(job)
        }
        r.apply(labels: labels)
        return r
    }

    static func directionRecord(_ direction: IODirection, _ s: DirectionSummary, runtimeNs: UInt64, intervals: [IntervalDirection]) -> DirectionRecord {
        var m: [String: Double] = [MetricNames.iops: s.iops, MetricNames.bandwidth: s.bandwidthBytesPerSecond, "short_ios": Double(s.shortIOs)]
        var histograms: [String: [(nanoseconds: UInt64, count: UInt64)]] = [:]
        for (measure, report) in [("lat", s.latNs), ("clat", s.clatNs), ("slat", s.slatNs)] where report.count > 0 {
            latency(measure, report, &m, &histograms)
        }
        for (prefix, spread) in [("iops", s.iopsOverIntervals), ("bw_bytes_per_second", s.bandwidthBytesPerSecondOverIntervals)] where spread.samples > 0 {
            m["\(prefix)_interval_min"] = spread.min; m["\(prefix)_interval_max"] = spread.max
            m["\(prefix)_interval_mean"] = spread.mean; m["\(prefix)_interval_stddev"] = spread.stddev
            m["\(prefix)_interval_samples"] = Double(spread.samples)
        }
        var samples: [String: [Double]] = [:]
        if !intervals.isEmpty {
            samples[MetricNames.iops] = intervals.map(\.iops)
            samples[MetricNames.bandwidth] = intervals.map(\.bandwidthBytesPerSecond)
            // Intervals without a completion have no latency to sample.
            let withIOs = intervals.filter { $0.ios > 0 }
            samples[MetricNames.latMean] = withIOs.map(\.latMeanNs)
            samples[MetricNames.latP99] = withIOs.map { Double($0.latP99Ns) }
        }
        return DirectionRecord(direction: direction, ios: s.ios, bytes: s.bytes, runtimeNanoseconds: runtimeNs, metrics: m, samples: samples, histograms: histograms)
    }

    /// A latency report as `MEASURE_mean_ns`, `_stddev_ns`, `_min_ns`, `_max_ns`, a metric per
    /// percentile, and its histogram.
    static func latency(_ measure: String, _ report: LatencyReport, _ m: inout [String: Double],
                        _ histograms: inout [String: [(nanoseconds: UInt64, count: UInt64)]]) {
        m["\(measure)_mean_ns"] = report.mean; m["\(measure)_stddev_ns"] = report.stddev
        m["\(measure)_min_ns"] = Double(report.min); m["\(measure)_max_ns"] = Double(report.max)
        for p in report.percentiles { m[MetricNames.percentile(measure, p.percentile)] = Double(p.nanoseconds) }
        if let bins = report.bins { histograms[measure] = bins.compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil } }
    }

    /// The job's syncs as the direction `sync`: syncs per second as `iops`, their latency as
    /// `lat_*` (series, as a direction's), and how many of each kind.
    static func syncRecord(_ s: SyncSummary, runtimeNs: UInt64) -> DirectionRecord {
        var m: [String: Double] = ["fsyncs": Double(s.fsyncs), "fdatasyncs": Double(s.fdatasyncs)]
        if runtimeNs > 0 { m[MetricNames.iops] = Double(s.ios) / (Double(runtimeNs) / 1e9) }
        var histograms: [String: [(nanoseconds: UInt64, count: UInt64)]] = [:]
        latency("lat", s.latNs, &m, &histograms)
        return DirectionRecord(direction: .sync, ios: s.ios, bytes: 0, runtimeNanoseconds: runtimeNs, metrics: m, histograms: histograms)
    }

    /// One of fio's latency measures as `MEASURE_*` metrics (mean, stddev, min, max, percentiles) and its json+ bins.
    static func latency(_ measure: String, _ lat: FioLatencyDetail, _ m: inout [String: Double],
                        _ histograms: inout [String: [(nanoseconds: UInt64, count: UInt64)]]) {
        m["\(measure)_mean_ns"] = lat.mean; m["\(measure)_stddev_ns"] = lat.stddev
        m["\(measure)_min_ns"] = lat.min; m["\(measure)_max_ns"] = lat.max
        for (p, v) in lat.percentiles { m[MetricNames.percentile(measure, p)] = v }
        if !lat.bins.isEmpty { histograms[measure] = lat.bins }
    }

    /// fio's `sync` section as the direction `sync`, as a tierbench run's: syncs per second over
    /// the job's runtime as `iops`, their latency as `lat_*` (fio does not tell fsyncs from fdatasyncs).
    static func syncRecord(_ sync: FioLatencyDetail, runtimeMilliseconds: Double) -> DirectionRecord {
        var m: [String: Double] = [:]
        if runtimeMilliseconds > 0 { m[MetricNames.iops] = Double(sync.count) / (runtimeMilliseconds / 1e3) }
        var histograms: [String: [(nanoseconds: UInt64, count: UInt64)]] = [:]
        latency("lat", sync, &m, &histograms)
        return DirectionRecord(direction: .sync, ios: sync.count, bytes: 0, runtimeNanoseconds: UInt64(max(0, runtimeMilliseconds) * 1e6),
                               metrics: m, histograms: histograms)
    }

    /// A fio JSON result (`--output-format=json` or `json+`): no host or kernel (fio does not say),
    /// the device from `disk_util`, the engine from the job options.
    public static func record(_ fio: FioResults, source: String, labels: [String: String] = [:], document: Data) -> RunRecord {
        let started = fio.timestampSeconds.map { Date(timeIntervalSince1970: $0) } ?? Date()
        var r = RunRecord(startedAt: started, source: source, format: "fio", tool: "fio", toolVersion: fio.version, digest: Digest.fnv1a64Hex(document))
        r.deviceName = fio.disks.first
        for (i, job) in fio.jobs.enumerated() {
            let parameters = canonicalJSON(job.options)
            var record = JobRecord(name: job.name, jobIndex: i, rw: job.rw.rawValue, engine: job.options["ioengine"] ?? "psync", parameters: parameters)
            record.blockSizeBytes = job.blockSizeBytes; record.iodepth = job.iodepth; record.numjobs = Int(job.options["numjobs"] ?? "1")
            record.failed = job.failed
            if r.targetPath == nil { r.targetPath = job.options["filename"] ?? job.options["directory"] }
            for (direction, measured) in [(IODirection.read, job.read), (IODirection.write, job.write)] {
                guard let measured, let detail = measured.fio else { continue }
                var m: [String: Double] = [MetricNames.iops: measured.iops, MetricNames.bandwidth: measured.bandwidthBytesPerSecond]
                var histograms: [String: [(nanoseconds: UInt64, count: UInt64)]] = [:]
                for (measure, lat) in detail.latency { latency(measure, lat, &m, &histograms) }
                for (key, v) in detail.iopsSpread { m["iops_interval_\(key)"] = v }
                for (key, v) in detail.bandwidthSpreadBytesPerSecond { m["bw_bytes_per_second_interval_\(key)"] = v }
                record.directions.append(DirectionRecord(direction: direction, ios: detail.ios, bytes: detail.bytes,
                                                         runtimeNanoseconds: UInt64(max(0, detail.runtimeMilliseconds) * 1e6), metrics: m,
                                                         histograms: histograms))
            }
            if let sync = job.fioSync { record.directions.append(syncRecord(sync, runtimeMilliseconds: job.fioRuntimeMilliseconds ?? 0)) }
            r.jobs.append(record)
        }
        r.failed = fio.jobs.contains { $0.failed }
        r.apply(labels: labels)
        return r
    }

    /// Reads a results file (tierbench or fio JSON, through `MeasuredResults.read`) as a record.
    public static func load(_ path: String, source: String = "import", labels: [String: String] = [:], option: String = "history import") throws(HistoryError) -> RunRecord {
        let file: ResultsFile
        do { file = try MeasuredResults.read(path, option: option) } catch { throw HistoryError(error.message) }
        let data = FileManager.default.contents(atPath: path) ?? Data()
        switch file {
        case .tierbench(let result): return record(result, source: source, labels: labels, document: data)
        case .fio(let fio): return record(fio, source: source, labels: labels, document: data)
        }
    }

    /// One measured volume of `zones run`: its suite's result, with the zone, node and instance
    /// type it ran in and the class and tier it was judged as (these win over the same keys in
    /// `labels`, which would name one zone for all), and its verdicts.
    public static func record(zoneVolume result: RunResult, zone: String, node: String?, instanceType: String?, storageClass: String, tier: String,
                              verdict: SubjectVerdict?, labels: [String: String] = [:]) -> RunRecord {
        var own = labels
        own["zone"] = zone; own["class"] = storageClass; own["tier"] = tier
        own["node"] = node; own["instance_type"] = instanceType  // nil: the key is left out
        var r = record(result, source: "zones", labels: own)
        if let verdict { appendVerdicts(verdict, to: &r) }
        return r
    }

    /// The verdicts of a `check` and the tier or class they judged.
    public static func apply(check doc: CheckDocument, to record: inout RunRecord) {
        for subject in doc.subjects { appendVerdicts(subject, to: &record) }
        if let subject = doc.subjects.first {
            if record.labels["tier"] == nil { record.tier = subject.profile }
            if record.labels["class"] == nil && subject.source != "command line" { record.storageClass = subject.storageClass }
        }
    }

    static func appendVerdicts(_ subject: SubjectVerdict, to record: inout RunRecord) {
        for m in subject.metrics {
            record.verdicts.append(VerdictRecord(subject: subject.storageClass, profile: subject.profile, job: m.job, metric: m.metric,
                                                 verdict: m.verdict.rawValue, expected: m.expected, measured: m.measured, unit: m.unit, reason: m.reason))
        }
    }

    static func canonicalJSON(_ dict: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(dict)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// "2026-11-03T02:00:00Z" (tierbench's startTimeUtc), also with fractional seconds.
    public static func parseUTC(_ text: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        if let d = f.date(from: text) { return d }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: text)
    }

    public static func formatUTC(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }
}
