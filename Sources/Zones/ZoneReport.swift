import Check
import Foundation
import Harness

/// The `tierbench-zones/1` document: per zone and volume what was measured and expected and the
/// verdict; across zones min, median, max and max/min per metric, the outlier zones, and the
/// merged results over every volume.
public struct ZonesDocument: Codable, Sendable {
    public var schema = "tierbench-zones/1"
    public var tool = "tierbench"
    public var version: String
    public var runId: String
    public var namespace: String
    public var storageClass: String
    public var profile: String
    public var size: String
    public var suite: String
    public var volumeMode: String
    public var zones: [Zone]
    public var acrossZones: [Across]
    public var outliers: [Outlier]
    /// The relative margin below (rates) or above (latency) the median of zones that makes an outlier.
    public var outlierMargin: Double
    public var merged: [ZoneResults.Merged]
    public var deleted: [String]
    public var leftBehind: [String]
    public var interrupted: Bool
    /// pass: every zone measured and passed; fail: a zone failed the tier, could not be measured or was misplaced.
    public var verdict: Verdict

    public struct Zone: Codable, Sendable {
        public var zone: String
        /// pass, fail (the tier), error (not measured), misplaced.
        public var status: String
        public var volumes: [Volume]
    }

    public struct Volume: Codable, Sendable {
        public var name: String
        public var index: Int
        public var state: VolumeOutcome.State
        public var reason: String?
        public var node: String?
        public var instanceType: String?
        public var persistentVolume: String?
        public var volumeZones: [String]?
        public var metrics: [MetricResult]
        public var verdict: Verdict?
        /// What the volume's suite moved, per job and direction (the merged rows add these up).
        public var ios: [IOCount]
    }

    public struct IOCount: Codable, Sendable {
        public var job: String
        public var direction: String
        public var ios: UInt64
        public var bytes: UInt64
    }

    public struct Across: Codable, Sendable {
        public var metric: String
        public var unit: String
        public var expected: Double?
        public var higherIsBetter: Bool
        public var zones: Int
        public var min: Double
        public var median: Double
        public var max: Double
        public var maxOverMin: Double?
    }

    public struct Outlier: Codable, Sendable {
        public var zone: String
        public var metric: String?
        public var why: String
    }

    public init(plan: ZonePlan, runner: ZoneRunner, subject: CheckSubject, version: String, outlierMargin: Double = 0.2) {
        self.version = version
        runId = plan.runID
        namespace = plan.namespace
        storageClass = plan.storageClass.name
        profile = subject.profile.name
        size = plan.size.text
        suite = switch plan.suite {
        case .check: "check"
        case .defaultSuite: "default"
        case .jobFile(let name, _): name
        }
        volumeMode = plan.volumeMode
        self.outlierMargin = outlierMargin
        var zones: [Zone] = []
        for zone in plan.zones {
            let vols = runner.outcomes.filter { $0.slot.zone == zone }.map { o in
                Volume(name: o.slot.name, index: o.slot.index, state: o.state, reason: o.reason, node: o.node, instanceType: o.instanceType,
                       persistentVolume: o.persistentVolume, volumeZones: o.volumeZones, metrics: o.verdict?.metrics ?? [], verdict: o.verdict?.verdict,
                       ios: (o.run?.aggregates ?? []).flatMap { a in
                           [("read", a.read), ("write", a.write)].compactMap { d, s in s.map { IOCount(job: a.name, direction: d, ios: $0.ios, bytes: $0.bytes) } }
                       })
            }
            let status: String
            if vols.contains(where: { $0.state == .misplaced }) { status = "misplaced" }
            else if vols.contains(where: { $0.state != .measured }) { status = "error" }
            else { status = vols.contains { $0.verdict == .fail } ? "fail" : "pass" }
            zones.append(Zone(zone: zone, status: status, volumes: vols))
        }
        self.zones = zones
        (acrossZones, outliers) = Self.compare(zones, margin: outlierMargin)
        merged = ZoneResults.merge(runner.outcomes.compactMap(\.run))
        deleted = runner.deleted
        leftBehind = runner.leftBehind
        interrupted = runner.interrupted
        verdict = zones.allSatisfy { $0.status == "pass" } ? .pass : .fail
    }

