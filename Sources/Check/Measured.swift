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

    public init(iops: Double, bandwidthBytesPerSecond: Double, latP50Ns: Double?, latP99Ns: Double?, latMeanNs: Double?) {
        self.iops = iops; self.bandwidthBytesPerSecond = bandwidthBytesPerSecond
        self.latP50Ns = latP50Ns; self.latP99Ns = latP99Ns; self.latMeanNs = latMeanNs
    }
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
    public static func load(_ path: String) throws(ResultsError) -> [MeasuredJob] { try loadWithRun(path).jobs }

    /// `load`, and the `tierbench/1` run itself when the file is one (nil for a fio result).
    public static func loadWithRun(_ path: String) throws(ResultsError) -> (jobs: [MeasuredJob], run: RunResult?) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ResultsError("--results \(path): cannot read the file; give a tierbench or fio JSON result")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ResultsError("--results \(path): not a JSON object; give the output of `tierbench run --output-format json` or `fio --output-format=json`")
        }
        if let schema = object["schema"] as? String {
            guard schema == RunResult.schemaVersion else {
                throw ResultsError("--results \(path): schema `\(schema)` is not \(RunResult.schemaVersion); give a `tierbench run --output-format json` result")
            }
            do {
                let run = try JSONReport.decode(data)
                return (jobs(of: run), run)
            } catch {
                throw ResultsError("--results \(path): not a valid \(RunResult.schemaVersion) document (\(Self.describe(error)))")
            }
        }
        if object["fio version"] != nil { return (try fioJobs(object, path: path), nil) }
        throw ResultsError("--results \(path): neither a tierbench result (no `schema`) nor a fio result (no `fio version`)")
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
    static func fioJobs(_ object: [String: Any], path: String) throws(ResultsError) -> [MeasuredJob] {
        guard let jobs = object["jobs"] as? [[String: Any]], !jobs.isEmpty else {
            throw ResultsError("--results \(path): the fio result has no jobs")
        }
        let global = object["global options"] as? [String: String] ?? [:]
        var out: [MeasuredJob] = []
        for job in jobs {
            let name = job["jobname"] as? String ?? "job"
            let options = global.merging(job["job options"] as? [String: String] ?? [:]) { _, own in own }
            func fail(_ m: String) -> ResultsError { ResultsError("--results \(path): fio job `\(name)`: \(m)") }
            guard let rwText = options["rw"] ?? options["readwrite"] else {
                throw fail("no `rw` in its options; tierbench judges a job by its workload")
            }
            let kind: ReadWrite
            do { kind = try ReadWrite.parse(String(rwText.split(separator: ":")[0])).0 } catch { throw fail("rw `\(rwText)` is not a workload tierbench knows") }
            var bs: UInt64 = 4096
            if let b = options["bs"] ?? options["blocksize"] {
                do { bs = try Units.parseSize(String(b.split(separator: ",")[0]), option: "bs") } catch { throw fail("bs `\(b)`: \(error.message)") }
            }
            let depth = Int(options["iodepth"] ?? "1") ?? 1
            let mix = Int(options["rwmixread"] ?? "") ?? (Int(options["rwmixwrite"] ?? "").map { 100 - $0 } ?? 50)
            func dir(_ key: String) -> MeasuredDirection? {
                guard let d = job[key] as? [String: Any], let ios = (d["total_ios"] as? NSNumber)?.intValue, ios > 0 else { return nil }
                let lat = d["lat_ns"] as? [String: Any]
                let pct = (lat?["percentile"] as? [String: Any]) ?? ((d["clat_ns"] as? [String: Any])?["percentile"] as? [String: Any])
                func p(_ key: String) -> Double? { (pct?[key] as? NSNumber)?.doubleValue }
                return MeasuredDirection(
                    iops: (d["iops"] as? NSNumber)?.doubleValue ?? 0,
                    bandwidthBytesPerSecond: (d["bw_bytes"] as? NSNumber)?.doubleValue ?? 0,
                    latP50Ns: p("50.000000"), latP99Ns: p("99.000000"),
                    latMeanNs: (lat?["mean"] as? NSNumber)?.doubleValue)
            }
            out.append(MeasuredJob(
                name: name, rw: kind, rwmixread: mix, blockSizeBytes: bs, iodepth: depth,
                read: kind.reads ? dir("read") : nil, write: kind.writes ? dir("write") : nil,
                failed: ((job["error"] as? NSNumber)?.intValue ?? 0) != 0))
        }
        return out
    }
}
