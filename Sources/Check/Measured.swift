import Foundation
import Harness
import Report
import Stats
import Workload

/// One job's measurements as the judge needs them, from a tierbench run or a fio JSON result.
public struct MeasuredJob: Sendable {
    public var name: String
    public var rw: ReadWrite
    public var rwmixread: Int
    public var blockSizeBytes: UInt64
    public var iodepth: Int
    public var read: MeasuredDirection?
    public var write: MeasuredDirection?
    /// The 1-second series (empty for fio JSON, which has none).
    public var intervals: [IntervalSample]
    public var intervalNs: UInt64
    public var interrupted: Bool
    public var failed: Bool
    /// fio only: the job's options (its own over the global ones), as fio wrote them.
    public var options: [String: String] = [:]
    /// fio only: its `sync` section, the latency of the job's fsync/fdatasync operations (fio
    /// counts them in `lat_ns.N`); nil when the job issued none.
    public var fioSync: FioLatencyDetail?
    /// fio only: the job's runtime (`job_runtime`), in milliseconds.
    public var fioRuntimeMilliseconds: Double?

    public init(name: String, rw: ReadWrite, rwmixread: Int, blockSizeBytes: UInt64, iodepth: Int,
                read: MeasuredDirection?, write: MeasuredDirection?, intervals: [IntervalSample] = [],
                intervalNs: UInt64 = 1_000_000_000, interrupted: Bool = false, failed: Bool = false) {
        self.name = name; self.rw = rw; self.rwmixread = rwmixread; self.blockSizeBytes = blockSizeBytes
        self.iodepth = iodepth; self.read = read; self.write = write; self.intervals = intervals
        self.intervalNs = intervalNs; self.interrupted = interrupted; self.failed = failed
    }
}

public struct MeasuredDirection: Sendable {
    public var iops: Double
    public var bandwidthBytesPerSecond: Double
    /// Total latency (submission to completion) percentiles and mean, in nanoseconds.
    public var latP50Ns: Double?
    public var latP99Ns: Double?
    public var latMeanNs: Double?
    /// fio only: everything else fio reported for the direction (for the run history).
    public var fio: FioDirectionDetail?

    public init(iops: Double, bandwidthBytesPerSecond: Double, latP50Ns: Double?, latP99Ns: Double?, latMeanNs: Double?) {
        self.iops = iops; self.bandwidthBytesPerSecond = bandwidthBytesPerSecond
        self.latP50Ns = latP50Ns; self.latP99Ns = latP99Ns; self.latMeanNs = latMeanNs
    }
}

/// What fio reported for one direction beyond the judge's numbers: counts, the three latency
/// measures with their percentiles (and bins, from json+), the spread over fio's samples.
public struct FioDirectionDetail: Sendable {
    public var ios: UInt64
    public var bytes: UInt64
    public var runtimeMilliseconds: Double
    /// "lat", "clat", "slat" (those fio reported).
    public var latency: [String: FioLatencyDetail]
    /// fio's iops_min, iops_max, iops_mean, iops_stddev, iops_samples.
    public var iopsSpread: [String: Double]
    /// fio's bw_min ... bw_dev in bytes per second (fio writes KiB/s), and bw_samples.
    public var bandwidthSpreadBytesPerSecond: [String: Double]
}

/// One latency measure as fio reported it, in nanoseconds.
public struct FioLatencyDetail: Sendable {
    public var count: UInt64
    public var min: Double
    public var max: Double
    public var mean: Double
    public var stddev: Double
    /// Percentile (e.g. 99.9) -> nanoseconds.
    public var percentiles: [Double: Double]
    /// json+ only: (nanoseconds, count) per non-empty bin, ascending.
    public var bins: [(nanoseconds: UInt64, count: UInt64)]
}

/// A results file as read: a whole tierbench run, or fio's jobs with what fio says of the run.
public enum ResultsFile: Sendable {
    case tierbench(RunResult)
    case fio(FioResults)
}

public struct FioResults: Sendable {
    /// "fio-3.33".
    public var version: String
    /// fio's `timestamp`: seconds since the epoch when the run ended.
    public var timestampSeconds: Double?
    /// Devices in fio's `disk_util`.
    public var disks: [String]
    public var jobs: [MeasuredJob]
}

/// A results file that cannot be judged.
public struct ResultsError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

