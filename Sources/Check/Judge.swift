import Foundation
import Profiles
import Stats
import Workload

/// A tier's promise for one volume, and the share rule the judge applies.
public struct CheckSubject: Sendable {
    public var resolved: ResolvedClass
    public var expectation: VolumeExpectation
    public var lint: [LintFinding]
    public var profile: Profile { resolved.profile }
    public var label: String { resolved.storageClass.name }

    public init(_ resolved: ResolvedClass) throws(ProfileEvaluationError) {
        self.resolved = resolved
        expectation = try resolved.expectation()
        lint = resolved.lint()
    }
}

/// "At least `shareOfExpected` of the expected rate in at least `shareOfTime` of the intervals."
public struct Promise: Sendable, Codable, Equatable {
    public var shareOfExpected: Double
    public var shareOfTime: Double
    /// Where the shares come from (the profile, tierbench's default, the command line).
    public var source: String

    /// Used where a tier publishes no share: tierbench's choice, not the provider's.
    public static let defaultShareOfExpected = 0.9
    public static let defaultShareOfTime = 0.9

    public init(shareOfExpected: Double, shareOfTime: Double, source: String) {
        self.shareOfExpected = shareOfExpected; self.shareOfTime = shareOfTime; self.source = source
    }

    /// The profile's consistency promise, each share overridable; missing shares take the defaults.
    public static func of(_ profile: Profile, shareOfExpected: Double? = nil, shareOfTime: Double? = nil) -> Promise {
        let c = profile.consistency.value
        var parts: [String] = []
        func pick(_ given: Double?, _ published: Double?, _ fallback: Double, _ what: String) -> Double {
            if let given { parts.append("\(what) from the command line"); return given }
            if let published { parts.append("\(what) published for \(profile.name)"); return published }
            parts.append("\(what) tierbench's default (\(profile.name) publishes none)")
            return fallback
        }
        let e = pick(shareOfExpected, c?.shareOfProvisioned, defaultShareOfExpected, "share of expected")
        let t = pick(shareOfTime, c?.shareOfTime, defaultShareOfTime, "share of time")
        return Promise(shareOfExpected: e, shareOfTime: t, source: parts.joined(separator: "; "))
    }
}

public enum Verdict: String, Codable, Sendable {
    case pass, fail
    /// Far above what the tier can deliver: a cache in front of the disk, or not the class assumed.
    case suspicious
    /// Nothing to judge against (the tier does not publish it).
    case notJudged = "not_judged"
    /// Reported, not judged (the burst phase: the bucket's state before the run is unknown).
    case info
}

public enum MetricKind: String, Codable, Sendable {
    case iops, throughput
    case latencyP50 = "latency_p50", latencyP99 = "latency_p99", latencyMean = "latency_mean"
    case burst
}

/// One judged metric: what the tier promises, what was measured, the verdict and why.
public struct MetricResult: Sendable, Codable {
    public var metric: String
    public var job: String
    public var kind: MetricKind
    public var unit: String
    public var expected: Double?
    /// Rates: the median over the judged intervals (or the job's mean without intervals); latency: the percentile or mean.
    public var measured: Double?
    public var ratio: Double?
    /// The rate an interval has to reach (share of expected), for rate metrics.
    public var threshold: Double?
    public var intervalsJudged: Int
    public var intervalsAtThreshold: Int
    public var verdict: Verdict
    public var reason: String
}

/// Judges measured jobs against a subject. Which metrics a job yields follows from its workload:
/// a random job at queue depth 1 is a latency test (p50, p99, mean); another random job an IOPS
/// test (read, write, or both together for a mix); a sequential job a throughput test. Expected
/// rates follow the tier's I/O accounting: an I/O larger than the counted size costs several.
public struct Judge: Sendable {
    public var subject: CheckSubject
    public var promise: Promise
    /// Intervals before this offset from the measured start are not judged (`--sustained`: the credit bucket drains first).
    public var skipNanoseconds: UInt64 = 0
    /// A median above this multiple of the tier's ceiling is suspicious.
    public static let suspiciousFactor = 2.0

