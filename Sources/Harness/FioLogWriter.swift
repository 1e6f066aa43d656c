import Engine
import Glibc
import Stats
import Workload

/// fio's log files (`write_bw_log`, `write_iops_log`, `write_lat_log`), written after the run.
/// With `log_avg_msec`, from each clone's interval series: one line per direction per interval,
/// `time (ms, the interval's end), value, direction (0 read, 1 write), block size (0: averaged),
/// [offset (0),] priority (0)`, as fio 3.33's flush_samples. Values: bandwidth KiB/s, IOPS,
/// latencies ns (means over the interval). Without it, from each clone's `PerIOLog`: one line per
/// read or write (syncs have none, as fio's), in completion order (see `perIOLines`). Names as fio's: `PREFIX_bw.N.log` (N fio's thread
/// number: clones of all jobs counted from 1 in job order), `PREFIX_bw.log` with per_job_logs=0
/// (the clones' lines one after another). fio overwrites its logs; tierbench replaces a log that
/// exists only when it wrote it (its `FileMark`, which each log it writes gets) or the user gave
/// --overwrite, and refuses any other before the run.
public enum FioLogWriter {
    public enum Kind: String, CaseIterable, Sendable {
        case bw, iops, lat, clat, slat
        case clatHist = "clat_hist"
    }

    /// Which log files each clone of each job writes: (job index, clone, kind, path), in order.
    public static func files(_ specs: [JobSpec]) -> [(job: Int, clone: Int, kind: Kind, path: String)] {
        var out: [(Int, Int, Kind, String)] = []
        var thread = 0
        for (j, spec) in specs.enumerated() {
            for clone in 0..<spec.numjobs {
                thread += 1
                guard let logs = spec.logs else { continue }
                let prefixes: [(String?, [Kind])] = [(logs.bandwidth, [.bw]), (logs.iops, [.iops]), (logs.latency, [.lat, .clat, .slat]),
                                                      (logs.histogram, [.clatHist])]
                for (prefix, kinds) in prefixes {
                    guard let prefix else { continue }
                    let base = prefix.isEmpty ? spec.name : prefix
                    for kind in kinds {
                        out.append((j, clone, kind, "\(base)_\(kind.rawValue)\(logs.perJob ? ".\(thread)" : "").log"))
                    }
                }
            }
        }
        return out
    }

    /// The run's interval from the jobs' `log_avg_msec` (one value for all jobs that log), in ns;
    /// nil when no job logs.
    public static func interval(_ specs: [JobSpec]) throws(InputError) -> UInt64? {
        var chosen: (Int, String)?
        for spec in specs {
            guard let ms = spec.logs?.intervalMilliseconds else { continue }
            if let (other, name) = chosen, other != ms {
                throw InputError("job `\(spec.name)` gives log_avg_msec=\(ms) but job `\(name)` gives log_avg_msec=\(other); a tierbench run has one interval, which is what log_avg_msec sets: give every job the same")
            }
            chosen = (ms, spec.name)
        }
        return chosen.map { UInt64($0.0) * 1_000_000 }
    }

    /// Refuses, before anything runs, log files that exist and that tierbench did not write as
    /// they are (unless `overwrite`).
    public static func check(_ specs: [JobSpec], overwrite: Bool) throws(InputError) {
        guard !overwrite else { return }
        for path in Set(files(specs).map(\.path)).sorted() where pathExists(path) {
            let mark = FileMark.state(atPath: path)
            if mark != .tierbenchs { throw InputError(refusal(path, mark)) }
        }
    }

    /// Why the existing log `path` is not replaced without --overwrite, and the fix.
    static func refusal(_ path: String, _ mark: FileMark.State) -> String {
        let fix = "remove it, give the job another log prefix, or --overwrite to replace it"
        switch mark {
        case .changed:
            return "the fio log \(path) was written by tierbench but changed since; \(fix)"
        case .unsupported:
            return "the fio log \(path) exists, and its file system keeps no extended attributes (user.*), so tierbench cannot tell whether it wrote it; \(fix)"
        case .unmarked, .tierbenchs:
            return "the fio log \(path) exists and tierbench did not write it; \(fix) (tierbench replaces only the logs it wrote)"
        }
    }

    /// The text of each log file for a run's results, in `files` order, made one file at a time
    /// as `body` takes it (a per-I/O log's text is tens of bytes per I/O: one at a time in memory).
    public static func render(_ specs: [JobSpec], results: [JobResult], perIO: PerIOLogs = PerIOLogs(),
                              _ body: (_ path: String, _ text: String) -> Void) {
        let all = files(specs)
        var order: [String] = []
        for f in all where !order.contains(f.path) { order.append(f.path) }
        for path in order {
            var text = ""
            for f in all where f.path == path {
                guard let r = results.first(where: { $0.jobIndex == f.job && $0.clone == f.clone }) else { continue }
                text += lines(of: f.kind, specs[f.job], r, perIO: perIO[job: f.job, clone: f.clone])
            }
            body(path, text)
        }
    }

