import Foundation
import GRDB
import Report

/// The page section of a history database: per workload and target a chart per metric over the
/// runs, with the boundaries (tool version, kernel, engine, instance type) and acks drawn as
/// vertical lines, the change points E-divisive finds and the level between them, and a marker
/// on every run the gate failed (or found better); a table of what the gate says of each series
/// now, and per workload the events in words. The verdicts are the gate's (`SeriesTimeline`).
public enum HistoryView {
    public static func page(_ timelines: [SeriesTimeline], store: HistoryStore, thresholds: GateThresholds = GateThresholds(), version: String) throws(HistoryError) -> Page {
        Page(title: "tierbench history: \(regressed(timelines).isEmpty ? "no regression" : "REGRESSION")", subtitle: store.path,
             sections: [try section(timelines, store: store, id: "history", thresholds: thresholds)], generator: "tierbench \(version) report")
    }

    static func regressed(_ timelines: [SeriesTimeline]) -> [SeriesTimeline] {
        timelines.filter { $0.newest?.status == .regression }
    }

    public static func section(_ timelines: [SeriesTimeline], store: HistoryStore, id: String, thresholds: GateThresholds = GateThresholds()) throws(HistoryError) -> Section {
        var blocks: [Block] = []
        let epochs = timelines.flatMap { $0.points.map(\.epoch) }
        var facts = [["database", store.path], ["runs in it", "\(try store.runCount())"], ["series shown", "\(timelines.count)"]]
        if let first = epochs.min(), let last = epochs.max() { facts.append(["runs shown", "\(dateTime(first)) to \(dateTime(last))"]) }
        facts.append(["gate", thresholds.summary])
        blocks.append(.facts(title: "History", rows: facts))

        let order: [SeriesStatus: Int] = [.regression: 0, .improvement: 1, .tooLittleHistory: 2, .ok: 3]
        let judged = timelines.filter { $0.newest != nil }.sorted { (order[$0.newest!.status]!, $0.series.name) < (order[$1.newest!.status]!, $1.series.name) }
        blocks.append(.table(Table(
            title: "The gate on each series' newest run",
            header: ["series", "runs", "newest run", "newest", "against", "change", "verdict"],
            rows: judged.map { t in
                let v = t.newest!
                return [t.series.name, "\(t.points.count)", "\(v.newestRunID) (\(dateTime(v.newestEpoch)))", Format.value(v.newest, t.series.metric),
                        v.window.map { "\(Format.value($0.baseline, t.series.metric)) over \($0.runs) runs" } ?? "-",
                        v.window.map { Format.signedPercent($0.relativeChange) } ?? "-", word(v.status)]
            },
            tones: judged.map { tone($0.newest!.status) }, numeric: [1, 3, 5])))
        let reasons = judged.filter { $0.newest!.status == .regression || $0.newest!.status == .improvement }.map { "\($0.newest!.status.rawValue): \($0.series.name): \($0.newest!.reason)" }
        if !reasons.isEmpty { blocks.append(.notes(title: "Why", lines: reasons)) }

        // One group per workload on one target: its metrics side by side.
        var groups: [String] = []
        var members: [String: [SeriesTimeline]] = [:]
        for t in timelines {
            let s = t.series
            let key = [s.job, s.parametersHash, s.direction, s.identity, s.labels].joined(separator: "|")
            if members[key] == nil { groups.append(key) }
            members[key, default: []].append(t)
        }
        for (g, key) in groups.enumerated() {
            let s = members[key]![0].series
            blocks.append(group(members[key]!, id: "\(id)-w\(g)", parameters: try parameters(store, job: s.job, hash: s.parametersHash)))
        }
        let failing = regressed(timelines)
        return Section(kind: "history", id: id, title: "History: \(timelines.count) series",
                       subtitle: failing.isEmpty ? "no series regressed at its newest run" : "regressed at the newest run: \(failing.map(\.series.name).joined(separator: "; "))",
                       badge: failing.isEmpty ? Badge("NO REGRESSION", .pass) : Badge("REGRESSION", .fail), blocks: blocks)
    }

