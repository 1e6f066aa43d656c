import Foundation
import Harness
import Profiles
import Report

/// The page section of a `tierbench-check/1` document: per class its promise, the metrics
/// table, expected against measured per metric (bars in the verdict's colour, the threshold the
/// promise sets drawn on each), and the share of intervals that reached the threshold against
/// the promised share of time.
public enum CheckView {
    public static func tone(_ v: Verdict) -> Tone {
        switch v {
        case .pass: .pass
        case .fail: .fail
        case .suspicious: .warn
        case .info: .info
        case .notJudged: .neutral
        }
    }

    public static func page(_ doc: CheckDocument, source: String, run: RunResult? = nil) -> Page {
        Page(title: "tierbench check: \(doc.verdict == .fail ? "FAIL" : "PASS")", subtitle: source,
             sections: [section(doc, id: "check", run: run)], generator: "tierbench \(doc.version) report")
    }

    /// Whether `run` holds the jobs the check judged (every metric's job by name): the result it
    /// judged, or the suite's run saved with --save-results.
    public static func judged(_ doc: CheckDocument, in run: RunResult) -> Bool {
        let jobs = Set(doc.subjects.flatMap(\.metrics).map(\.job))
        return !jobs.isEmpty && jobs.isSubset(of: Set(run.aggregates.map(\.name)))
    }

    /// - Parameter run: the judged jobs' run, when the report has it: each rate metric then also
    ///   gets its per-interval series against the threshold.
    public static func section(_ doc: CheckDocument, id: String, run: RunResult? = nil) -> Section {
        var blocks: [Block] = []
        var facts = [["measured", doc.target.map { "\($0) (the suite ran on it)" } ?? doc.results.map { "\($0) (a result judged without I/O)" } ?? "-"],
                     ["tierbench", doc.version]]
        if let t = doc.startTimeUtc { facts.append(["started", t]) }
        if doc.interrupted { facts.append(["interrupted", "yes: the verdicts cover what was measured until then"]) }
        blocks.append(.facts(title: "Check", rows: facts))
        if let e = doc.environment { blocks.append(.facts(title: "Environment", rows: RunView.environmentRows(e))) }
        if let d = doc.device {
            blocks.append(.facts(title: "Device", rows: [["name", "\(d.name) (\(d.number))"], ["model", d.model ?? "unknown"],
                                                         ["size", d.sizeBytes.map(RunView.bytes) ?? "unknown"],
                                                         ["rotational", d.rotational.map { $0 ? "yes" : "no" } ?? "unknown"]]))
        }
        if let command = doc.command, !command.isEmpty { blocks.append(.code(title: "Command", text: RunView.shellLine(command))) }
        for (i, s) in doc.subjects.enumerated() { blocks.append(subject(s, id: "\(id)-s\(i)", run: run)) }
        let failed = doc.subjects.flatMap(\.metrics).filter { $0.verdict == .fail }.count
        let title = doc.subjects.count == 1 ? "Check: \(name(doc.subjects[0]))" : "Check: \(doc.subjects.count) classes"
        return Section(kind: "check", id: id, title: title,
                       subtitle: failed == 0 ? "every judged metric reached what the tier promises" : "\(failed) metric\(failed == 1 ? "" : "s") below what the tier promises",
                       badge: Badge(doc.verdict == .fail ? "FAIL" : "PASS" + (doc.interrupted ? " so far" : ""), doc.verdict == .fail ? .fail : .pass), blocks: blocks)
    }

