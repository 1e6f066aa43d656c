import Foundation

/// The gate's thresholds. Defaults from asv (Mann-Whitney U p < 0.002, 5%), Chromium's dashboard
/// (2.5 sigma, window 50, segments of 6) and Otava (E-divisive with a t-test, p 0.001).
public struct GateThresholds: Sendable, Codable, Equatable {
    /// Trailing runs the newest is compared with.
    public var window = 30
    /// A difference must be this significant (two-sided p below).
    public var pValue = 0.002
    /// A relative change of at least this (0.05 = 5%) ...
    public var minimumChange = 0.05
    /// ... and at least this for p99 and above.
    public var minimumTailChange = 0.10
    /// And beyond this many standard deviations of the window's run-to-run noise.
    public var noiseSigmas = 2.5
    /// Fewer runs than this in the series' current segment: no verdict.
    public var minimumRuns = 5
    /// Change points: E-divisive window, its p, the points a segment needs (before and after).
    public var changePointWindow = 50
    public var changePointPValue = 0.001
    public var changePointMinimumPoints = 6
    /// Newest points of each series the gate reads (change points are found among them).
    public var lookback = 200
    /// Interval samples a run needs for the Mann-Whitney test (else only Student's t on run values).
    public var minimumSamples = 5
    /// An improvement fails the gate too.
    public var failOnImprovement = false

    public init() {}

    public func minimumChange(for metric: String) -> Double {
        MetricNames.isTail(metric) ? minimumTailChange : minimumChange
    }

    /// One line: the thresholds used.
    public var summary: String {
        "window \(window) runs; a regression needs p < \(Format.number(pValue)) (Mann-Whitney U on interval samples and Student's t on run values), "
            + "a change of at least \(Format.percent(minimumChange)) (\(Format.percent(minimumTailChange)) for p99 and above) "
            + "and beyond \(Format.number(noiseSigmas)) sd of the window's run-to-run noise; at least \(minimumRuns) runs; "
            + "change points: E-divisive means with a t-test, window \(changePointWindow), p \(Format.number(changePointPValue)), "
            + "at least \(changePointMinimumPoints) points after a change"
            + (failOnImprovement ? "; improvements fail too" : "")
    }
}

/// One value of a series as the gate judges it.
public struct JudgedPoint: Sendable {
    /// 0 for a result file not recorded yet.
    public var runID: Int64
    public var epoch: Double
    public var segment: SegmentKey
    public var value: Double
    public var samples: [Double]

    public init(runID: Int64, epoch: Double, segment: SegmentKey, value: Double, samples: [Double] = []) {
        self.runID = runID; self.epoch = epoch; self.segment = segment; self.value = value; self.samples = samples
    }
}

public enum SeriesStatus: String, Sendable, Codable {
    case regression, improvement, ok
    case tooLittleHistory = "too_little_history"
}

/// The newest run against the trailing window.
public struct WindowComparison: Sendable, Codable, Equatable {
    public var runs: Int
    public var baseline: Double
    public var newest: Double
    public var relativeChange: Double
    public var noiseStandardDeviation: Double
    /// |newest - baseline| in standard deviations of the window's run values.
    public var sigmas: Double
    /// Student's t of the newest value against the window's values (prediction interval).
    public var tPValue: Double
    /// Mann-Whitney U of the newest run's interval samples against the window's; nil without samples.
    public var mannWhitneyPValue: Double?
    /// The p the rule uses: the larger of the two.
    public var pValue: Double
    public var significant: Bool
    public var largeEnough: Bool
    public var beyondNoise: Bool
    public var flagged: Bool
}

/// A sustained shift found by change-point detection: since which run the level holds.
public struct Shift: Sendable, Codable, Equatable {
    public var sinceRunID: Int64
    public var sinceEpoch: Double
    public var meanBefore: Double
    public var meanAfter: Double
    public var relativeChange: Double
    /// The same without the most extreme run after the change, and by the segments' medians.
    public var trimmedChange: Double
    public var medianChange: Double
    public var pValue: Double
    /// The t-test without that run.
    public var trimmedPValue: Double
    public var pointsAfter: Int
    public var largeEnough: Bool
}