    /// The workload's parameters as a run recorded them: "rw randread, block_size_bytes 4096, iodepth 4, ...".
    static func parameters(_ store: HistoryStore, job: String, hash: String) throws(HistoryError) -> String {
        let text = try store.read { db in
            try String.fetchOne(db, sql: "SELECT parameters FROM jobs WHERE name = ? AND parameters_hash = ? LIMIT 1", arguments: [job, hash])
        }
        guard let text, let object = try? JSONDecoder().decode([String: Scalar].self, from: Data(text.utf8)) else { return hash }
        let shown = ["rw", "rwmixread", "block_size_bytes", "iodepth", "numjobs", "direct", "ioengine", "size_bytes", "runtime_ns", "time_based",
                     "ramp_time_ns", "rate_iops", "rate"]
        let mixed = ["randrw", "rw", "readwrite"].contains(object["rw"]?.text ?? "")
        let parts = shown.compactMap { key in object[key].flatMap { key == "rwmixread" && !mixed ? nil : "\(key) \($0.text)" } }
        return parts.joined(separator: ", ") + " (hash \(hash))"
    }

    /// A JSON value of a job's parameters, as text.
    enum Scalar: Decodable {
        case bool(Bool), number(Double), string(String), object([String: Scalar]), other

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let b = try? c.decode(Bool.self) { self = .bool(b) }
            else if let n = try? c.decode(Double.self) { self = .number(n) }
            else if let t = try? c.decode(String.self) { self = .string(t) }
            else if let o = try? c.decode([String: Scalar].self) { self = .object(o) }
            else { self = .other }
        }