public enum MeasuredResults {
    /// The jobs of a tierbench run (one per job, its clones merged).
    public static func jobs(of result: RunResult) -> [MeasuredJob] {
        result.aggregates.compactMap { agg in
            guard let spec = result.jobs.first(where: { $0.jobIndex == agg.jobIndex })?.parameters else { return nil }
            func dir(_ s: DirectionSummary?) -> MeasuredDirection? {
                guard let s else { return nil }
                return MeasuredDirection(
                    iops: s.iops, bandwidthBytesPerSecond: s.bandwidthBytesPerSecond,
                    latP50Ns: s.latNs.value(at: 50).map { Double($0) },
                    latP99Ns: s.latNs.value(at: 99).map { Double($0) },
                    latMeanNs: s.latNs.count > 0 ? s.latNs.mean : nil)
            }
            // The mean I/O size: the block size, or what a bssplit/bsrange job averaged.
            let ios = (agg.read?.ios ?? 0) + (agg.write?.ios ?? 0)
            let bytes = (agg.read?.bytes ?? 0) + (agg.write?.bytes ?? 0)
            let meanBlock = ios > 0 ? max(1, bytes / ios) : spec.blockSizeBytes
            return MeasuredJob(
                name: agg.name, rw: spec.rw, rwmixread: spec.rwmixread, blockSizeBytes: meanBlock,
                iodepth: spec.iodepth, read: dir(agg.read), write: dir(agg.write), intervals: agg.intervals,
                intervalNs: result.settings.intervalNs, interrupted: agg.interrupted, failed: agg.failed)
        }
    }

    /// Reads a results file: tierbench's `tierbench/1` JSON or fio's JSON (`--output-format=json`
    /// or `json+`). Named in every error.
    public static func load(_ path: String) throws(ResultsError) -> [MeasuredJob] {
        switch try read(path) {
        case .tierbench(let result): return jobs(of: result)
        case .fio(let fio): return fio.jobs
        }
    }

    /// `load`, and the `tierbench/1` run itself when the file is one (nil for a fio result).
    public static func loadWithRun(_ path: String) throws(ResultsError) -> (jobs: [MeasuredJob], run: RunResult?) {
        switch try read(path) {
        case .tierbench(let result): return (jobs(of: result), result)
        case .fio(let fio): return (fio.jobs, nil)
        }
    }

