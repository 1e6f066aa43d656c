import Harness
import Stats
import Workload

/// The human report: aligned tables, units in every header.
public enum HumanReport {
    /// `4KiB`, `4KiB-64KiB` (bsrange), `split 4KiB-64KiB` (bssplit), `r 4KiB, w 64KiB` (per direction).
    static func blockSizeLabel(_ p: JobSpec) -> String {
        guard let b = p.blockSizes else { return Units.formatSize(p.blockSizeBytes) }
        func one(_ c: BlockSizeChoice) -> String {
            if c.split != nil { return "split \(Units.formatSize(c.minBytes))-\(Units.formatSize(c.maxBytes))" }
            return c.isFixed ? Units.formatSize(c.minBytes) : "\(Units.formatSize(c.minBytes))-\(Units.formatSize(c.maxBytes))"
        }
        let r = p.rw.reads ? one(b.read) : nil, w = p.rw.writes ? one(b.write) : nil
        if let r, let w { return r == w ? r : "r \(r), w \(w)" }
        return r ?? w ?? Units.formatSize(p.blockSizeBytes)
    }

    /// When the run used more than one file: each job's (all its clones'), one line per job (the
    /// `target:` line is the first job's first file). A long list shows its first files and its count.
    static func jobTargets(_ result: RunResult) -> String {
        var order: [(index: Int, name: String)] = [], files: [Int: [String]] = [:]
        for job in result.jobs {
            if files[job.jobIndex] == nil { order.append((job.jobIndex, job.name)) }
            for f in job.files ?? [] where !(files[job.jobIndex] ?? []).contains(f) { files[job.jobIndex, default: []].append(f) }
        }
        guard Set(files.values.joined()).count > 1 else { return "" }
        return order.map { job in
            let list = files[job.index] ?? []
            let shown = list.count <= 4 ? list.joined(separator: ", ") : list.prefix(3).joined(separator: ", ") + ", ... (\(list.count) files)"
            return "  job \(job.name): \(list.isEmpty ? "-" : shown)\n"
        }.joined()
    }