    /// Per metric, each zone's value (the median of its volumes) compared across zones.
    static func compare(_ zones: [Zone], margin: Double) -> ([Across], [Outlier]) {
        var metricOrder: [String] = []
        var values: [String: [(zone: String, value: Double)]] = [:]
        var info: [String: (unit: String, expected: Double?, higher: Bool)] = [:]
        for z in zones where z.status == "pass" || z.status == "fail" {
            var perMetric: [String: [Double]] = [:]
            for v in z.volumes {
                for m in v.metrics where m.verdict != .notJudged && m.verdict != .info {
                    guard let measured = m.measured else { continue }
                    if info[m.metric] == nil {
                        metricOrder.append(m.metric)
                        info[m.metric] = (m.unit, m.expected, !(m.kind == .latencyP50 || m.kind == .latencyP99 || m.kind == .latencyMean))
                    }
                    perMetric[m.metric, default: []].append(measured)
                }
            }
            for (metric, list) in perMetric { values[metric, default: []].append((z.zone, median(list))) }
        }
        var across: [Across] = []
        var outliers: [Outlier] = []
        for metric in metricOrder {
            let list = values[metric] ?? []
            guard !list.isEmpty, let i = info[metric] else { continue }
            let sorted = list.map(\.value).sorted()
            let med = median(sorted)
            across.append(Across(metric: metric, unit: i.unit, expected: i.expected, higherIsBetter: i.higher, zones: list.count,
                                 min: sorted.first!, median: med, max: sorted.last!, maxOverMin: sorted.first! > 0 ? sorted.last! / sorted.first! : nil))
            guard list.count >= 3 || (list.count == 2 && margin > 0) else { continue }
            for (zone, v) in list {
                let off = i.higher ? (med - v) / med : (v - med) / med
                if med > 0, off > margin {
                    outliers.append(Outlier(zone: zone, metric: metric,
                                            why: "\(metric) \(num(v)) \(i.unit) is \(pct(off)) \(i.higher ? "below" : "above") the median of zones (\(num(med)) \(i.unit))"))
                }
            }
        }
        let passing = zones.filter { $0.status == "pass" }.map(\.zone)
        if !passing.isEmpty {
            for z in zones where z.status == "fail" {
                let failed = z.volumes.flatMap(\.metrics).filter { $0.verdict == .fail }.map(\.metric)
                outliers.insert(Outlier(zone: z.zone, metric: nil,
                                        why: "fails the tier (\(Array(Set(failed)).sorted().joined(separator: ", "))) while \(passing.joined(separator: ", ")) pass\(passing.count == 1 ? "es" : "")"), at: 0)
            }
        }
        return (across, outliers)
    }

    static func median(_ v: [Double]) -> Double {
        let s = v.sorted()
        guard !s.isEmpty else { return 0 }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    public var failed: Bool { verdict == .fail }
}

extension ZonesDocument {
    public func json() throws -> String { try CheckReport.json(self) }

