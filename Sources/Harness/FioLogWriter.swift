import Glibc
import Stats
import Workload

/// fio's log files (`write_bw_log`, `write_iops_log`, `write_lat_log` with `log_avg_msec`),
/// written after the run from each clone's interval series: one line per direction per interval,
/// `time (ms, the interval's end), value, direction (0 read, 1 write), block size (0: averaged),
/// [offset (0),] priority (0)`, as fio 3.33's flush_samples. Values: bandwidth KiB/s, IOPS,
/// latencies ns (means over the interval). Names as fio's: `PREFIX_bw.N.log` (N fio's thread
/// number: clones of all jobs counted from 1 in job order), `PREFIX_bw.log` with per_job_logs=0
/// (the clones' lines one after another). A file that exists is refused before the run unless
/// the user gave --overwrite: fio overwrites its logs, tierbench writes nothing it was not asked to.
public enum FioLogWriter {
    public enum Kind: String, CaseIterable, Sendable {
        case bw, iops, lat, clat, slat
    }

    /// Which log files each clone of each job writes: (job index, clone, kind, path), in order.
    public static func files(_ specs: [JobSpec]) -> [(job: Int, clone: Int, kind: Kind, path: String)] {
        var out: [(Int, Int, Kind, String)] = []
        var thread = 0
        for (j, spec) in specs.enumerated() {
            for clone in 0..<spec.numjobs {
                thread += 1
                guard let logs = spec.logs else { continue }
                let prefixes: [(String?, [Kind])] = [(logs.bandwidth, [.bw]), (logs.iops, [.iops]), (logs.latency, [.lat, .clat, .slat])]
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
            guard let ms = spec.logs?.averageMilliseconds else { continue }
            if let (other, name) = chosen, other != ms {
                throw InputError("job `\(spec.name)` gives log_avg_msec=\(ms) but job `\(name)` gives log_avg_msec=\(other); a tierbench run has one interval, which is what log_avg_msec sets: give every job the same")
            }
            chosen = (ms, spec.name)
        }
        return chosen.map { UInt64($0.0) * 1_000_000 }
    }

    /// Refuses log files that exist (unless `overwrite`), before anything runs.
    public static func check(_ specs: [JobSpec], overwrite: Bool) throws(InputError) {
        guard !overwrite else { return }
        for path in Set(files(specs).map(\.path)).sorted() where access(path, F_OK) == 0 {
            throw InputError("the fio log \(path) exists; remove it, give the job another log prefix, or --overwrite to replace it (tierbench writes no file it was not asked to)")
        }
    }

    /// The text of each log file for a run's results, in `files` order.
    public static func render(_ specs: [JobSpec], results: [JobResult]) -> [(path: String, text: String)] {
        var texts: [String: String] = [:]
        var order: [String] = []
        for f in files(specs) {
            guard let r = results.first(where: { $0.jobIndex == f.job && $0.clone == f.clone }) else { continue }
            let logs = specs[f.job].logs!
            if texts[f.path] == nil { texts[f.path] = ""; order.append(f.path) }
            texts[f.path]! += lines(r.intervals, kind: f.kind, offset: logs.offset)
        }
        return order.map { ($0, texts[$0]!) }
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
                }
                text += offset ? "\(ms), \(value), \(ddir), 0, 0, 0\n" : "\(ms), \(value), \(ddir), 0, 0\n"
            }
        }
        return text
    }

    /// Writes the logs; returns the paths written and a message per file that could not be.
    public static func write(_ specs: [JobSpec], results: [JobResult], overwrite: Bool) -> (written: [String], errors: [String]) {
        var written: [String] = [], errors: [String] = []
        for (path, text) in render(specs, results: results) {
            let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (overwrite ? O_TRUNC : O_EXCL), 0o644)
            guard fd >= 0 else { errors.append("cannot write the fio log \(path): \(String(cString: strerror(errno)))"); continue }
            var ok = true
            Array(text.utf8).withUnsafeBytes { raw in
                var done = 0
                while done < raw.count {
                    let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
                    if n < 0 { if errno == EINTR { continue }; ok = false; break }
                    done += n
                }
            }
            if close(fd) != 0 { ok = false }
            if ok { written.append(path) } else { errors.append("cannot write the fio log \(path): \(String(cString: strerror(errno)))") }
        }
        return (written, errors)
    }
}
