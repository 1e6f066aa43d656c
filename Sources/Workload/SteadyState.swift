/// fio's steady state (`steadystate`/`ss`, `steadystate_duration`/`ss_dur`,
/// `steadystate_ramp_time`/`ss_ramp`; fio's steadystate.c): once a second the job's IOPS and
/// bandwidth over that second are sampled; over a rolling window of `durationSeconds` samples,
/// the job is steady when the criterion is below the limit, and it then stops ("attained").
public struct SteadyState: Codable, Sendable, Equatable {
    public enum Metric: String, Codable, Sendable { case iops, bw }

    public var metric: Metric
    /// The slope of the least-squares line through the window (`iops_slope`, `bw_slope`);
    /// false: the largest deviation of a sample from the window's mean (`iops`, `bw`).
    public var slope: Bool
    /// The limit is a percentage of the window's mean (`iops:1%`); false: absolute (IOPS, or bytes/s).
    public var percent: Bool
    public var limit: Double
    /// `steadystate_duration`: samples (seconds) in the window.
    public var durationSeconds: Int
    /// `steadystate_ramp_time`: from the job's start, this long (and a second more) before samples count.
    public var rampNanoseconds: UInt64

    public init(metric: Metric, slope: Bool, percent: Bool, limit: Double, durationSeconds: Int, rampNanoseconds: UInt64 = 0) {
        self.metric = metric; self.slope = slope; self.percent = percent; self.limit = limit
        self.durationSeconds = durationSeconds; self.rampNanoseconds = rampNanoseconds
    }

    /// fio's default criterion, `iops_slope:0.01%`.
    public static let defaultCriterion = "iops_slope:0.01%"

    /// fio's `ss` string as its JSON writes it: `iops_slope:0.010000%`.
    public var text: String {
        "\(metric.rawValue)\(slope ? "_slope" : ""):\(SteadyStateWindow.fixed6(limit))\(percent ? "%" : "")"
    }

    /// As a job file gives it: `iops:50%`.
    public var fioText: String {
        let n = limit == limit.rounded() && abs(limit) < 1e15 ? String(Int64(limit)) : String(limit)
        return "\(metric.rawValue)\(slope ? "_slope" : ""):\(n)\(percent ? "%" : "")"
    }
}

extension RawJobOptions {
    /// `--steadystate`, `--steadystate-duration` (seconds without a unit, as fio), `--steadystate-ramp-time`.
    func resolveSteadyState(_ job: inout JobSpec) throws(InputError) {
        guard let d = steadystateDuration else {
            // fio: without a duration there is no steady state detection; the others do nothing.
            return
        }
        let ns = try Units.parseDuration(d, option: "steadystate-duration", defaultUnit: "s")
        guard ns >= 1_000_000_000 || ns == 0 else {
            throw InputError(option: "steadystate-duration", value: d, " is under a second, fio's sampling period; give e.g. \(InputError.mention("steadystate-duration", "30s"))")
        }
        guard ns > 0 else { return }
        var ss = try SteadyState.parse(steadystate ?? SteadyState.defaultCriterion, durationSeconds: Int(ns / 1_000_000_000))
        if let r = steadystateRampTime { ss.rampNanoseconds = try Units.parseDuration(r, option: "steadystate-ramp-time", defaultUnit: "s") }
        job.steadyState = ss
    }
}

extension SteadyState {
    /// fio's `ss` value: `iops:N`, `iops_slope:N`, `bw:N`, `bw_slope:N`; N a percentage (`1%`),
    /// or absolute: IOPS, or a bandwidth in bytes/s with fio's units (`bw:10m`).
    public static func parse(_ text: String, durationSeconds: Int) throws(InputError) -> SteadyState {
        let option = "steadystate"
        let parts = text.split(separator: ":", maxSplits: 1).map { String($0) }
        let kinds: [String: (Metric, Bool)] = ["iops": (.iops, false), "iops_slope": (.iops, true), "bw": (.bw, false), "bw_slope": (.bw, true)]
        guard let kind = kinds[parts.first?.lowercased() ?? ""] else {
            throw InputError(option: option, value: text, " is not iops, iops_slope, bw or bw_slope with a limit; give e.g. \(InputError.mention(option, "iops:1%"))")
        }
        guard parts.count == 2, !parts[1].isEmpty else {
            throw InputError(option: option, value: text, " has no limit (fio: the threshold must be given with the criterion); give e.g. \(InputError.mention(option, "\(parts[0]):1%"))")
        }
        var n = parts[1].trimmingCharacters(in: " ")
        let percent = n.hasSuffix("%")
        if percent { n = String(n.dropLast()).trimmingCharacters(in: " ") }
        let limit: Double?
        if percent || kind.0 == .iops { limit = Double(n) } else { limit = (try? Units.parseSize(n, option: option)).map { Double($0) } }
        guard let limit, limit >= 0 else {
            throw InputError(option: option, value: text, ": \(n) is not a positive \(percent ? "percentage" : kind.0 == .iops ? "number of IOPS" : "bandwidth"); give e.g. \(InputError.mention(option, "\(parts[0]):1%"))")
        }
        return SteadyState(metric: kind.0, slope: kind.1, percent: percent, limit: limit, durationSeconds: durationSeconds)
    }
}

private extension String {
    func trimmingCharacters(in set: Character) -> String {
        String(drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }
}