    public init(subject: CheckSubject, promise: Promise, skipNanoseconds: UInt64 = 0) {
        self.subject = subject; self.promise = promise; self.skipNanoseconds = skipNanoseconds
    }

    var e: VolumeExpectation { subject.expectation }

    // MARK: - Expected rates

    /// I/Os the provider counts for one I/O of `bs` bytes.
    func counted(_ bs: Double) -> Double {
        guard let kib = subject.profile.ioAccounting.value?.ioSizeKiB, kib > 0 else { return 1 }
        return max(1, (bs / (kib * 1024)).rounded(.up))
    }

    func level(_ d: VolumeExpectation.Directions, _ write: Bool) -> VolumeExpectation.Level { write ? d.write : d.read }

    /// The highest rate the tier can give: the maximum, or a burst bucket's rate when higher.
    func ceilingIOPS(_ write: Bool) -> Double? {
        let l = level(e.iops, write)
        let burst = e.burst?.buckets.filter { $0.measures == .iops }.map(\.rate).max()
        return [l.maximum ?? l.baseline, burst].compactMap { $0 }.max()
    }

    func ceilingThroughput(_ write: Bool) -> Double? {
        let l = level(e.throughputBytesPerSecond, write)
        let burst = e.burst?.buckets.filter { $0.measures == .throughput }.map { $0.rate * e.throughputUnit.bytesPerSecond }.max()
        return [l.maximum ?? l.baseline, burst].compactMap { $0 }.max()
    }

    /// Expected IOPS at block size `bs` in one direction (nil when the tier publishes no IOPS
    /// baseline): the IOPS per counted I/O, and no more than the throughput allows.
    public func expectedIOPS(bs: UInt64, write: Bool, ceiling: Bool = false) -> Double? {
        let b = Double(bs)
        guard let iops = ceiling ? ceilingIOPS(write) : level(e.iops, write).baseline else { return nil }
        var r = iops / counted(b)
        if let tp = ceiling ? ceilingThroughput(write) : level(e.throughputBytesPerSecond, write).baseline { r = min(r, tp / b) }
        return r
    }

    /// Expected throughput in bytes per second at block size `bs` (nil without a throughput
    /// baseline): the throughput, and no more than the IOPS allow.
    public func expectedThroughput(bs: UInt64, write: Bool, ceiling: Bool = false) -> Double? {
        let b = Double(bs)
        guard let tp = ceiling ? ceilingThroughput(write) : level(e.throughputBytesPerSecond, write).baseline else { return nil }
        var r = tp
        if let iops = ceiling ? ceilingIOPS(write) : level(e.iops, write).baseline { r = min(r, iops / counted(b) * b) }
        return r
    }

    /// A mix's expected total rate: the time one I/O (or byte) takes on average, weighted by
    /// the mix (the weighted harmonic mean); one direction alone is its own rate.
    static func mix(readShare: Double, read: Double?, write: Double?) -> Double? {
        if readShare >= 1 { return read }
        if readShare <= 0 { return write }
        guard let r = read, let w = write, r > 0, w > 0 else { return nil }
        return 1 / (readShare / r + (1 - readShare) / w)
    }

    // MARK: - Judging

