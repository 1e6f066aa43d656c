import Check
import Harness
import Report

/// `zones run --output-format prometheus` and `--push`: each measured volume's check as
/// Prometheus metrics (its verdicts, expected and measured values, the suite's IOPS, bandwidth
/// and latency), every sample labelled with where it was measured: storage_class and tier,
/// zone, node and instance_type, the volume's target and device. The volume's `host` is its
/// node (a pod's own hostname is its name, new every run, so it names no series).
public enum ZoneMetrics {
    /// One measured volume: its metrics, and the Pushgateway group that keeps it apart from
    /// every other volume (job `tierbench`, then its node, target, device, tier, class, zone ...).
    public struct Volume: Sendable {
        public var name: String
        public var exposition: Exposition
        public var grouping: Exposition.Labels
        /// A signal stopped the volume's suite before its end (not pushed: it would stand as a whole run).
        public var interrupted: Bool
    }

    /// The measured volumes (a volume that was not measured has nothing to say).
    /// `extra`: the user's `--metric-label`s, over tierbench's own.
    public static func volumes(_ outcomes: [VolumeOutcome], version: String, extra: Exposition.Labels = []) -> [Volume] {
        outcomes.compactMap { o -> Volume? in
            guard o.state == .measured, let verdict = o.verdict, var run = o.run else { return nil }
            if let node = o.node { run.environment.hostname = node }
            var doc = CheckDocument(version: version, target: run.target.path, results: nil, subjects: [verdict], interrupted: run.interrupted)
            doc.startTimeUtc = run.startTimeUTC
            doc.environment = run.environment
            doc.device = run.device
            let place: Exposition.Labels = [("zone", o.slot.zone), ("node", o.node), ("instance_type", o.instanceType)]
            let labels = place.with(extra)
            return Volume(name: o.slot.name, exposition: CheckMetrics.exposition(doc, run: run, extra: labels),
                          grouping: CheckMetrics.grouping(doc, run: run, extra: labels), interrupted: run.interrupted)
        }
    }

    /// Every measured volume's metrics in one exposition (for a textfile collector).
    public static func exposition(_ outcomes: [VolumeOutcome], version: String, extra: Exposition.Labels = []) -> Exposition {
        var e = Exposition()
        for v in volumes(outcomes, version: version, extra: extra) { e.append(contentsOf: v.exposition) }
        return e
    }
}