    /// One clone's lines of one log.
    static func lines(of kind: Kind, _ spec: JobSpec, _ r: JobResult, perIO: PerIOLog?) -> String {
        let logs = spec.logs!
        if kind == .clatHist {
            return histogramLines(r.intervals, blockBytes: spec.blockSizeBytes, coarseness: logs.histogramCoarseness ?? 0)
        }
        guard logs.everyIO else { return lines(r.intervals, kind: kind, offset: logs.offset) }
        return perIO.map { perIOLines($0, kind: kind, offset: logs.offset) } ?? ""
    }

    /// One line per direction per interval.
    static func lines(_ intervals: [IntervalSample], kind: Kind, offset: Bool) -> String {
        var text = ""
        for sample in intervals {
            let ms = (sample.startNs + sample.durationNs) / 1_000_000
            for (ddir, d) in [(0, sample.read), (1, sample.write)] {
                guard let d else { continue }
                let value: UInt64
                switch kind {
                case .bw: value = UInt64(d.bandwidthBytesPerSecond / 1024)
                case .iops: value = UInt64(d.iops)
                case .lat: value = UInt64(d.latMeanNs)
                case .clat: value = UInt64(d.clatMeanNs ?? 0)
                case .slat: value = UInt64(d.slatMeanNs ?? 0)
                case .clatHist: continue
                }
                text += offset ? "\(ms), \(value), \(ddir), 0, 0, 0\n" : "\(ms), \(value), \(ddir), 0, 0\n"
            }
        }
        return text
    }

    /// One line per I/O, as fio 3.33 writes a log without log_avg_msec: `time (ms since the
    /// measured span's start, at completion), value, direction, block size, [offset,] priority
    /// (0)`. Values: lat, clat, slat in ns; bw the I/O's own, `bytes * 10^6 / clat ns` (fio's
    /// add_bw_sample: bytes per ms, which fio's HOWTO calls KiB/s); iops 1.
    static func perIOLines(_ log: PerIOLog, kind: Kind, offset: Bool) -> String {
        var text = ""
        text.reserveCapacity(log.count * (offset ? 40 : 30))
        log.forEach { io in
            let ms = io.completedNs > log.epochNs ? (io.completedNs - log.epochNs) / 1_000_000 : 0
            let value: UInt64
            switch kind {
            case .bw: value = io.clatNs > 0 ? io.length &* 1_000_000 / io.clatNs : 0
            case .iops: value = 1
            case .lat: value = io.latNs
            case .clat: value = io.clatNs
            case .slat: value = UInt64(io.slatNs)
            case .clatHist: return
            }
            let ddir = io.write ? 1 : 0
            text += offset ? "\(ms), \(value), \(ddir), \(io.length), \(io.offset), 0\n" : "\(ms), \(value), \(ddir), \(io.length), 0\n"
        }
        return text
    }

    /// fio's histogram log (flush_hist_samples): per interval and direction with completions,
    /// `time (ms, the interval's end), direction, block size, bin0, bin1, ...`, the bins the
    /// interval's own latencies (not cumulative), `FioLatencyBins.count >> coarseness` of them.
    static func histogramLines(_ intervals: [IntervalSample], blockBytes: UInt64, coarseness: Int) -> String {
        var text = ""
        for sample in intervals {
            let ms = (sample.startNs + sample.durationNs) / 1_000_000
            for (ddir, d) in [(0, sample.read), (1, sample.write)] {
                guard let d, d.ios > 0 else { continue }
                let columns = FioLatencyBins.columns(d.fioBins, coarseness: coarseness).map(String.init)
                text += "\(ms), \(ddir), \(blockBytes), " + columns.joined(separator: ", ") + "\n"
            }
        }
        return text
    }

    /// Writes the logs; returns the paths written and a message per file that could not be.
    public static func write(_ specs: [JobSpec], results: [JobResult], perIO: PerIOLogs = PerIOLogs(),
                             overwrite: Bool) -> (written: [String], errors: [String]) {
        var written: [String] = [], errors: [String] = []
        render(specs, results: results, perIO: perIO) { path, text in
            if let error = writeLog(path, text, overwrite: overwrite) { errors.append(error) } else { written.append(path) }
        }
        return (written, errors)
    }

    /// Writes one log, as a new file or in place of one tierbench wrote (any, with `overwrite`),
    /// and marks it as tierbench's. Returns what went wrong, or nil.
    static func writeLog(_ path: String, _ text: String, overwrite: Bool) -> String? {
        func cannot(_ error: Errno) -> String { "cannot write the fio log \(path): \(error.text)" }
        let fd: Int32
        do { fd = try openFile(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC) } catch {
            guard error.rawValue == EEXIST else { return cannot(error) }
            do { fd = try openFile(path, O_WRONLY | O_CLOEXEC) } catch { return cannot(error) }
            // Looked at again on the file about to be replaced: it may have appeared or changed during the run.
            let mark = FileMark.state(of: fd)
            if !overwrite && mark != .tierbenchs { closeFile(fd); return refusal(path, mark) }
            do { try truncateFile(fd, length: 0) } catch { closeFile(fd); return cannot(error) }
        }
        defer { closeFile(fd) }
        var text = text
        if !text.isEmpty {
            let wrote = text.withUTF8 { raw in Result { () throws(Errno) in try pwriteAll(fd, raw.baseAddress!, raw.count, 0) } }
            if case .failure(let error) = wrote { return cannot(error) }
        }
        // A file system without user extended attributes: the next run's refusal says why.
        try? FileMark.record(fd)
        return nil
    }
}