    public func judge(_ job: MeasuredJob) -> [MetricResult] {
        if job.rw.isRandom && job.iodepth == 1 { return latency(job) }
        let kind: MetricKind = job.rw.isRandom ? .iops : .throughput
        let readShare = job.rw.isMixed ? Double(job.rwmixread) / 100 : (job.rw.reads ? 1 : 0)
        func expected(ceiling: Bool) -> Double? {
            func one(_ write: Bool) -> Double? {
                kind == .iops ? expectedIOPS(bs: job.blockSizeBytes, write: write, ceiling: ceiling)
                    : expectedThroughput(bs: job.blockSizeBytes, write: write, ceiling: ceiling)
            }
            return Self.mix(readShare: readShare, read: one(false), write: one(true))
        }
        // A direction the job does not use is absent (nil), so read + write is the job's rate.
        func value(_ d: IntervalDirection?) -> Double { d.map { kind == .iops ? $0.iops : $0.bandwidthBytesPerSecond } ?? 0 }
        func value(_ s: IntervalSample) -> Double { value(s.read) + value(s.write) }
        let mean = [job.read, job.write].compactMap { $0 }.map { kind == .iops ? $0.iops : $0.bandwidthBytesPerSecond }.reduce(0, +)
        let full = job.intervals.filter { $0.durationNs * 20 >= job.intervalNs * 19 }
        let series = full.filter { $0.startNs >= skipNanoseconds }.map(value)
        let label = job.rw.isMixed ? "read+write" : job.rw.reads ? "read" : "write"
        let name = "\(job.name) \(label) \(kind == .iops ? "IOPS" : "throughput")"
        var results = [rate(name: name, job: job, kind: kind, expected: expected(ceiling: false), ceiling: expected(ceiling: true),
                            series: series, mean: job.read == nil && job.write == nil ? nil : mean)]
        if let burst = burstInfo(job, kind: kind, first: full.prefix(5).map(value)) { results.append(burst) }
        return results
    }

    func unitFor(_ kind: MetricKind) -> (String, Double) {
        switch kind {
        case .iops: ("IOPS", 1)
        case .throughput, .burst: ("\(e.throughputUnit.rawValue)", e.throughputUnit.bytesPerSecond)
        case .latencyP50, .latencyP99, .latencyMean: ("ms", 1e6)
        }
    }

    func rate(name: String, job: MeasuredJob, kind: MetricKind, expected: Double?, ceiling: Double?, series: [Double], mean: Double?) -> MetricResult {
        let (unit, scale) = unitFor(kind)
        var r = MetricResult(metric: name, job: job.name, kind: kind, unit: unit, expected: expected.map { $0 / scale }, measured: nil, ratio: nil,
                             threshold: nil, intervalsJudged: 0, intervalsAtThreshold: 0, verdict: .notJudged, reason: "")
        let values = series.isEmpty ? (mean.map { [$0] } ?? []) : series
        guard !values.isEmpty else {
            r.reason = "nothing was measured"
            r.verdict = .fail
            return r
        }
        let median = Self.median(values)
        r.measured = median / scale
        let what = kind == .iops ? "IOPS" : "throughput"
        guard let expected, expected > 0 else {
            r.reason = "\(subject.profile.name) publishes no \(what) baseline for this workload; measured only"
            return r
        }
        r.ratio = median / expected
        let threshold = promise.shareOfExpected * expected
        r.threshold = threshold / scale
        let reached = values.filter { $0 >= threshold }.count
        r.intervalsJudged = series.count
        r.intervalsAtThreshold = series.isEmpty ? 0 : reached
        let basis = series.isEmpty ? "the run's mean (the result has no 1-second series)" : "\(reached)/\(values.count) intervals"
        let rule = "\(pct(promise.shareOfExpected)) of \(num(expected / scale)) \(unit) in \(pct(promise.shareOfTime)) of the time"
        if Double(reached) / Double(values.count) + 1e-12 < promise.shareOfTime {
            r.verdict = .fail
            r.reason = "\(basis) reached \(num(threshold / scale)) \(unit); the tier promises \(rule); median \(num(median / scale))"
        } else if let ceiling, median > Self.suspiciousFactor * ceiling {
            r.verdict = .suspicious
            r.reason = "median \(num(median / scale)) \(unit) is \(String(format: "%.1f", median / ceiling))x the most \(subject.profile.name) can deliver (\(num(ceiling / scale))): a cache in front of the disk, or not the class assumed"
        } else {
            r.verdict = .pass
            r.reason = "\(basis) reached \(num(threshold / scale)) \(unit) (\(rule))"
        }
        return r
    }