    static func subject(_ s: SubjectVerdict, id: String, run: RunResult?) -> Block {
        var blocks: [Block] = []
        var rows = [["StorageClass", s.source == "command line" ? "none (--tier)" : s.storageClass], ["source", s.source], ["provisioner", s.provisioner], ["tier", s.profile],
                    ["size", "\(s.size) (\(format(s.sizeGib)) GiB)"],
                    ["promise", "\(percent(s.promise.shareOfExpected)) of expected in \(percent(s.promise.shareOfTime)) of 1 s intervals (\(s.promise.source))"]]
        for (k, v) in s.values.sorted(by: { $0.key < $1.key }) { rows.append([k, format(v)]) }
        if let d = s.depthSearch {
            rows.append(["queue depth", "\(d.littleDepth) from Little's law; steps " + d.steps.map { "QD\($0.iodepth) \(format($0.iops)) IOPS" }.joined(separator: ", ") + "; used QD\(d.chosen)"])
        }
        blocks.append(.facts(title: "Class and promise", rows: rows))
        let lines = s.warnings.map { "warning: \($0)" } + s.lint.map { "lint: \($0.effect): \($0.message) [\($0.id)]" } + s.notes.map { "note: \($0)" }
        if !lines.isEmpty { blocks.append(.notes(title: "Notes", lines: lines)) }
        blocks.append(.table(Table(
            title: "Metrics",
            header: ["metric", "expected", "measured", "ratio", "threshold", "intervals at threshold", "reason", "verdict"],
            rows: s.metrics.map { m in
                [m.metric, m.expected.map { "\(format($0)) \(m.unit)" } ?? "-", m.measured.map { "\(format($0)) \(m.unit)" } ?? "-",
                 m.ratio.map { String(format: "%.2f", $0) } ?? "-", m.threshold.map { "\(format($0)) \(m.unit)" } ?? "-",
                 m.intervalsJudged > 0 ? "\(m.intervalsAtThreshold) of \(m.intervalsJudged)" : "-", m.reason,
                 m.verdict.rawValue.replacingOccurrences(of: "_", with: " ").uppercased()]
            },
            tones: s.metrics.map { tone($0.verdict) }, numeric: [1, 2, 3, 4, 5])))
        // One chart per unit: rates in theirs (IOPS, MiB/s), latency in ms.
        var units: [String] = []
        for m in s.metrics where m.expected != nil || m.measured != nil { if !units.contains(m.unit) { units.append(m.unit) } }
        for (u, unit) in units.enumerated() {
            let metrics = s.metrics.filter { $0.unit == unit && ($0.expected != nil || $0.measured != nil) }
            let isLatency = metrics.allSatisfy { [.latencyP50, .latencyP99, .latencyMean].contains($0.kind) }
            var marks: [Mark] = []
            for (i, m) in metrics.enumerated() {
                if let t = m.threshold {
                    marks.append(Mark(value: t, label: isLatency ? "bound \(format(t)) \(unit): at most this" : "threshold \(format(t)) \(unit): \(percent(s.promise.shareOfExpected)) of expected", category: i))
                }
            }
            let what = isLatency ? "latency" : metrics.contains { $0.kind == .iops } ? "IOPS" : "throughput"
            blocks.append(.chart(Chart(
                id: "\(id)-u\(u)", type: .bars, title: "Expected and measured \(what == unit ? what : "\(what) (\(unit))")",
                x: Axis("metric", unit: .plain), y: Axis(isLatency ? "latency (\(unit)), lower is better" : "\(what == unit ? what : "\(what) (\(unit))"), median of the judged intervals", unit: .plain),
                series: [Series(name: "expected", color: .expected, ys: metrics.map(\.expected), outline: true),
                         Series(name: "measured", color: .mixed, ys: metrics.map(\.measured), tones: metrics.map { tone($0.verdict) })],
                categories: metrics.map(\.metric), marks: marks,
                markLegend: isLatency ? "the published bound (at most)" : "threshold: \(percent(s.promise.shareOfExpected)) of expected",
                caption: isLatency ? "a latency passes when the measured value is at most the published bound (the mark)"
                    : "a rate passes when at least \(percent(s.promise.shareOfTime)) of its 1 s intervals reach the threshold (the mark)")))
        }
        let judged = s.metrics.filter { $0.intervalsJudged > 0 && $0.threshold != nil }
        if !judged.isEmpty {
            blocks.append(.chart(Chart(
                id: "\(id)-time", type: .bars, title: "Intervals at the threshold, against the promised share of time",
                x: Axis("metric", unit: .plain), y: Axis("share of judged 1 s intervals at the threshold", unit: .percent),
                series: [Series(name: "intervals at threshold", color: .mixed,
                                ys: judged.map { Double($0.intervalsAtThreshold) / Double($0.intervalsJudged) * 100 }, tones: judged.map { tone($0.verdict) })],
                categories: judged.map(\.metric),
                marks: judged.indices.map { Mark(value: s.promise.shareOfTime * 100, label: "promised: \(percent(s.promise.shareOfTime)) of the time", category: $0) },
                markLegend: "promised: \(percent(s.promise.shareOfTime)) of the intervals",
                caption: "each bar: the share of the metric's judged intervals whose rate reached the threshold")))
        }
        if let run {
            for (i, m) in s.metrics.enumerated() where m.threshold != nil && (m.kind == .iops || m.kind == .throughput) {
                if let chart = intervalChart(m, s, run: run, id: "\(id)-m\(i)") { blocks.append(.chart(chart)) }
            }
        }
        if let d = s.depthSearch, d.steps.count > 1 {
            blocks.append(.chart(Chart(
                id: "\(id)-depth", type: .line, title: "Queue-depth search (16 KiB random reads)",
                x: Axis("queue depth (log scale)", unit: .plain, scale: .log), y: Axis("IOPS", unit: .iops),
                series: [Series(name: "IOPS per step", color: .read, markers: true, xs: d.steps.map { Double($0.iodepth) }, ys: d.steps.map(\.iops))],
                caption: "depth \(d.littleDepth) from Little's law, doubled while IOPS grew by 10% or more; QD\(d.chosen) used")))
        }
        return .group(id: id, title: "\(name(s)): \(s.verdict == .fail ? "FAIL" : "PASS")",
                      subtitle: s.source == "command line" ? nil : "from \(s.source)", blocks: blocks)
    }