/// The verdict on one series.
public struct SeriesVerdict: Sendable, Codable {
    public var seriesID: Int64?
    public var series: String
    public var metric: String
    public var higherIsBetter: Bool
    public var status: SeriesStatus
    /// Why, in a sentence.
    public var reason: String
    public var newestRunID: Int64
    public var newestEpoch: Double
    public var newest: Double
    /// Runs before the newest in the series' current segment (after boundaries and acks).
    public var historyRuns: Int
    public var window: WindowComparison?
    /// The last change point in the current segment, if any.
    public var shift: Shift?
    /// The change that started the current segment ("kernel Linux 6.1 -> Linux 6.8"), with its first run.
    public var boundary: String?
    public var boundaryRunID: Int64?
    /// Acks that cut this series' history.
    public var acks: [AckRecord]
    /// Whether this verdict fails the gate.
    public var failing: Bool
    /// What the series is (job, direction, metric, target identity, labels), for the Prometheus
    /// labels; not part of the JSON report (its `series` names it).
    public var key: SeriesKey? = nil

    enum CodingKeys: String, CodingKey {
        case seriesID, series, metric, higherIsBetter, status, reason, newestRunID, newestEpoch, newest, historyRuns
        case window, shift, boundary, boundaryRunID, acks, failing
    }
}