    /// The burst phase: the first seconds of a job, against the burst rate of a credit bucket.
    func burstInfo(_ job: MeasuredJob, kind: MetricKind, first: [Double]) -> MetricResult? {
        guard let burst = e.burst, burst.model == .credits,
            let bucket = burst.buckets.first(where: { ($0.measures == .iops) == (kind == .iops) })
        else { return nil }
        let (unit, scale) = unitFor(kind == .iops ? .iops : .burst)
        let rateValue = kind == .iops ? bucket.rate : bucket.rate * e.throughputUnit.bytesPerSecond
        let seconds = bucket.fullBucketSeconds.map { "a full bucket lasts \(Self.duration($0))" } ?? "the burst rate does not exceed the earn rate"
        return MetricResult(
            metric: "\(job.name) burst", job: job.name, kind: .burst, unit: unit, expected: rateValue / scale,
            measured: first.isEmpty ? nil : Self.median(first) / scale, ratio: first.isEmpty ? nil : Self.median(first) / rateValue,
            threshold: nil, intervalsJudged: first.count, intervalsAtThreshold: 0, verdict: .info,
            reason: "first \(first.count) s against the burst rate \(num(rateValue / scale)) \(unit); \(seconds); how full the bucket was before the run is unknown")
    }

    func latency(_ job: MeasuredJob) -> [MetricResult] {
        var out: [MetricResult] = []
        let published = subject.profile.latency.value
        for (label, d, write) in [("read", job.read, false), ("write", job.write, true)] {
            guard let d else { continue }
            let upper = write ? published?.writeUpperMs : published?.readUpperMs
            let checks: [(MetricKind, String, Double?, Double?, String)] = [
                (.latencyP50, "p50", d.latP50Ns, published?.p50Ms ?? upper ?? published?.upperMs,
                 published?.p50Ms != nil ? "the published p50" : "the published typical latency (\(published?.typical ?? ""))"),
                (.latencyP99, "p99", d.latP99Ns, published?.p99Ms, "the published p99"),
                (.latencyMean, "mean", d.latMeanNs, published?.averageUpperMs, "the published average"),
            ]
            for (kind, what, measuredNs, boundMs, source) in checks {
                guard let measuredNs else { continue }
                let measuredMs = measuredNs / 1e6
                var r = MetricResult(metric: "\(job.name) \(label) latency \(what)", job: job.name, kind: kind, unit: "ms",
                                     expected: boundMs, measured: measuredMs, ratio: boundMs.map { measuredMs / $0 }, threshold: boundMs,
                                     intervalsJudged: 0, intervalsAtThreshold: 0, verdict: .notJudged, reason: "")
                guard let boundMs else {
                    r.reason = published == nil ? "\(subject.profile.name) publishes no latency" : "\(subject.profile.name) publishes no \(what) latency; measured only"
                    out.append(r)
                    continue
                }
                if measuredMs <= boundMs {
                    r.verdict = .pass
                    r.reason = "\(what) \(num3(measuredMs)) ms is within \(source), \(num3(boundMs)) ms"
                } else {
                    r.verdict = .fail
                    r.reason = "\(what) \(num3(measuredMs)) ms is above \(source), \(num3(boundMs)) ms"
                }
                out.append(r)
            }
        }
        return out
    }

    static func median(_ v: [Double]) -> Double {
        let s = v.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    public static func duration(_ seconds: Double) -> String {
        if seconds < 120 { return "\(Int(seconds.rounded())) s" }
        if seconds < 7200 { return "\(Int((seconds / 60).rounded())) min" }
        return String(format: "%.1f h", seconds / 3600)
    }
}

public func pct(_ v: Double) -> String {
    let p = v * 100
    return p == p.rounded() ? "\(Int(p))%" : String(format: "%.1f%%", p)
}

/// A rate for people: whole numbers from 100 up, three significant digits below.
public func num(_ v: Double) -> String {
    if abs(v) >= 100 {
        let digits = String(Int(abs(v).rounded()))
        var grouped = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 && digits.count > 4 { grouped += "," }
            grouped.append(ch)
        }
        return (v < 0 ? "-" : "") + grouped
    }
    return String(format: "%.3g", v)
}

func num3(_ v: Double) -> String { String(format: "%.3g", v) }