    /// A rate metric's job, interval by interval (read and write together, as judged), with the
    /// threshold and the expected rate drawn; intervals shorter than the judge's 95% are left out.
    static func intervalChart(_ m: MetricResult, _ s: SubjectVerdict, run: RunResult, id: String) -> Chart? {
        guard let agg = run.aggregates.first(where: { $0.name == m.job }), let threshold = m.threshold, !agg.intervals.isEmpty else { return nil }
        let scale: Double
        if m.kind == .iops { scale = 1 } else if let u = ThroughputUnit(rawValue: m.unit) { scale = u.bytesPerSecond } else { return nil }
        let intervalNs = run.settings.intervalNs
        let ys: [Double?] = agg.intervals.map { i in
            guard i.durationNs * 20 >= intervalNs * 19 else { return nil }
            let dirs = [i.read, i.write].compactMap { $0 }
            return dirs.map { m.kind == .iops ? $0.iops : $0.bandwidthBytesPerSecond }.reduce(0, +) / scale
        }
        var marks = [Mark(value: threshold, label: "threshold \(format(threshold)) \(m.unit)")]
        if let e = m.expected { marks.append(Mark(value: e, label: "expected \(format(e)) \(m.unit)")) }
        let (x0, dx, xs) = RunView.timeAxis(agg.intervals, intervalNs: intervalNs)
        return Chart(id: id, type: .line, title: "\(m.metric) per interval, against the threshold",
                     x: Axis("time since the measured start", unit: .seconds, fromZero: false),
                     y: Axis(m.unit, unit: m.kind == .iops ? .iops : .plain),
                     series: [Series(name: m.metric, color: m.kind == .iops ? .read : .mixed, x0: x0, dx: dx, xs: xs, ys: ys)], marks: marks,
                     caption: "\(m.verdict.rawValue.replacingOccurrences(of: "_", with: " ").uppercased()): \(m.intervalsAtThreshold) of \(m.intervalsJudged) judged intervals at or above the threshold; the tier promises \(percent(s.promise.shareOfTime))")
    }

    /// "tier gp3, 100Gi" for --tier, "StorageClass fast (tier gp3), 100Gi" for a class.
    static func name(_ s: SubjectVerdict) -> String {
        s.source == "command line" ? "tier \(s.profile), \(s.size)" : "StorageClass \(s.storageClass) (tier \(s.profile)), \(s.size)"
    }

    static func format(_ v: Double) -> String { num(v) }
    static func percent(_ v: Double) -> String { pct(v) }
}
