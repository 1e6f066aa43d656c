import Check
import Foundation
import Report

/// The page section of a `tierbench-zones/1` document: the run, the zones and their status,
/// per metric a bar per measured zone (the median of its volumes) against the tier's expected
/// value (a line), failing and outlier zones in their colour and word, the across-zone min,
/// median and max, and the latency merged over every volume as a percentile ladder.
public enum ZonesView {
    public static func decode(_ data: Data) throws -> ZonesDocument {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(ZonesDocument.self, from: data)
    }

    public static func page(_ doc: ZonesDocument, source: String) -> Page {
        Page(title: "tierbench zones: \(doc.verdict == .fail ? "FAIL" : "PASS")", subtitle: source,
             sections: [section(doc, id: "zones")], generator: "tierbench \(doc.version) report")
    }

    public static func section(_ doc: ZonesDocument, id: String) -> Section {
        var blocks: [Block] = []
        var facts = [["run", doc.runId], ["StorageClass", doc.storageClass], ["tier", doc.profile], ["size", "\(doc.size) \(doc.volumeMode) volumes"],
                     ["suite", doc.suite], ["namespace", doc.namespace], ["tierbench", doc.version],
                     ["outlier margin", "\(pct(doc.outlierMargin)) from the median of zones"]]
        if doc.interrupted { facts.append(["interrupted", "yes: the report covers what was measured until then"]) }
        blocks.append(.facts(title: "Run", rows: facts))

        blocks.append(.table(Table(
            title: "Zones",
            header: ["zone", "volumes", "nodes", "instance types", "status"],
            rows: doc.zones.map { z in
                [z.zone, "\(z.volumes.filter { $0.state == .measured }.count) of \(z.volumes.count) measured",
                 list(z.volumes.compactMap(\.node)), list(z.volumes.compactMap(\.instanceType)), z.status.uppercased()]
            },
            tones: doc.zones.map { tone($0.status) }, numeric: [])))

        var notes = doc.outliers.map { "outlier: \($0.zone): \($0.why)" }
        for z in doc.zones {
            for v in z.volumes where v.state != .measured {
                notes.append("\(z.zone) volume \(v.index): \(v.state.rawValue.replacingOccurrences(of: "_", with: " ")): \(v.reason ?? "")")
            }
        }
        if !doc.leftBehind.isEmpty { notes.append("left behind: \(doc.leftBehind.joined(separator: ", "))") }
        if !notes.isEmpty { blocks.append(.notes(title: "Outliers and zones not measured", lines: notes)) }

        // Per metric: a bar per measured zone, the expected value drawn across them.
        let measured = doc.zones.filter { $0.status == "pass" || $0.status == "fail" }
        for (i, a) in doc.acrossZones.enumerated() {
            let bars = measured.map { z in (z.zone, zoneValue(z, a.metric), zoneTone(z, a.metric, doc.outliers)) }.filter { $0.1 != nil }
            guard !bars.isEmpty else { continue }
            let marks = a.expected.map { [Mark(value: $0, label: "expected \(num($0)) \(a.unit) (tier \(doc.profile))")] } ?? []
            blocks.append(.chart(Chart(
                id: "\(id)-m\(i)", type: .bars, title: "\(a.metric) per zone",
                x: Axis("zone", unit: .plain),
                y: Axis("\(a.unit), median of the zone's volumes\(a.higherIsBetter ? "" : ", lower is better")", unit: .plain),
                series: [Series(name: "zone", color: .mixed, ys: bars.map(\.1), tones: bars.map(\.2))],
                categories: bars.map(\.0), marks: marks, markLegend: "expected (tier \(doc.profile))",
                caption: "colour and word: the zone's verdict on this metric; OUTLIER: \(pct(doc.outlierMargin)) or more \(a.higherIsBetter ? "below" : "above") the median of zones (\(num(a.median)) \(a.unit))")))
        }

        if !doc.acrossZones.isEmpty {
            blocks.append(.table(Table(
                title: "Across zones",
                header: ["metric", "expected", "zones", "min", "median", "max", "max/min"],
                rows: doc.acrossZones.map { a in
                    [a.metric, a.expected.map { "\(num($0)) \(a.unit)" } ?? "-", String(a.zones), "\(num(a.min)) \(a.unit)", "\(num(a.median)) \(a.unit)",
                     "\(num(a.max)) \(a.unit)", a.maxOverMin.map { String(format: "%.2f", $0) } ?? "-"]
                },
                numeric: [1, 2, 3, 4, 5, 6])))
        }

        if !doc.merged.isEmpty {
            let ladder = LatencyLadder.percentiles
            blocks.append(.table(Table(
                title: "Merged over every measured volume (histograms added; rates over the shared window)",
                header: ["job", "dir", "volumes", "I/Os", "IOPS", "bandwidth"] + ladder.map { "lat p" + String(format: "%g", $0) },
                rows: doc.merged.map { m in
                    let v = Dictionary(LatencyLadder.values(m.latNs).map { ($0.percentile, $0.nanoseconds) }, uniquingKeysWith: { a, _ in a })
                    return [m.job, m.direction, String(m.volumes), String(m.ios), HumanReport.fixed(m.iops, 0), RunView.rate(m.bandwidthBytesPerSecond)]
                        + ladder.map { RunView.latency(v[$0]) }
                },
                numeric: Array(2..<(6 + ladder.count)))))
            let colours: [SeriesColor] = [.read, .write, .mixed, .third, .fourth, .expected]
            let series = doc.merged.enumerated().compactMap { (k, m) -> Series? in
                let v = LatencyLadder.values(m.latNs)
                guard !v.isEmpty else { return nil }
                return Series(name: "\(m.job) \(m.direction)", color: colours[k % colours.count], dashed: k >= colours.count, markers: true,
                              xs: v.map { RunView.nines($0.percentile) }, ys: v.map { Double($0.nanoseconds) })
            }
            if !series.isEmpty {
                blocks.append(.chart(Chart(
                    id: "\(id)-merged", type: .line, title: "Merged latency percentiles over every volume (p50 to p99.99)",
                    x: Axis("percentile", unit: .nines, fromZero: false), y: Axis("total latency (log scale)", unit: .nanoseconds, scale: .log, fromZero: false),
                    series: series, caption: "per job and direction, from the volumes' latency histograms added together (never percentiles averaged)")))
            }
        }

        let failing = doc.zones.filter { $0.status != "pass" }.map(\.zone)
        return Section(kind: "zones", id: id, title: "Zones: StorageClass \(doc.storageClass) (tier \(doc.profile)), \(doc.zones.count) zone\(doc.zones.count == 1 ? "" : "s")",
                       subtitle: failing.isEmpty ? "every zone measured and passed" : "not passing: \(failing.joined(separator: ", "))",
                       badge: Badge(doc.verdict == .fail ? "FAIL" : "PASS" + (doc.interrupted ? " so far" : ""), doc.verdict == .fail ? .fail : .pass),
                       blocks: blocks)
    }

