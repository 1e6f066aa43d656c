import Harness
import Stats
import Workload

/// A published storage requirement that `check --requirement NAME` measures and judges: the job
/// its authors run and the bound they give on the sync operations' latency. Built in, with the
/// sources it comes from; `etcd` is the one there is today.
public struct Requirement: Sendable {
    public let name: String
    /// What it asks, in its authors' words.
    public let summary: String
    /// The job to run on a directory of the volume (the file is created there and removed after).
    public let job: JobSpec
    /// The bound: this percentile of the sync operations' durations at most `limitNanoseconds`.
    public let percentile: Double
    public let limitNanoseconds: UInt64
    /// Where the job and the bound are published.
    public let sources: [String]

    /// etcd's disk guidance: fdatasync p99 under 10 ms, measured with the job etcd's maintainers
    /// and IBM's write-up use (`fio --rw=write --ioengine=sync --fdatasync=1 --size=22m --bs=2300`:
    /// about the size and block of etcd's WAL writes, each followed by an fdatasync, buffered).
    public static let etcd: Requirement = {
        var job = JobSpec(name: "etcd-wal", rw: .write, blockSizeBytes: 2300, iodepth: 1, sizeBytes: 22 << 20, direct: false, ioengine: .psync)
        job.durability = Durability(fdatasyncEvery: 1)
        return Requirement(
            name: "etcd", summary: "etcd's WAL: the 99th percentile of fdatasync durations under 10 ms", job: job,
            percentile: 99, limitNanoseconds: 10_000_000,
            sources: [
                "etcd hardware guide and FAQ: https://etcd.io/docs/v3.5/op-guide/hardware/, https://etcd.io/docs/v3.5/faq/ (wal fsync p99 under 10 ms)",
                "prometheus-operator runbook etcdHighFsyncDurations: https://runbooks.prometheus-operator.dev/runbooks/etcd/etcdhighfsyncdurations/",
                "Olivi and Spreitzer, \"Using Fio to Tell Whether Your Storage is Fast Enough for Etcd\", IBM Cloud blog, 2019-04-18: https://www.ibm.com/blogs/cloud-archive/2019/04/using-fio-to-tell-whether-your-storage-is-fast-enough-for-etcd/",
            ])
    }()

    public static let builtIn: [Requirement] = [.etcd]

    /// The built-in requirement called `name`.
    /// - Throws: a message naming the ones there are.
    public static func named(_ name: String) throws(InputError) -> Requirement {
        guard let r = builtIn.first(where: { $0.name == name.lowercased() }) else {
            throw InputError(option: "requirement", value: name, " is not a requirement tierbench knows; give \(builtIn.map(\.name).joined(separator: ", "))")
        }
        return r
    }

    /// Judges the sync operations of `result` (every job's, together) against the bound.
    public func judge(_ result: RunResult) -> RequirementVerdict {
        var stat = LatencyStat()
        var fsyncs: UInt64 = 0, fdatasyncs: UInt64 = 0
        for a in result.aggregates {
            guard let s = a.sync else { continue }
            fsyncs += s.fsyncs; fdatasyncs += s.fdatasyncs
            if let l = LatencyStat(report: s.latNs) { stat.add(l) }
        }
        let syncs = fsyncs + fdatasyncs
        let measured = syncs > 0 && stat.count > 0 ? stat.value(atPercentile: percentile) : nil
        return RequirementVerdict(
            requirement: name, summary: summary, percentile: percentile, limitNs: limitNanoseconds, measuredNs: measured,
            fsyncs: fsyncs, fdatasyncs: fdatasyncs, passed: measured.map { $0 <= limitNanoseconds } ?? false,
            note: measured == nil ? "no sync operations were measured: the job wrote nothing or failed" : nil, sources: sources)
    }
}

/// What `check --requirement` found.
public struct RequirementVerdict: Codable, Sendable, Equatable {
    public var requirement: String
    public var summary: String
    public var percentile: Double
    public var limitNs: UInt64
    /// The measured percentile of the syncs' durations; nil when none was measured.
    public var measuredNs: UInt64?
    public var fsyncs: UInt64
    public var fdatasyncs: UInt64
    public var passed: Bool
    public var note: String?
    public var sources: [String]

    /// `etcd: fdatasync p99 2.31 ms over 10029 fdatasyncs, limit 10 ms: pass`, then the sources.
    public var human: String {
        let kind = SyncSummary.kind(fsyncs: fsyncs, fdatasyncs: fdatasyncs)
        let p = percentile == percentile.rounded() ? "\(Int(percentile))" : "\(percentile)"
        var out = "\(requirement): \(summary)\n"
        if let m = measuredNs {
            out += "\(kind) p\(p) \(Self.milliseconds(m)) over \(fsyncs + fdatasyncs) \(kind)s, limit \(Self.milliseconds(limitNs)): \(passed ? "pass" : "FAIL")\n"
        } else {
            out += "FAIL: \(note ?? "nothing measured")\n"
        }
        out += "sources:\n" + sources.map { "  \($0)\n" }.joined()
        return out
    }

    static func milliseconds(_ ns: UInt64) -> String {
        let ms = Double(ns) / 1e6
        let text = ms >= 100 ? String(Int(ms.rounded())) : String(Double(Int((ms * 100).rounded())) / 100)
        return "\(text.hasSuffix(".0") ? String(text.dropLast(2)) : text) ms"
    }
}
