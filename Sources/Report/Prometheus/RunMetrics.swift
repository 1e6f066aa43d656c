import Engine
import Foundation
import Harness
import Stats

/// A `tierbench/1` result as Prometheus metrics (`--output-format prometheus`): per job and
/// direction its IOPS, bandwidth and latency summary, in base units, with labels that say what
/// was measured where. Names follow Prometheus' conventions (`_seconds`, `_bytes_per_second`).
///
/// The job's name is the label `job_name`: Prometheus owns `job` (the scrape job, or the
/// Pushgateway's grouping key), and a pushed or scraped `job` label would be overwritten or
/// renamed to `exported_job`.
public enum RunMetrics {
    /// The labels that name the run's subject: host, target, device; a caller (check, a zone run)
    /// adds tier, storage_class, zone, node. The Pushgateway's grouping key is these labels.
    public static func identity(_ result: RunResult) -> Exposition.Labels {
        [("host", result.environment.hostname), ("target", targetLabel(result.target)), ("device", result.device?.name)]
    }

    /// A scratch file's name changes every run (it holds the PID); its directory does not.
    static func targetLabel(_ t: TargetInfo) -> String {
        guard t.scratch, let slash = t.path.lastIndex(of: "/") else { return t.path }
        return String(t.path[...slash])
    }

    /// Seconds since 1970 of a `start_time_utc` ("2026-11-21T10:00:00Z"), nil when it is not one.
    public static func timestamp(_ text: String) -> Double? {
        let f = ISO8601DateFormatter()
        if let d = f.date(from: text) { return d.timeIntervalSince1970 }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: text)?.timeIntervalSince1970
    }

    /// The metrics of a run, each sample labelled with `identity` plus its job's labels.
    public static func exposition(_ result: RunResult, identity: Exposition.Labels? = nil) -> Exposition {
        let id = identity ?? Self.identity(result)
        var e = Exposition()
        e.gauge("tierbench_run_timestamp_seconds", help: "When the run started, in seconds since 1970 (its labels name the tool version and kernel).",
                id.with([("version", result.version), ("kernel", result.environment.kernel)]),
                timestamp(result.startTimeUTC) ?? 0)
        e.gauge("tierbench_run_failed", help: "1 when an I/O error failed a job of the run, else 0.", id, result.failed ? 1 : 0)
        e.gauge("tierbench_run_interrupted", help: "1 when a signal stopped the run before its end, else 0.", id, result.interrupted ? 1 : 0)
        let names = result.aggregates.map(\.name)
        for agg in result.aggregates {
            let spec = result.jobs.first { $0.jobIndex == agg.jobIndex }?.parameters
            // Two jobs of one name would give one series twice (an invalid exposition).
            let name = names.filter { $0 == agg.name }.count > 1 ? "\(agg.name)#\(agg.jobIndex)" : agg.name
            let job = id.with([("job_name", name), ("rw", spec?.rw.rawValue), ("block_size_bytes", spec.map { "\($0.blockSizeBytes)" }),
                               ("iodepth", spec.map { "\($0.iodepth)" })])
            e.gauge("tierbench_runtime_seconds", help: "The job's measured span (after its ramp), in seconds.", job, Double(agg.runtimeNs) / 1e9)
            e.gauge("tierbench_io_errors", help: "I/Os of the job that failed.", job, Double(agg.errors.values.reduce(0, +)))
            for (direction, d) in [("read", agg.read), ("write", agg.write)] {
                guard let d else { continue }
                let labels = job.with([("direction", direction)])
                e.gauge("tierbench_iops", help: "I/Os completed per second over the job's measured span.", labels, d.iops)
                e.gauge("tierbench_bandwidth_bytes_per_second", help: "Bytes moved per second over the job's measured span.", labels, d.bandwidthBytesPerSecond)
                latency(&e, d.latNs, labels)
                if d.iopsOverIntervals.samples > 0 {
                    e.gauge("tierbench_interval_iops_min", help: "The lowest IOPS of one interval (see tierbench's --interval) in the measured span.", labels, d.iopsOverIntervals.min)
                }
            }
            if let sync = agg.sync { syncs(&e, sync, job) }
            steadyStates(&e, result.jobs.filter { $0.jobIndex == agg.jobIndex }, job)
        }
        return e
    }

    /// fio's steadystate per clone: whether the criterion was met (the job then stopped early)
    /// and after how long.
    static func steadyStates(_ e: inout Exposition, _ clones: [JobResult], _ job: Exposition.Labels) {
        for clone in clones {
            guard let r = clone.steadyState else { continue }
            let labels = job.with([("clone", "\(clone.clone)"), ("criterion", r.ss)])
            e.gauge("tierbench_steady_state_attained", help: "1 when the job's steadystate criterion (fio's ss) was met and the job stopped early, else 0.",
                    labels, r.attained ? 1 : 0)
            if let ns = r.attainedAfterNs {
                e.gauge("tierbench_steady_state_attained_seconds", help: "Seconds into the job when its steadystate criterion was met.", labels, Double(ns) / 1e9)
            }
        }
    }

    /// A latency report as the summary `tierbench_latency_seconds` and `tierbench_latency_max_seconds`.
    static func latency(_ e: inout Exposition, _ lat: LatencyReport, _ labels: Exposition.Labels) {
        let quantiles = LatencyLadder.values(lat).map { (($0.percentile * 10_000).rounded() / 1_000_000, Double($0.nanoseconds) / 1e9) }
        e.summary("tierbench_latency_seconds", help: "Total I/O latency (submission to completion) in seconds: quantiles over the measured span, sum and count.",
                  labels, quantiles: quantiles, sum: lat.mean * Double(lat.count) / 1e9, count: lat.count)
        e.gauge("tierbench_latency_max_seconds", help: "The longest total I/O latency of the measured span, in seconds.", labels, Double(lat.max) / 1e9)
    }

    /// fio's fsync=N / fdatasync=N: the syncs' durations as the latency of `direction="sync"`
    /// (fio's `sync` section), and how many of each kind.
    static func syncs(_ e: inout Exposition, _ sync: SyncSummary, _ job: Exposition.Labels) {
        latency(&e, sync.latNs, job.with([("direction", "sync")]))
        for (kind, n) in [("fsync", sync.fsyncs), ("fdatasync", sync.fdatasyncs)] where n > 0 {
            e.gauge("tierbench_sync_operations", help: "Sync operations (fio's fsync=N, fdatasync=N) the job completed in its measured span, by kind.",
                    job.with([("kind", kind)]), Double(n))
        }
    }
}
