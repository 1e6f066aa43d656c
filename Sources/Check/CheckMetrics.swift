import Harness
import Profiles
import Report

/// A `tierbench-check/1` document as Prometheus metrics: per judged metric its verdict
/// (`tierbench_sla_pass`), expected, measured and threshold values in base units, and the share
/// of intervals at the threshold; per class the overall verdict. With the suite's run, its
/// IOPS, bandwidth and latency too, labelled with the class and tier.
public enum CheckMetrics {
    /// The identity labels of a subject: the run's (host, target, device) plus tier and storage_class.
    /// `extra`: the user's `--metric-label`s (zone, node, ...), over the others.
    public static func identity(_ doc: CheckDocument, _ s: SubjectVerdict, run: RunResult?, extra: Exposition.Labels = []) -> Exposition.Labels {
        var id: Exposition.Labels = run.map(RunMetrics.identity) ?? [("host", doc.environment?.hostname), ("target", doc.target ?? doc.results), ("device", doc.device?.name)]
        id.set("tier", s.profile)
        id.set("storage_class", s.source == "command line" ? nil : s.storageClass)
        return id.with(extra)
    }

    /// The grouping key for `--push`: the labels shared by every subject (a check of several
    /// classes pushes one group per host and target).
    public static func grouping(_ doc: CheckDocument, run: RunResult?, extra: Exposition.Labels = []) -> Exposition.Labels {
        guard let first = doc.subjects.first else { return (run.map(RunMetrics.identity) ?? []).with(extra) }
        var id = identity(doc, first, run: run, extra: extra)
        if doc.subjects.count > 1 { id.set("tier", nil); id.set("storage_class", nil) }
        return id
    }

    public static func exposition(_ doc: CheckDocument, run: RunResult?, extra: Exposition.Labels = []) -> Exposition {
        var e = Exposition()
        for s in doc.subjects {
            let id = identity(doc, s, run: run, extra: extra)
            if let run { e.append(contentsOf: RunMetrics.exposition(run, identity: id)) }
            else if let t = doc.startTimeUtc.flatMap(RunMetrics.timestamp) {
                e.gauge("tierbench_run_timestamp_seconds", help: "When the run started, in seconds since 1970 (its labels name the tool version and kernel).",
                        id.with([("version", doc.version), ("kernel", doc.environment?.kernel)]), t)
            }
            e.gauge("tierbench_check_pass", help: "1 when every judged metric of the class reached the tier's promise, else 0.", id, s.verdict == .fail ? 0 : 1)
            for m in s.metrics {
                let labels = id.with([("metric", m.metric), ("job_name", m.job), ("kind", m.kind.rawValue)])
                if m.verdict == .pass || m.verdict == .fail || m.verdict == .suspicious {
                    e.gauge("tierbench_sla_pass", help: "1 when the metric reached the tier's promise (suspiciously high included), 0 when it did not; absent when not judged.",
                            labels, m.verdict == .fail ? 0 : 1)
                }
                e.gauge("tierbench_sla_suspicious", help: "1 when the metric is far above what the tier can deliver (a cache, or not the class assumed), else 0.",
                        labels, m.verdict == .suspicious ? 1 : 0)
                guard let (suffix, scale) = baseUnit(m) else { continue }
                let what = suffix == "iops" ? "I/Os per second" : suffix == "latency_seconds" ? "seconds" : "bytes per second"
                if let v = m.expected { e.gauge("tierbench_sla_expected_\(suffix)", help: "What the tier promises for the metric, in \(what).", labels, v * scale) }
                if let v = m.measured { e.gauge("tierbench_sla_measured_\(suffix)", help: "What was measured for the metric (rates: the median over the judged intervals), in \(what).", labels, v * scale) }
                if let v = m.threshold { e.gauge("tierbench_sla_threshold_\(suffix)", help: "The value an interval has to reach (rates: at least; latency: at most), in \(what).", labels, v * scale) }
                if m.intervalsJudged > 0 {
                    e.gauge("tierbench_sla_intervals_at_threshold_ratio", help: "The share (0-1) of the metric's judged intervals that reached the threshold.",
                            labels, Double(m.intervalsAtThreshold) / Double(m.intervalsJudged))
                    e.gauge("tierbench_sla_promised_time_ratio", help: "The share (0-1) of intervals the tier promises at the threshold.", labels, s.promise.shareOfTime)
                }
            }
        }
        return e
    }

    /// The metric name's unit part and the factor from the metric's unit to the base unit.
    static func baseUnit(_ m: MetricResult) -> (String, Double)? {
        switch m.kind {
        case .latencyP50, .latencyP99, .latencyMean: return ("latency_seconds", 1e-3)
        case .iops: return ("iops", 1)
        case .throughput, .burst:
            if m.unit == "IOPS" { return ("iops", 1) }
            guard let u = ThroughputUnit(rawValue: m.unit) else { return nil }
            return ("bandwidth_bytes_per_second", u.bytesPerSecond)
        }
    }
}