        var text: String {
            switch self {
            case .bool(let b): b ? "yes" : "no"
            case .number(let n): Format.number(n, digits: 15)
            case .string(let t): t
            case .object(let o): o.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.text)" }.joined(separator: " ")
            case .other: "-"
            }
        }
    }

    static func group(_ members: [SeriesTimeline], id: String, parameters: String) -> Block {
        let s = members[0].series
        var blocks: [Block] = []
        let segments = members.flatMap { $0.points.map(\.segment) }
        func seen(_ values: [String]) -> String {
            var out: [String] = []
            for v in values where !out.contains(v) { out.append(v) }
            return out.joined(separator: ", ")
        }
        blocks.append(.facts(title: "Series", rows: [
            ["job", s.job], ["direction", s.direction], ["target", s.identity], ["labels", s.labels.isEmpty ? "-" : s.labels],
            ["parameters", parameters], ["tool", seen(segments.map(\.toolVersion))], ["kernel", seen(segments.map(\.kernel))],
            ["engine", seen(segments.map(\.engine))], ["instance type", seen(segments.map(\.instanceType))],
        ]))
        var events: [[String]] = []
        for t in members {
            blocks.append(.chart(chart(t, id: "\(id)-s\(t.series.id)")))
            for b in t.boundaries { events.append([String(b.runID), dateTime(b.epoch), t.series.metric, "boundary: \(b.change)"]) }
            for a in t.acks { events.append([String(a.sinceRunID), dateTime(a.sinceEpoch), t.series.metric, "ack: \(a.reason)"]) }
            for c in t.changePoints { events.append([String(c.runID), dateTime(c.epoch), t.series.metric, changeText(c, t.series.metric)]) }
            // Consecutive runs of one verdict are one row: a regression the gate fails night after night.
            var i = 0
            while i < t.points.count {
                let status = t.points[i].verdict.status
                var j = i
                while j + 1 < t.points.count && t.points[j + 1].verdict.status == status { j += 1 }
                if status == .regression || status == .improvement {
                    let first = t.points[i], last = t.points[j]
                    events.append(i == j ? [String(first.runID), dateTime(first.epoch), t.series.metric, "\(status.rawValue): \(first.verdict.reason)"]
                                         : ["\(first.runID)-\(last.runID)", "\(dateTime(first.epoch)) to \(dateTime(last.epoch))", t.series.metric,
                                            "\(status.rawValue) on \(j - i + 1) runs in a row; the last: \(last.verdict.reason)"])
                }
                i = j + 1
            }
        }
        if !events.isEmpty {
            func run(_ row: [String]) -> Int64 { Int64(row[0].split(separator: "-").first ?? "") ?? 0 }
            events.sort { (run($0), $0[2]) < (run($1), $1[2]) }
            blocks.append(.table(Table(title: "Events", header: ["run", "started (UTC)", "metric", "what"], rows: events, numeric: [0])))
        }
        return .group(id: id, title: "\(s.job) \(s.direction) @ \(s.identity)", subtitle: s.labels.isEmpty ? nil : "labels \(s.labels)", blocks: blocks)
    }

    static func chart(_ t: SeriesTimeline, id: String) -> Chart {
        let metric = t.series.metric
        var events: [ChartEvent] = []
        for b in t.boundaries { events.append(ChartEvent(x: b.epoch, kind: .boundary, label: "run \(b.runID): \(b.change)")) }
        for a in t.acks { events.append(ChartEvent(x: a.sinceEpoch, kind: .ack, label: "run \(a.sinceRunID): ack: \(a.reason)")) }
        for c in t.changePoints { events.append(ChartEvent(x: c.epoch, kind: .changePoint, label: "run \(c.runID): \(changeText(c, metric))")) }
        for p in t.points where p.verdict.status == .regression || p.verdict.status == .improvement {
            events.append(ChartEvent(x: p.epoch, y: p.value, kind: p.verdict.status == .regression ? .regression : .improvement,
                                     label: "run \(p.runID): \(p.verdict.status.rawValue): \(p.verdict.reason)"))
        }
        // The level: a step per segment between boundaries, acks and change points (a gap between steps).
        var levelX: [Double] = [], levelY: [Double?] = []
        for (k, l) in t.levels.enumerated() {
            if k > 0 { levelX.append(l.firstEpoch); levelY.append(nil) }
            levelX += [l.firstEpoch, l.lastEpoch]; levelY += [l.mean, l.mean]
        }
        let values = Series(name: "\(label(metric)) per run", color: .read, markers: t.points.count <= 120, xs: t.points.map(\.epoch), ys: t.points.map(\.value))
        let level = Series(name: "level between change points", color: .expected, dashed: true, xs: levelX, ys: levelY)
        let now = t.newest.map { "the gate on the newest run: \(word($0.status)): \($0.reason)" }
        return Chart(id: id, type: .line, title: "\(label(metric)) over runs", x: Axis("run start (UTC)", unit: .date, fromZero: false),
                     y: axis(metric), series: [values, level], events: events,
                     caption: "\(t.points.count) run\(t.points.count == 1 ? "" : "s")\(now.map { "; \($0)" } ?? "")")
    }

    static func changeText(_ c: SeriesTimeline.Shift, _ metric: String) -> String {
        let cp = c.changePoint
        return "change point: \(Format.signedPercent(cp.relativeChange)) (\(Format.value(cp.meanBefore, metric)) -> \(Format.value(cp.meanAfter, metric)), p \(Format.p(cp.pValue)))"
    }

    /// "IOPS", "bandwidth", "mean latency", "p99.9 completion latency".
    static func label(_ metric: String) -> String {
        if metric == MetricNames.iops { return "IOPS" }
        if metric == MetricNames.bandwidth { return "bandwidth" }
        let kind = metric.hasPrefix("clat") ? "completion latency" : "total latency"
        if let p = MetricNames.percentileOf(metric) { return "p\(MetricNames.format(p)) \(kind)" }
        return metric.contains("_mean_") ? "mean \(kind)" : metric
    }

    static func axis(_ metric: String) -> Axis {
        if metric == MetricNames.iops { return Axis("IOPS", unit: .iops) }
        if metric.hasPrefix("bw") { return Axis("bandwidth", unit: .bytesPerSecond) }
        if metric.hasSuffix("_ns") { return Axis(label(metric), unit: .nanoseconds, fromZero: false) }
        return Axis(metric, unit: .plain, fromZero: false)
    }

    static func word(_ s: SeriesStatus) -> String {
        switch s {
        case .regression: "REGRESSION"
        case .improvement: "IMPROVEMENT"
        case .ok: "OK"
        case .tooLittleHistory: "TOO LITTLE HISTORY"
        }
    }

    static func tone(_ s: SeriesStatus) -> Tone {
        switch s {
        case .regression: .fail
        case .improvement: .info
        case .ok: .pass
        case .tooLittleHistory: .neutral
        }
    }

    /// 2026-11-03 02:00 (UTC).
    static func dateTime(_ epoch: Double) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return f.string(from: Date(timeIntervalSince1970: epoch))
    }
}
