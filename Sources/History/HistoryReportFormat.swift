import Foundation

/// `history list|show|series|export` output: human tables, JSON, CSV.
public enum HistoryReportFormat {
    static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return e
    }

    public static func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder().encode(value), as: UTF8.self) + "\n"
    }

    public static func runs(_ runs: [RunSummary]) -> String {
        var rows: [[String]] = [["RUN", "STARTED (UTC)", "SOURCE", "TOOL", "TARGET", "JOBS", "LABELS"]]
        for r in runs {
            let state = r.failed ? " (failed)" : (r.interrupted ? " (interrupted)" : "")
            rows.append([String(r.id), r.startedAt, r.source + state, "\(r.tool) \(r.toolVersion)", r.identity, String(r.jobs),
                         r.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")])
        }
        return runs.isEmpty ? "no runs\n" : table(rows) + "\(runs.count) run\(runs.count == 1 ? "" : "s")\n"
    }

    public static func series(_ series: [SeriesInfo]) -> String {
        var rows: [[String]] = [["SERIES", "RUNS", "LAST (UTC)", "NAME"]]
        for s in series { rows.append([String(s.id), String(s.points), Format.date(s.lastEpoch), s.name]) }
        return series.isEmpty ? "no series\n" : table(rows) + "\(series.count) series\n"
    }

    public static func run(_ d: RunDetail) -> String {
        let r = d.run
        var out = "run \(r.id): \(r.startedAt) (\(r.source), \(d.format), \(r.tool) \(r.toolVersion))\n"
        out += "  host \(r.host ?? "-"), kernel \(r.kernel ?? "-"), cpu \(d.cpuModel ?? "-")\n"
        out += "  target \(r.target ?? "-") on \(r.device ?? "-")\(d.filesystem.map { " (\($0))" } ?? "")\n"
        out += "  identity \(r.identity)\(r.node.map { ", node \($0)" } ?? "")\(r.instanceType.map { ", instance type \($0)" } ?? "")\n"
        if !r.labels.isEmpty { out += "  labels \(r.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))\n" }
        if r.failed || r.interrupted { out += "  \(r.failed ? "failed" : "interrupted")\n" }
        for j in d.jobs {
            out += "\njob \(j.name): \(j.rw), engine \(j.engine), parameters \(j.parametersHash)\n"
            for dir in j.directions {
                let m = dir.metrics
                func v(_ k: String) -> String { m[k].map { Format.value($0, k) } ?? "-" }
                out += "  \(dir.direction): \(v(MetricNames.iops)) IOPS, \(v(MetricNames.bandwidth)), lat mean \(v("lat_mean_ns")) p50 \(v("lat_p50_ns")) p99 \(v("lat_p99_ns")) p99.9 \(v("lat_p99.9_ns"))"
                out += " (\(m.count) metrics; histograms: \(dir.histogramBuckets.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value) buckets" }.joined(separator: ", ")))\n"
            }
        }
        if !d.verdicts.isEmpty {
            out += "\nverdicts:\n"
            for v in d.verdicts { out += "  \(v.verdict.uppercased())  \(v.subject) \(v.metric): \(v.reason)\n" }
        }
        return out
    }

    /// The points of series, with their boundaries and acks marked.
    public static func seriesPoints(_ s: SeriesInfo, points: [StoredPoint], segments: [Int64: SegmentKey], acks: [AckRecord]) -> String {
        var out = "series \(s.id): \(s.name) (\(MetricNames.higherIsBetter(s.metric) ? "higher" : "lower") is better)\n"
        var previous: SegmentKey?
        for p in points {
            let seg = segments[p.segmentID]
            if let previous, let seg, previous != seg { out += "  --- boundary: \(seg.change(from: previous))\n" }
            for a in acks where a.sinceRunID == p.runID { out += "  --- ack: \(a.reason)\n" }
            previous = seg
            out += "  run \(p.runID)  \(Format.date(p.epoch))  \(Format.value(p.value, s.metric))\(p.samples.isEmpty ? "" : "  (\(p.samples.count) interval samples)")\n"
        }
        return out
    }

    static let csvColumns = ["run_id", "started_at", "series_id", "series", "job", "direction", "metric", "value", "host", "tier", "storage_class",
                             "zone", "node", "instance_type", "tool_version", "kernel", "engine", "labels"]

    public static func csv(_ rows: [ExportRow]) -> String {
        func field(_ s: String?) -> String {
            guard let s else { return "" }
            return s.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        var out = csvColumns.joined(separator: ",") + "\n"
        for r in rows {
            out += [String(r.runId), r.startedAt, String(r.seriesId), field(r.series), field(r.job), r.direction, r.metric, String(r.value),
                    field(r.host), field(r.tier), field(r.storageClass), field(r.zone), field(r.node), field(r.instanceType),
                    field(r.toolVersion), field(r.kernel), field(r.engine), field(r.labels)].joined(separator: ",") + "\n"
        }
        return out
    }
}

/// `--since 30d`, `12h`, `2w`, `90m` (before now), or a date `2026-11-01` / a UTC time.
public enum SinceParser {
    public static func parse(_ text: String, option: String = "--since", now: Date = Date()) throws(HistoryError) -> Date {
        let units: [Character: Double] = ["m": 60, "h": 3600, "d": 86400, "w": 604_800]
        if let unit = text.last, let seconds = units[unit], let n = Double(text.dropLast()), n >= 0, n.isFinite {
            return now.addingTimeInterval(-n * seconds)
        }
        if let d = RunImport.parseUTC(text) { return d }
        if let d = RunImport.parseUTC(text + "T00:00:00Z") { return d }
        throw HistoryError("\(option) \(text): give an age such as 30d, 12h, 2w, 90m, or a date such as 2026-11-01")
    }
}
