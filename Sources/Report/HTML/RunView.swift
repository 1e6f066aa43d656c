import Foundation
import Harness
import Stats
import Workload

/// The page section of a `tierbench/1` result: the run's environment, target and command, a
/// summary table, and per job its IOPS, bandwidth and latency over time (from the intervals),
/// its latency distribution (histogram) and percentile ladder (p50 ... p99.99).
public enum RunView {
    public static func page(_ result: RunResult, source: String) -> Page {
        Page(title: "tierbench run on \(result.environment.hostname)", subtitle: "\(source) — started \(result.startTimeUTC)",
             sections: [section(result, id: "run")], generator: "tierbench \(result.version) report")
    }

    public static func section(_ result: RunResult, id: String, title: String? = nil) -> Section {
        var blocks: [Block] = []
        blocks.append(.facts(title: "Environment", rows: environmentRows(result.environment)))
        blocks.append(.facts(title: "Target", rows: targetRows(result)))
        if let command = result.command, !command.isEmpty {
            blocks.append(.code(title: "Command", text: shellLine(command)))
        }
        blocks.append(.table(summaryTable(result)))
        var notes: [String] = []
        for job in result.jobs where job.failed { notes.append("job \(job.name) (clone \(job.clone)) failed: \(job.firstError ?? "I/O error")") }
        if result.interrupted { notes.append("interrupted by \(result.interruptedBy ?? "a signal"): the jobs hold what was measured until then") }
        for note in Set(result.jobs.flatMap(\.engine.notes)).sorted() { notes.append("engine: \(note)") }
        notes += HumanReport.steadyStateLines(result.jobs).split(separator: "\n").map(String.init)
        if !notes.isEmpty { blocks.append(.notes(title: "Notes", lines: notes)) }
        for agg in result.aggregates { blocks.append(jobGroup(result, agg, id: "\(id)-job\(agg.jobIndex)")) }
        let badge: Badge = result.failed ? Badge("FAILED", .fail) : result.interrupted ? Badge("INTERRUPTED", .warn) : Badge("COMPLETE", .info)
        return Section(kind: "run", id: id, title: title ?? "Run: \(result.aggregates.count) job\(result.aggregates.count == 1 ? "" : "s") on \(result.target.path)",
                       subtitle: "tierbench \(result.version), started \(result.startTimeUTC), intervals of \(seconds(result.settings.intervalNs))",
                       badge: badge, blocks: blocks)
    }

    public static func environmentRows(_ e: Environment) -> [[String]] {
        [["host", e.hostname], ["kernel", e.kernel], ["architecture", e.architecture], ["CPU", e.cpuModel ?? "unknown"],
         ["CPUs", "\(e.cpus)"], ["memory", bytes(e.memoryBytes)]]
    }

    static func targetRows(_ r: RunResult) -> [[String]] {
        let t = r.target
        var rows = [["path", t.path + (t.scratch ? " (temporary, removed after the run)" : "")],
                    ["kind", t.kind == .blockDevice ? "block device" : "file"], ["size", bytes(t.sizeBytes)],
                    ["direct-I/O alignment", "\(t.directIOAlignmentBytes) B"]]
        if let fs = r.filesystemType { rows.append(["file system", fs]) }
        if let d = r.device {
            var text = "\(d.name) (\(d.number))"
            if let m = d.model { text += ", \(m)" }
            if let s = d.sizeBytes { text += ", \(bytes(s))" }
            if let rot = d.rotational { text += rot ? ", rotational" : ", non-rotational" }
            if let l = d.logicalBlockBytes, let p = d.physicalBlockBytes { text += ", blocks \(l)/\(p) B" }
            rows.append(["device", text])
        }
        let files = HumanReport.jobTargets(r).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        if !files.isEmpty { rows.append(["files", files.joined(separator: "; ")]) }
        if let l = r.layout {
            rows.append(["layout", "wrote \(Units.formatSize(l.bytes)) in \(HumanReport.fixed(Double(l.nanoseconds) / 1e9, 2)) s before the jobs (not measured)"])
        }
        let engines = Set(r.jobs.map { j in j.engine.name + (j.engine.ringFlags.map { " (\($0))" } ?? "") }).sorted()
        rows.append(["engine", engines.joined(separator: ", ")])
        return rows
    }