    /// The zone's value of a metric: the median over its measured volumes (as the comparison).
    static func zoneValue(_ z: ZonesDocument.Zone, _ metric: String) -> Double? {
        let values = z.volumes.filter { $0.state == .measured }.flatMap(\.metrics).filter { $0.metric == metric }.compactMap(\.measured)
        return values.isEmpty ? nil : ZonesDocument.median(values)
    }

    /// fail when a volume of the zone failed the metric, outlier when the zone is one for it,
    /// suspicious when a volume was, else pass.
    static func zoneTone(_ z: ZonesDocument.Zone, _ metric: String, _ outliers: [ZonesDocument.Outlier]) -> Tone {
        let verdicts = z.volumes.flatMap(\.metrics).filter { $0.metric == metric }.map(\.verdict)
        if verdicts.contains(.fail) { return .fail }
        if outliers.contains(where: { $0.zone == z.zone && $0.metric == metric }) { return .outlier }
        if verdicts.contains(.suspicious) { return .warn }
        return .pass
    }

    static func tone(_ status: String) -> Tone {
        switch status {
        case "pass": .pass
        case "fail": .fail
        case "misplaced": .warn
        default: .fail  // error: not measured, which fails the run
        }
    }

    static func list(_ values: [String]) -> String {
        var seen: [String] = []
        for v in values where !seen.contains(v) { seen.append(v) }
        return seen.isEmpty ? "-" : seen.joined(separator: ", ")
    }
}