/// The rules for one series: the window comparison (all three conditions), the change points,
/// the boundaries and acks that cut the history.
public enum SeriesJudge {
    /// `points`: oldest first, the judged one last.
    public static func judge(_ points: [JudgedPoint], metric: String, series: String, seriesID: Int64?, acks: [AckRecord] = [],
                             thresholds t: GateThresholds) -> SeriesVerdict {
        let newest = points.last!
        let higher = MetricNames.higherIsBetter(metric)
        // The current segment: back to the last boundary ...
        var start = points.count - 1
        while start > 0 && points[start - 1].segment == newest.segment { start -= 1 }
        let boundary = start > 0 ? newest.segment.change(from: points[start - 1].segment) : nil
        let boundaryRun = start > 0 ? points[start].runID : nil
        // ... and the last ack before the newest.
        let applying = acks.filter { ($0.sinceEpoch, $0.sinceRunID) <= (newest.epoch, newest.runID == 0 ? Int64.max : newest.runID) }
        if let ack = applying.max(by: { ($0.sinceEpoch, $0.sinceRunID) < ($1.sinceEpoch, $1.sinceRunID) }) {
            while start < points.count - 1 && (points[start].epoch, points[start].runID) < (ack.sinceEpoch, ack.sinceRunID) { start += 1 }
        }
        let current = Array(points[start...])
        let history = current.dropLast()
        var verdict = SeriesVerdict(seriesID: seriesID, series: series, metric: metric, higherIsBetter: higher, status: .ok, reason: "",
                                    newestRunID: newest.runID, newestEpoch: newest.epoch, newest: newest.value, historyRuns: history.count,
                                    window: nil, shift: nil, boundary: boundary, boundaryRunID: boundaryRun, acks: applying, failing: false)
        guard history.count >= t.minimumRuns else {
            verdict.status = .tooLittleHistory
            verdict.reason = "too little history: \(history.count) run\(history.count == 1 ? "" : "s") before the newest\(boundary != nil || !applying.isEmpty ? " since the last boundary or ack" : ""); \(t.minimumRuns) needed, no verdict"
            return verdict
        }
        let minChange = t.minimumChange(for: metric)
        func isBad(_ change: Double) -> Bool { higher ? change < 0 : change > 0 }

        // The window rule: significant, large enough, beyond the noise.
        let window = Array(history.suffix(t.window))
        let m = Moments(window.map(\.value))
        let change = m.mean == 0 ? 0 : newest.value / m.mean - 1
        let diff = abs(newest.value - m.mean)
        let sigmas = m.standardDeviation > 0 ? diff / m.standardDeviation : (diff > 0 ? .infinity : 0)
        let pT = TTest.newValue(newest.value, against: m)
        let pooled = window.flatMap(\.samples)
        let pMW: Double? = newest.samples.count >= t.minimumSamples && pooled.count >= t.minimumSamples
            ? MannWhitney(newest.samples, pooled).pValue : nil
        let p = max(pT, pMW ?? 0)
        var w = WindowComparison(runs: window.count, baseline: m.mean, newest: newest.value, relativeChange: change,
                                 noiseStandardDeviation: m.standardDeviation, sigmas: sigmas, tPValue: pT, mannWhitneyPValue: pMW, pValue: p,
                                 significant: p < t.pValue, largeEnough: abs(change) >= minChange, beyondNoise: sigmas >= t.noiseSigmas, flagged: false)
        w.flagged = w.significant && w.largeEnough && w.beyondNoise
        verdict.window = w

        // Change points over the current segment.
        let detector = EDivisive(window: t.changePointWindow, pValue: t.changePointPValue, minimumSegment: t.changePointMinimumPoints)
        let values = current.map(\.value)
        let found = detector.changePoints(values)
        if let cp = found.last {
            // A shift must hold without its most extreme night after the change (at the detector's first-pass
            // p, 10x) and by the medians: one bad night among the few after a change is not a new level.
            let before = found.count > 1 ? found[found.count - 2].index : 0
            var after = Array(values[cp.index...])
            let extreme = cp.relativeChange < 0 ? after.indices.min { after[$0] < after[$1] }! : after.indices.max { after[$0] < after[$1] }!
            after.remove(at: extreme)
            let left = Moments(values[before..<cp.index]), right = Moments(after)
            let trimmedChange = left.mean == 0 ? 0 : right.mean / left.mean - 1
            let trimmedP = TTest.twoSample(left, right)
            let medianBefore = median(values[before..<cp.index]), medianAfter = median(values[cp.index...])
            let medianChange = medianBefore == 0 ? 0 : medianAfter / medianBefore - 1
            let rel = cp.relativeChange
            verdict.shift = Shift(sinceRunID: current[cp.index].runID, sinceEpoch: current[cp.index].epoch, meanBefore: cp.meanBefore,
                                  meanAfter: cp.meanAfter, relativeChange: rel, trimmedChange: trimmedChange, medianChange: medianChange, pValue: cp.pValue,
                                  trimmedPValue: trimmedP, pointsAfter: current.count - cp.index,
                                  largeEnough: abs(rel) >= minChange && abs(trimmedChange) >= minChange && abs(medianChange) >= minChange
                                      && (rel < 0) == (trimmedChange < 0) && (rel < 0) == (medianChange < 0) && trimmedP <= min(1, t.changePointPValue * 10))
        }

        let shift = verdict.shift.flatMap { $0.largeEnough ? $0 : nil }
        let windowBad = w.flagged && isBad(change), windowGood = w.flagged && !isBad(change)
        let shiftBad = shift.map { isBad($0.relativeChange) } ?? false, shiftGood = shift.map { !isBad($0.relativeChange) } ?? false
        var reasons: [String] = []
        if w.flagged {
            reasons.append("newest \(Format.value(newest.value, metric)) against \(Format.value(m.mean, metric)) over \(window.count) runs: "
                           + "\(Format.signedPercent(change)), p \(Format.p(p)), \(Format.number(sigmas, digits: 1)) sd")
        }
        if let shift, shiftBad || shiftGood {
            reasons.append("since run \(shift.sinceRunID == 0 ? "new" : String(shift.sinceRunID)) on \(Format.date(shift.sinceEpoch)): "
                           + "\(metric) \(Format.signedPercent(shift.relativeChange)) (\(Format.value(shift.meanBefore, metric)) -> \(Format.value(shift.meanAfter, metric)), p \(Format.p(shift.pValue)))")
        }
        if windowBad || shiftBad {
            verdict.status = .regression
            verdict.failing = true
        } else if windowGood || shiftGood {
            verdict.status = .improvement
            verdict.failing = t.failOnImprovement
        } else {
            var why: [String] = []
            if !w.significant { why.append("not significant (p \(Format.p(p)))") }
            if !w.largeEnough { why.append("under \(Format.percent(minChange))") }
            if !w.beyondNoise { why.append("within \(Format.number(t.noiseSigmas)) sd of the noise") }
            if let s = verdict.shift, !s.largeEnough {
                why.append("a shift since run \(s.sinceRunID) of \(Format.signedPercent(s.relativeChange)) (\(Format.signedPercent(s.trimmedChange)) without its most extreme run, p \(Format.p(s.trimmedPValue)); medians \(Format.signedPercent(s.medianChange))) is under \(Format.percent(minChange)) or not significant")
            }
            reasons.append("\(Format.signedPercent(change)) against \(window.count) runs: " + (why.isEmpty ? "no change" : why.joined(separator: ", ")))
        }
        verdict.reason = reasons.joined(separator: "; ")
        return verdict
    }
}

func median<C: Collection>(_ values: C) -> Double where C.Element == Double {
    let sorted = values.sorted()
    let n = sorted.count
    guard n > 0 else { return 0 }
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
}