    /// Reads a results file whole (the run history keeps all of it). `option` names the file in
    /// errors (`--results`, `history import`).
    public static func read(_ path: String, option: String = "--results") throws(ResultsError) -> ResultsFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ResultsError("\(option) \(path): cannot read the file; give a tierbench or fio JSON result")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ResultsError("\(option) \(path): not a JSON object; give the output of `tierbench run --output-format json` or `fio --output-format=json`")
        }
        if let schema = object["schema"] as? String {
            guard schema == RunResult.schemaVersion else {
                throw ResultsError("\(option) \(path): schema `\(schema)` is not \(RunResult.schemaVersion); give a `tierbench run --output-format json` result")
            }
            do {
                return .tierbench(try JSONReport.decode(data))
            } catch {
                throw ResultsError("\(option) \(path): not a valid \(RunResult.schemaVersion) document (\(Self.describe(error)))")
            }
        }
        if let version = object["fio version"] as? String {
            let disks = (object["disk_util"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            return .fio(FioResults(version: version, timestampSeconds: (object["timestamp"] as? NSNumber)?.doubleValue, disks: disks,
                                   jobs: try fioJobs(object, path: path, option: option)))
        }
        throw ResultsError("\(option) \(path): neither a tierbench result (no `schema`) nor a fio result (no `fio version`)")
    }

    static func describe(_ error: any Error) -> String {
        if case DecodingError.keyNotFound(let key, let ctx) = error {
            return "missing `\((ctx.codingPath + [key]).map(\.stringValue).joined(separator: "."))`"
        }
        if case DecodingError.typeMismatch(_, let ctx) = error {
            return "wrong type at `\(ctx.codingPath.map(\.stringValue).joined(separator: "."))`"
        }
        return "\(error)"
    }

    /// fio's JSON: each job's options (its own over the global ones) and per-direction results.
    static func fioJobs(_ object: [String: Any], path: String, option: String = "--results") throws(ResultsError) -> [MeasuredJob] {
        guard let jobs = object["jobs"] as? [[String: Any]], !jobs.isEmpty else {
            throw ResultsError("\(option) \(path): the fio result has no jobs")
        }
        let global = object["global options"] as? [String: String] ?? [:]
        var out: [MeasuredJob] = []
        for job in jobs {
            let name = job["jobname"] as? String ?? "job"
            let options = global.merging(job["job options"] as? [String: String] ?? [:]) { _, own in own }
            func fail(_ m: String) -> ResultsError { ResultsError("\(option) \(path): fio job `\(name)`: \(m)") }
            guard let rwText = options["rw"] ?? options["readwrite"] else {
                throw fail("no `rw` in its options; tierbench judges a job by its workload")
            }
            let kind: ReadWrite
            do { kind = try ReadWrite.parse(String(rwText.split(separator: ":")[0])).0 } catch { throw fail("rw `\(rwText)` is not a workload tierbench knows") }
            var bs: UInt64 = 4096
            if let b = options["bs"] ?? options["blocksize"] {
                do { bs = try Units.parseSize(String(b.split(separator: ",")[0]), option: "bs") } catch { throw fail("bs `\(b)`: \(error.message(.plain))") }
            }
            let depth = Int(options["iodepth"] ?? "1") ?? 1
            let mix = Int(options["rwmixread"] ?? "") ?? (Int(options["rwmixwrite"] ?? "").map { 100 - $0 } ?? 50)
            func dir(_ key: String) -> MeasuredDirection? {
                guard let d = job[key] as? [String: Any], let ios = (d["total_ios"] as? NSNumber)?.intValue, ios > 0 else { return nil }
                let lat = d["lat_ns"] as? [String: Any]
                let pct = (lat?["percentile"] as? [String: Any]) ?? ((d["clat_ns"] as? [String: Any])?["percentile"] as? [String: Any])
                func p(_ key: String) -> Double? { (pct?[key] as? NSNumber)?.doubleValue }
                var direction = MeasuredDirection(
                    iops: (d["iops"] as? NSNumber)?.doubleValue ?? 0,
                    bandwidthBytesPerSecond: (d["bw_bytes"] as? NSNumber)?.doubleValue ?? 0,
                    latP50Ns: p("50.000000"), latP99Ns: p("99.000000"),
                    latMeanNs: (lat?["mean"] as? NSNumber)?.doubleValue)
                direction.fio = fioDetail(d, ios: UInt64(ios))
                return direction
            }
            var measured = MeasuredJob(
                name: name, rw: kind, rwmixread: mix, blockSizeBytes: bs, iodepth: depth,
                read: kind.reads ? dir("read") : nil, write: kind.writes ? dir("write") : nil,
                failed: ((job["error"] as? NSNumber)?.intValue ?? 0) != 0)
            measured.options = options
            measured.fioSync = ((job["sync"] as? [String: Any])?["lat_ns"] as? [String: Any]).flatMap(latencyDetail)
            measured.fioRuntimeMilliseconds = (job["job_runtime"] as? NSNumber)?.doubleValue
            out.append(measured)
        }
        return out
    }

    /// One of fio's latency objects (`lat_ns`, `clat_ns`, ...): nil when it counts nothing.
    static func latencyDetail(_ m: [String: Any]) -> FioLatencyDetail? {
        func number(_ o: Any?) -> Double? { (o as? NSNumber)?.doubleValue }
        guard let n = number(m["N"]), n > 0 else { return nil }
        var percentiles: [Double: Double] = [:]
        for (key, value) in m["percentile"] as? [String: Any] ?? [:] {
            if let p = Double(key), let v = number(value) { percentiles[p] = v }
        }
        let bins = (m["bins"] as? [String: Any] ?? [:]).compactMap { key, value -> (nanoseconds: UInt64, count: UInt64)? in
            guard let ns = UInt64(key), let c = (value as? NSNumber)?.uint64Value, c > 0 else { return nil }
            return (ns, c)
        }.sorted { $0.nanoseconds < $1.nanoseconds }
        return FioLatencyDetail(count: UInt64(n), min: number(m["min"]) ?? 0, max: number(m["max"]) ?? 0,
                                mean: number(m["mean"]) ?? 0, stddev: number(m["stddev"]) ?? 0, percentiles: percentiles, bins: bins)
    }

    /// The rest of a fio direction: counts, lat/clat/slat with percentiles and json+ bins, spreads.
    static func fioDetail(_ d: [String: Any], ios: UInt64) -> FioDirectionDetail {
        func number(_ o: Any?) -> Double? { (o as? NSNumber)?.doubleValue }
        var latency: [String: FioLatencyDetail] = [:]
        for measure in ["lat", "clat", "slat"] {
            if let m = d["\(measure)_ns"] as? [String: Any], let detail = latencyDetail(m) { latency[measure] = detail }
        }
        var iops: [String: Double] = [:], bw: [String: Double] = [:]
        for key in ["min", "max", "mean", "stddev", "samples"] { iops[key] = number(d["iops_\(key)"]) }
        for (key, fioKey) in [("min", "bw_min"), ("max", "bw_max"), ("mean", "bw_mean"), ("stddev", "bw_dev")] {
            bw[key] = number(d[fioKey]).map { $0 * 1024 }
        }
        bw["samples"] = number(d["bw_samples"])
        return FioDirectionDetail(ios: ios, bytes: (d["io_bytes"] as? NSNumber)?.uint64Value ?? 0,
                                  runtimeMilliseconds: number(d["runtime"]) ?? 0, latency: latency,
                                  iopsSpread: iops, bandwidthSpreadBytesPerSecond: bw)
    }
}