    /// - Parameter percentiles: the latency percentiles to show (the user's `--percentiles`, or 50, 99, 99.9).
    public static func render(_ result: RunResult, percentiles: [Double] = [50, 99, 99.9]) -> String {
        var out = ""
        let t = result.target
        out += "target: \(t.path) (\(t.kind == .blockDevice ? "block device" : "file"), \(Units.formatSize(t.sizeBytes))"
        out += t.directIOAlignmentBytes > 1 ? ", direct-I/O alignment \(t.directIOAlignmentBytes) B" : ""
        if let fs = result.filesystemType { out += ", on \(fs)" }
        if let d = result.device { out += ", device \(d.name)\(d.model.map { " (\($0))" } ?? "")" }
        out += t.scratch ? "), temporary\n" : ")\n"
        out += jobTargets(result)
        if let l = result.layout {
            out += "layout: wrote \(Units.formatSize(l.bytes)) in \(fixed(Double(l.nanoseconds) / 1e9, 2)) s (\(fixed(l.bandwidthBytesPerSecond / 1_048_576, 1)) MiB/s), not part of the results\n"
        }

        // Rows: each clone, then the job's clones together when there are several.
        var entries: [(name: String, qd: String, bs: String, engine: String, runtime: UInt64, read: DirectionSummary?, write: DirectionSummary?, sync: SyncSummary?, cpu: CPUUsage)] = []
        for (i, job) in result.jobs.enumerated() {
            let p = job.parameters
            let bs = blockSizeLabel(p)
            entries.append((p.numjobs > 1 ? "\(job.name).\(job.clone)" : job.name, "\(job.engine.name == "psync" ? 1 : p.iodepth)",
                            bs, job.engine.name, job.runtimeNs, job.read, job.write, job.sync, job.cpu))
            if p.numjobs > 1 && job.clone == p.numjobs - 1, let a = result.aggregates.first(where: { $0.jobIndex == job.jobIndex }) {
                entries.append(("\(job.name) (all \(a.clones))", "\(job.engine.name == "psync" ? 1 : p.iodepth)x\(a.clones)",
                                bs, job.engine.name, a.runtimeNs, a.read, a.write, a.sync, a.cpu))
            }
            // group_reporting: after the last clone of a group report's last job, its jobs together.
            let next = i + 1 < result.jobs.count ? result.jobs[i + 1].jobIndex : nil
            if next != job.jobIndex, let g = result.groups?.first(where: { $0.jobIndices.last == job.jobIndex }) {
                entries.append(("group \(g.groupIndex) (\(g.jobIndices.count) jobs, \(g.clones) clones)", "-", "-", job.engine.name,
                                g.runtimeNs, g.read, g.write, g.sync, g.cpu))
            }
        }

        let pHeaders = percentiles.map { "lat p\(percentileLabel($0)) us" }
        let header = ["job", "dir", "bs", "qd", "engine", "runtime s", "IOPS", "MiB/s", "lat mean us"] + pHeaders
            + ["lat max us", "clat mean us", "slat mean us", "I/Os"]
        var rows: [[String]] = []
        for e in entries {
            for (dir, s) in [("read", e.read), ("write", e.write)] {
                guard let s else { continue }
                rows.append([e.name, dir, e.bs, e.qd, e.engine, fixed(Double(e.runtime) / 1e9, 2), fixed(s.iops, 0),
                             fixed(s.bandwidthBytesPerSecond / 1_048_576, 1), micro(s.latNs.mean)]
                            + percentiles.map { micro(s.latNs.value(at: $0) ?? 0) }
                            + [micro(s.latNs.max), micro(s.clatNs.mean), micro(s.slatNs.mean), "\(s.ios)"])
            }
            // fsync=N / fdatasync=N: the syncs' own row, their duration as the latency.
            if let s = e.sync {
                let seconds = Double(e.runtime) / 1e9
                rows.append([e.name, s.kind, "-", e.qd, e.engine,
                             fixed(seconds, 2), seconds > 0 ? fixed(Double(s.ios) / seconds, 0) : "-", "-", micro(s.latNs.mean)]
                            + percentiles.map { micro(s.latNs.value(at: $0) ?? 0) }
                            + [micro(s.latNs.max), micro(s.latNs.mean), "-", "\(s.ios)"])
            }
        }
        out += table(header: header, rows: rows, leftColumns: [0, 1, 4])

        let spreadHeader = ["job", "dir", "intervals", "IOPS min", "IOPS mean", "IOPS max", "IOPS stddev",
                            "MiB/s min", "MiB/s max", "cpu user %", "cpu sys %", "ctx switches"]
        var spreadRows: [[String]] = []
        for e in entries {
            let seconds = Double(e.runtime) / 1e9
            for (dir, s) in [("read", e.read), ("write", e.write)] {
                guard let s else { continue }
                let i = s.iopsOverIntervals, b = s.bandwidthBytesPerSecondOverIntervals
                spreadRows.append([e.name, dir, "\(i.samples)", fixed(i.min, 0), fixed(i.mean, 0), fixed(i.max, 0), fixed(i.stddev, 0),
                                   fixed(b.min / 1_048_576, 1), fixed(b.max / 1_048_576, 1),
                                   seconds > 0 ? fixed(Double(e.cpu.userNs) / 1e9 / seconds * 100, 1) : "-",
                                   seconds > 0 ? fixed(Double(e.cpu.systemNs) / 1e9 / seconds * 100, 1) : "-",
                                   "\(e.cpu.contextSwitches)"])
            }
        }
        out += "\nover \(fixed(Double(result.settings.intervalNs) / 1e9, 3)) s intervals:\n"
        out += table(header: spreadHeader, rows: spreadRows, leftColumns: [0, 1])

        for job in result.jobs {
            if let e = job.firstError {
                let counts = job.errors.sorted { $0.key < $1.key }.map { "\($0.key) x\($0.value)" }.joined(separator: ", ")
                out += "\(job.name): \(counts.isEmpty ? "" : counts + "; ")first error: \(e)\n"
            }
            let short = (job.read?.shortIOs ?? 0) + (job.write?.shortIOs ?? 0)
            if short > 0 { out += "\(job.name): \(short) short I/Os, each completed by resubmitting the rest\n" }
        }
        out += steadyStateLines(result.jobs)
        if result.interrupted {
            out += "interrupted\(result.interruptedBy.map { " by \($0)" } ?? ""): the figures cover the time measured before it\n"
        }
        return out
    }

    /// 99.9 -> "99.9", 50 -> "50".
    static func percentileLabel(_ p: Double) -> String {
        p == p.rounded() ? "\(Int(p))" : "\(p)"
    }

    static func table(header: [String], rows: [[String]], leftColumns: Set<Int>) -> String {
        var widths = header.map(\.count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                let pad = String(repeating: " ", count: widths[i] - c.count)
                return leftColumns.contains(i) ? c + pad : pad + c  // text left, numbers right
            }.joined(separator: "  ") + "\n"
        }
        return line(header) + rows.map(line).joined()
    }

    static func micro(_ ns: UInt64) -> String { micro(Double(ns)) }
    static func micro(_ ns: Double) -> String {
        let us = ns / 1000
        return us >= 100 ? fixed(us, 0) : us >= 10 ? fixed(us, 1) : fixed(us, 2)
    }

    public static func fixed(_ v: Double, _ digits: Int) -> String {
        guard v.isFinite else { return "-" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let rounded = (v * scale).rounded() / scale
        var s = "\(Int64(rounded.rounded(.towardZero)))"
        if digits > 0 {
            let frac = Int64(((abs(rounded) - abs(rounded.rounded(.towardZero))) * scale).rounded())
            let f = String(frac)
            s += "." + String(repeating: "0", count: max(0, digits - f.count)) + f
        }
        return s
    }
}