    /// The argv as one line a shell would read back.
    public static func shellLine(_ argv: [String]) -> String {
        argv.map { a in
            a.isEmpty || a.unicodeScalars.contains { !($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_./=:,+%@".unicodeScalars.contains($0)) }
                ? "'" + a.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'" : a
        }.joined(separator: " ")
    }

    static func summaryTable(_ r: RunResult) -> Table {
        var rows: [[String]] = []
        for agg in r.aggregates {
            let spec = r.jobs.first { $0.jobIndex == agg.jobIndex }?.parameters
            for (dir, d) in [("read", agg.read), ("write", agg.write)] {
                guard let d else { continue }
                let ladder = Dictionary(LatencyLadder.values(d.latNs).map { ($0.percentile, $0.nanoseconds) }, uniquingKeysWith: { a, _ in a })
                rows.append([agg.name, spec?.rw.rawValue ?? "", spec.map(HumanReport.blockSizeLabel) ?? "", spec.map { "\($0.iodepth)" } ?? "",
                             "\(agg.clones)", dir, HumanReport.fixed(d.iops, 0), rate(d.bandwidthBytesPerSecond),
                             latency(d.latNs.mean), latency(ladder[50]), latency(ladder[99]), latency(ladder[99.99]), latency(Double(d.latNs.max))])
            }
            if let sync = agg.sync { rows.append(syncRow(agg, spec, sync)) }
        }
        return Table(title: "Results (each job's clones together)",
                     header: ["job", "rw", "bs", "QD", "clones", "dir", "IOPS", "bandwidth", "lat mean", "p50", "p99", "p99.99", "max"],
                     rows: rows, numeric: Array(3...12).filter { $0 != 5 })
    }

    /// The row of a job's syncs (fio's fsync=N / fdatasync=N): named by their kind, as the human
    /// table's; syncs per second, no bandwidth (a sync moves no bytes).
    static func syncRow(_ agg: Aggregate, _ spec: JobSpec?, _ sync: SyncSummary) -> [String] {
        let ladder = Dictionary(LatencyLadder.values(sync.latNs).map { ($0.percentile, $0.nanoseconds) }, uniquingKeysWith: { a, _ in a })
        let perSecond = agg.runtimeNs > 0 ? Double(sync.ios) / (Double(agg.runtimeNs) / 1e9) : 0
        return [agg.name, spec?.rw.rawValue ?? "", spec.map(HumanReport.blockSizeLabel) ?? "", spec.map { "\($0.iodepth)" } ?? "",
                "\(agg.clones)", sync.kind, HumanReport.fixed(perSecond, 0), "-",
                latency(sync.latNs.mean), latency(ladder[50]), latency(ladder[99]), latency(ladder[99.99]), latency(Double(sync.latNs.max))]
    }

    /// The latency reports the distribution and ladder charts show: read, write and the syncs.
    static func latencyReports(_ agg: Aggregate) -> [(String, SeriesColor, LatencyReport)] {
        [("read", SeriesColor.read, agg.read?.latNs), ("write", SeriesColor.write, agg.write?.latNs),
         (agg.sync?.kind ?? "sync", SeriesColor.third, agg.sync?.latNs)].compactMap { d in d.2.map { (d.0, d.1, $0) } }
    }

    static func jobGroup(_ r: RunResult, _ agg: Aggregate, id: String) -> Block {
        let spec = r.jobs.first { $0.jobIndex == agg.jobIndex }?.parameters
        var blocks: [Block] = []
        if let spec {
            var rows = [["workload", spec.rw.rawValue + (spec.rw.isMixed ? " (\(spec.rwmixread)% reads)" : "")],
                        ["block size", HumanReport.blockSizeLabel(spec)], ["queue depth", "\(spec.iodepth)"], ["clones", "\(spec.numjobs)"],
                        ["direct", spec.direct ? "yes (O_DIRECT)" : "no (page cache)"], ["measured", seconds(agg.runtimeNs)]]
            if let engine = r.jobs.first(where: { $0.jobIndex == agg.jobIndex })?.engine { rows.append(["engine", "\(engine.name): \(engine.reason)"]) }
            blocks.append(.facts(title: "Parameters", rows: rows))
        }
        let dirs = [("read", SeriesColor.read, \IntervalSample.read), ("write", SeriesColor.write, \IntervalSample.write)]
            .filter { d in agg.intervals.contains { $0[keyPath: d.2] != nil } || (d.0 == "read" ? agg.read != nil : agg.write != nil) }
        let n = agg.intervals.count
        let (x0, dx, xs) = timeAxis(agg.intervals, intervalNs: r.settings.intervalNs)
        // A rate over a sliver of an interval (the run's last, cut short) says little: a few I/Os
        // in a millisecond would draw a spike. Rates leave out intervals under half the length.
        let partial = agg.intervals.filter { $0.durationNs * 2 < r.settings.intervalNs }.count
        func series(_ name: String, _ color: SeriesColor, dashed: Bool = false, rate: Bool = false, _ value: (IntervalDirection) -> Double?,
                    _ key: KeyPath<IntervalSample, IntervalDirection?>) -> Series {
            Series(name: name, color: color, dashed: dashed, x0: x0, dx: dx, xs: xs, ys: agg.intervals.map { i in
                rate && i.durationNs * 2 < r.settings.intervalNs ? nil : i[keyPath: key].flatMap(value)
            })
        }
        let caption = n > 0 ? "\(grouped(n)) interval\(n == 1 ? "" : "s") of \(seconds(r.settings.intervalNs)); with more intervals than pixel columns each column shows its lowest and highest value" : "no intervals were recorded"
        let rateCaption = caption + (partial > 0 ? "; \(partial == 1 ? "the last interval, shorter than half an interval, is" : "\(partial) intervals shorter than half an interval are") left out" : "")
        let time = Axis("time since the measured start", unit: .seconds, fromZero: false)
        blocks.append(.chart(Chart(id: "\(id)-iops", type: .line, title: "IOPS over time", x: time, y: Axis("IOPS", unit: .iops),
                                   series: dirs.map { series($0.0, $0.1, rate: true, { $0.iops }, $0.2) }, caption: rateCaption)))
        blocks.append(.chart(Chart(id: "\(id)-bandwidth", type: .line, title: "Bandwidth over time", x: time, y: Axis("bandwidth", unit: .bytesPerSecond),
                                   series: dirs.map { series($0.0, $0.1, rate: true, { $0.bandwidthBytesPerSecond }, $0.2) }, caption: rateCaption)))
        var latencySeries: [Series] = []
        for d in dirs {
            latencySeries.append(series("\(d.0) mean", d.1, { $0.ios > 0 ? $0.latMeanNs : nil }, d.2))
            latencySeries.append(series("\(d.0) p99", d.1, dashed: true, { $0.ios > 0 ? Double($0.latP99Ns) : nil }, d.2))
        }
        blocks.append(.chart(Chart(id: "\(id)-latency", type: .line, title: "Latency over time (mean and p99 per interval)", x: time,
                                   y: Axis("total latency", unit: .nanoseconds, scale: .log, fromZero: false), series: latencySeries, caption: caption)))
        let summaries = latencyReports(agg)
        blocks.append(.chart(Chart(id: "\(id)-histogram", type: .histogram, title: "Latency distribution",
                                   x: Axis("total latency (log scale)", unit: .nanoseconds, scale: .log), y: Axis("share of I/Os", unit: .percent),
                                   series: summaries.map { histogramSeries($0.0, $0.1, $0.2) },
                                   caption: "bins of a tenth of a decade (10 per factor of 10), from the run's latency histogram")))
        let ladderSeries = summaries.map { d -> Series in
            let v = LatencyLadder.values(d.2)
            return Series(name: d.0, color: d.1, markers: true, xs: v.map { nines($0.percentile) }, ys: v.map { Double($0.nanoseconds) })
        }
        let maxText = summaries.map { "\($0.0) max \(latency(Double($0.2.max)))" }.joined(separator: ", ")
        blocks.append(.chart(Chart(id: "\(id)-ladder", type: .line, title: "Latency percentiles (p50 to p99.99)",
                                   x: Axis("percentile", unit: .nines, fromZero: false), y: Axis("total latency (log scale)", unit: .nanoseconds, scale: .log, fromZero: false),
                                   series: ladderSeries, caption: maxText.isEmpty ? nil : maxText)))
        let title = "Job \(agg.name)"
        let subtitle = spec.map { "\($0.rw.rawValue), \(HumanReport.blockSizeLabel($0)), QD\($0.iodepth)\(agg.clones > 1 ? ", \(agg.clones) clones together" : "")" }
        return .group(id: id, title: title, subtitle: subtitle, blocks: blocks)
    }

    /// x of each interval (its start, in seconds): `x0 + i * dx` when the series is regular, else every x.
    public static func timeAxis(_ intervals: [IntervalSample], intervalNs: UInt64) -> (Double?, Double?, [Double]?) {
        guard let first = intervals.first else { return (0, Double(intervalNs) / 1e9, nil) }
        let regular = intervals.enumerated().allSatisfy { i, s in s.startNs == first.startNs + UInt64(i) * intervalNs }
        if regular { return (Double(first.startNs) / 1e9, Double(intervalNs) / 1e9, nil) }
        return (nil, nil, intervals.map { Double($0.startNs) / 1e9 })
    }

    /// The "nines" position of a percentile: 50 -> 0.30, 90 -> 1, 99 -> 2, 99.9 -> 3.
    public static func nines(_ p: Double) -> Double { -log10(1 - p / 100) }

    /// The histogram's bins, regrouped into bins of a tenth of a decade; counts as a share of I/Os (%).
    static func histogramSeries(_ name: String, _ color: SeriesColor, _ lat: LatencyReport) -> Series {
        let bins = (lat.bins ?? []).filter { $0.count == 2 && $0[1] > 0 }
        let total = Double(bins.reduce(0) { $0 + $1[1] })
        guard total > 0 else { return Series(name: name, color: color, ys: [], edges: [1]) }
        var counts: [Int: UInt64] = [:]
        for b in bins { counts[Self.decile(b[0]), default: 0] += b[1] }
        let lo = counts.keys.min()!, hi = counts.keys.max()!
        let edges = (lo...(hi + 1)).map { pow10Edge($0) }
        let ys: [Double?] = (lo...hi).map { k in counts[k].map { Double($0) / total * 100 } ?? 0 }
        return Series(name: name, color: color, ys: ys, edges: edges)
    }

    /// Which tenth of a decade `ns` falls in: floor(10 * log10(ns)).
    public static func decile(_ ns: UInt64) -> Int {
        let v = Double(max(ns, 1))
        var k = Int((log10(v) * 10).rounded(.down))
        // Guard the edges against rounding: 10^(k/10) <= v < 10^((k+1)/10).
        while pow10Edge(k) > v { k -= 1 }
        while pow10Edge(k + 1) <= v { k += 1 }
        return k
    }

    static func pow10Edge(_ k: Int) -> Double { pow(10, Double(k) / 10) }

    /// 86,400.
    static func grouped(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(ch)
        }
        return out
    }

    /// 1.5 GiB, 512 MiB, 4 KiB: binary units, one decimal below ten.
    public static func bytes(_ b: UInt64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var v = Double(b), i = 0
        while v >= 1024 && i < units.count - 1 { v /= 1024; i += 1 }
        return i == 0 ? "\(b) B" : "\(HumanReport.fixed(v, v < 10 && v != v.rounded() ? 1 : 0)) \(units[i])"
    }

    static func seconds(_ ns: UInt64) -> String {
        let s = Double(ns) / 1e9
        if s >= 7200 { return "\(HumanReport.fixed(s / 3600, 1)) h" }
        if s >= 120 { return "\(HumanReport.fixed(s / 60, 1)) min" }
        if s >= 1 { return s == s.rounded() ? "\(Int(s)) s" : "\(HumanReport.fixed(s, 2)) s" }
        return "\(HumanReport.fixed(s * 1000, 0)) ms"
    }

    public static func rate(_ bytesPerSecond: Double) -> String {
        let mib = bytesPerSecond / 1_048_576
        return mib >= 1 ? "\(HumanReport.fixed(mib, 1)) MiB/s" : "\(HumanReport.fixed(bytesPerSecond / 1024, 1)) KiB/s"
    }

    public static func latency(_ ns: UInt64?) -> String { ns.map { latency(Double($0)) } ?? "-" }
    public static func latency(_ ns: Double) -> String {
        if ns >= 1e9 { return "\(HumanReport.fixed(ns / 1e9, 2)) s" }
        if ns >= 1e6 { return "\(HumanReport.fixed(ns / 1e6, 2)) ms" }
        if ns >= 1e3 { return "\(HumanReport.fixed(ns / 1e3, 1)) µs" }
        return "\(Int(ns)) ns"
    }
}