    /// For people: a table per zone and volume, the comparison across zones, the outliers, the
    /// merged results, and what was deleted.
    public func human() -> String {
        var out = "tierbench zones: run \(runId), StorageClass `\(storageClass)` (tier \(profile)), \(size) \(volumeMode) volumes, suite \(suite)\n\n"
        var rows: [[String]] = [["zone", "volume", "node", "instance type", "metric", "expected", "measured", "verdict"]]
        for z in zones {
            for v in z.volumes {
                let node = v.node ?? "-", type = v.instanceType ?? "-"
                if v.state != .measured {
                    rows.append([z.zone, String(v.index), node, type, "-", "-", "-", "\(v.state.rawValue.uppercased().replacingOccurrences(of: "_", with: " ")): \(v.reason ?? "")"])
                    continue
                }
                for (k, m) in v.metrics.enumerated() {
                    rows.append([k == 0 ? z.zone : "", k == 0 ? String(v.index) : "", k == 0 ? node : "", k == 0 ? type : "", m.metric,
                                 m.expected.map { "\(num($0)) \(m.unit)" } ?? "-", m.measured.map { "\(num($0)) \(m.unit)" } ?? "-",
                                 m.verdict.rawValue.replacingOccurrences(of: "_", with: " ").uppercased()])
                }
            }
        }
        out += CheckReport.table(rows, indent: "  ") + "\n"
        if !acrossZones.isEmpty {
            var a: [[String]] = [["metric", "expected", "min", "median", "max", "max/min"]]
            for m in acrossZones {
                a.append([m.metric, m.expected.map { "\(num($0)) \(m.unit)" } ?? "-", "\(num(m.min)) \(m.unit)", "\(num(m.median)) \(m.unit)", "\(num(m.max)) \(m.unit)",
                          m.maxOverMin.map { String(format: "%.2f", $0) } ?? "-"])
            }
            out += "across \(zones.filter { $0.status == "pass" || $0.status == "fail" }.count) measured zones:\n" + CheckReport.table(a, indent: "  ") + "\n"
        }
        for o in outliers { out += "outlier: \(o.zone): \(o.why)\n" }
        if !outliers.isEmpty { out += "\n" }
        if !merged.isEmpty {
            var m: [[String]] = [["job", "dir", "volumes", "I/Os", "IOPS", "MiB/s", "lat p50", "lat p99", "lat p99.9"]]
            for r in merged {
                func p(_ q: Double) -> String { r.latNs.value(at: q).map { "\(num(Double($0) / 1000)) us" } ?? "-" }
                m.append([r.job, r.direction, String(r.volumes), String(r.ios), num(r.iops), num(r.bandwidthBytesPerSecond / 1_048_576), p(50), p(99), p(99.9)])
            }
            out += "merged over every measured volume (histograms added; rates over the shared window):\n" + CheckReport.table(m, indent: "  ") + "\n"
        }
        for z in zones { out += "zone \(z.zone): \(z.status.uppercased())\n" }
        if interrupted { out += "interrupted: the report covers what was measured until then\n" }
        if !deleted.isEmpty { out += "deleted: \(deleted.joined(separator: ", "))\n" }
        if !leftBehind.isEmpty { out += "left behind (delete with kubectl delete -n \(namespace) configmap,pvc,job -l tierbench.io/run=\(runId)): \(leftBehind.joined(separator: ", "))\n" }
        out += "verdict: \(verdict == .pass ? "PASS" : "FAIL")\n"
        return out
    }

    /// JUnit XML: a test suite per zone, a test case per volume and metric (an error case for a
    /// volume that could not be measured).
    public func junit() -> String {
        let x = CheckReport.xml
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"tierbench zones \(x(runId))\">\n"
        for z in zones {
            let cases = z.volumes.flatMap { v in v.state == .measured ? v.metrics.map { (v, Optional($0)) } : [(v, nil)] }
            let failures = cases.filter { $0.1?.verdict == .fail }.count
            let errors = cases.filter { $0.1 == nil }.count
            out += "  <testsuite name=\"\(x(z.zone))\" tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"\(cases.filter { $0.1?.verdict == .notJudged }.count)\">\n"
            for (v, m) in cases {
                let name = m.map { "volume \(v.index): \($0.metric)" } ?? "volume \(v.index)"
                out += "    <testcase classname=\"\(x("tierbench.zones.\(storageClass).\(z.zone)"))\" name=\"\(x(name))\">\n"
                if let m {
                    let summary = "expected \(m.expected.map { "\(num($0)) \(m.unit)" } ?? "-"), measured \(m.measured.map { "\(num($0)) \(m.unit)" } ?? "-"): \(m.reason)"
                    switch m.verdict {
                    case .fail: out += "      <failure message=\"\(x(summary))\" type=\"sla\">\(x(summary))</failure>\n"
                    case .notJudged: out += "      <skipped message=\"\(x(summary))\"/>\n"
                    default: out += "      <system-out>\(x("\(m.verdict.rawValue): \(summary)"))</system-out>\n"
                    }
                } else {
                    out += "      <error message=\"\(x("\(v.state.rawValue): \(v.reason ?? "")"))\" type=\"\(v.state.rawValue)\"/>\n"
                }
                out += "    </testcase>\n"
            }
            out += "  </testsuite>\n"
        }
        return out + "</testsuites>\n"
    }
}
