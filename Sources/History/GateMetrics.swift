import Foundation
import Report

extension GateReport {
    /// The gate's verdicts as Prometheus metrics (`gate --output-format prometheus`):
    /// `tierbench_regression` per judged series (1 when the newest run of the series is a
    /// regression, else 0, also without a verdict), labelled with what the series is, and
    /// `tierbench_gate_newest_run_timestamp_seconds` per target: when its newest judged run started.
    public func exposition() -> Exposition {
        var e = Exposition()
        var newest: [(labels: Exposition.Labels, epoch: Double)] = []
        for v in series {
            let target = v.key.map(Self.targetLabels) ?? Exposition.Labels()
            var labels: Exposition.Labels = [("job_name", v.key?.job), ("parameters_hash", v.key?.parametersHash),
                                             ("direction", v.key?.direction), ("metric", v.metric)]
            if v.key == nil { labels.set("series", v.series) }
            labels = labels.with(target)
            e.gauge("tierbench_regression", help: "1 when tierbench gate found a regression of this series at its newest run, else 0 (no verdict: 0).",
                    labels, v.status == .regression ? 1 : 0)
            if let i = newest.firstIndex(where: { Self.same($0.labels, target) }) {
                newest[i].epoch = max(newest[i].epoch, v.newestEpoch)
            } else {
                newest.append((target, v.newestEpoch))
            }
        }
        for n in newest {
            e.gauge("tierbench_gate_newest_run_timestamp_seconds", help: "When the newest run the gate judged for this target started, in seconds since 1970.",
                    n.labels, n.epoch)
        }
        return e
    }

    static func same(_ a: Exposition.Labels, _ b: Exposition.Labels) -> Bool {
        a.pairs.map { "\($0.name)=\($0.value)" } == b.pairs.map { "\($0.name)=\($0.value)" }
    }

    /// Labels set on every gate sample by tierbench itself; a run label of the same name is
    /// given as `label_NAME`.
    static let ownLabels: Set<String> = ["job_name", "parameters_hash", "direction", "metric", "series", "storage_class", "tier", "zone", "host", "device"]

    /// The target identity (`class=fast tier=gold zone=a` or `host=h device=nvme0n1 MODEL 1TiB`)
    /// and the run's labels (`team=storage,pipeline=nightly`) as Prometheus labels.
    static func targetLabels(_ key: SeriesKey) -> Exposition.Labels {
        var out = Exposition.Labels()
        let names = ["class": "storage_class", "tier": "tier", "zone": "zone", "host": "host", "device": "device"]
        var current: (name: String, value: String)?
        func flush() {
            if let c = current, c.value != "-" { out.set(c.name, c.value) }
        }
        for word in key.identity.split(separator: " ", omittingEmptySubsequences: false) {
            if let eq = word.firstIndex(of: "="), let name = names[String(word[..<eq])] {
                flush()
                current = (name, String(word[word.index(after: eq)...]))
            } else if current != nil {
                current!.value += " " + word
            }
        }
        flush()
        for pair in key.labels.split(separator: ",") {
            guard let eq = pair.firstIndex(of: "=") else { continue }
            var name = String(pair[..<eq].map { $0.isLetter || $0.isNumber ? $0 : "_" })
            if ownLabels.contains(name) || Exposition.Labels.reserved.contains(name) || name.hasPrefix("__") || !Exposition.isValidName(name) {
                name = "label_" + name
            }
            guard Exposition.isValidName(name), out[name] == nil else { continue }
            out.set(name, String(pair[pair.index(after: eq)...]))
        }
        return out
    }
}
