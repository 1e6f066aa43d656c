import Foundation

/// fio's steady-state window (steadystate.c): the last `durationSeconds` per-second samples of
/// IOPS and bandwidth, and the criterion over the chosen metric once the window is full.
public struct SteadyStateWindow: Sendable {
    public let spec: SteadyState
    /// Oldest first; at most `spec.durationSeconds`.
    public private(set) var iops: [UInt64] = []
    public private(set) var bw: [UInt64] = []
    public private(set) var criterion: Double = 0
    public private(set) var maxDeviation: Double = 0
    public private(set) var slope: Double = 0
    public private(set) var attained = false

    public init(_ spec: SteadyState) { self.spec = spec }

    /// One second's sample; true when the window is full and the criterion is below the limit.
    public mutating func add(iops i: UInt64, bw b: UInt64) -> Bool {
        guard !attained else { return true }
        iops.append(i); bw.append(b)
        if iops.count > spec.durationSeconds { iops.removeFirst(); bw.removeFirst() }
        guard iops.count == spec.durationSeconds else { return false }
        let y = (spec.metric == .iops ? iops : bw).map { Double($0) }
        if spec.slope {
            slope = Self.slope(y)
            criterion = spec.percent ? 100 * slope / Self.mean(y) : slope
            attained = abs(criterion) < spec.limit
        } else {
            maxDeviation = Self.maxDeviation(y)
            criterion = spec.percent ? 100 * maxDeviation / Self.mean(y) : maxDeviation
            attained = criterion < spec.limit
        }
        return attained
    }

    public static func mean(_ y: [Double]) -> Double { y.reduce(0, +) / Double(y.count) }

    /// The least-squares slope with x = 0, 1, ..., n-1 (fio: samples taken as equally spaced).
    public static func slope(_ y: [Double]) -> Double {
        let n = Double(y.count)
        let sumX = n * (n - 1) / 2, sumXX = (n - 1) * n * (2 * n - 1) / 6
        let sumY = y.reduce(0, +)
        let sumXY = y.enumerated().reduce(0) { $0 + Double($1.offset) * $1.element }
        return (sumXY - sumX * sumY / n) / (sumXX - sumX * sumX / n)
    }

    /// The largest distance of a sample from the mean.
    public static func maxDeviation(_ y: [Double]) -> Double {
        let m = mean(y)
        return y.map { abs($0 - m) }.max() ?? 0
    }

    /// What the reports show: fio's fields, the samples zero-filled to the window (fio's arrays
    /// always have `duration` entries).
    public func result(attainedAfterNanoseconds: UInt64?) -> SteadyStateResult {
        let pad = Array(repeating: UInt64(0), count: max(0, spec.durationSeconds - iops.count))
        let fullIOPS = iops + pad, fullBW = bw + pad
        return SteadyStateResult(
            ss: spec.text, durationSeconds: spec.durationSeconds, attained: attained,
            criterion: criterion, percent: spec.percent, maxDeviation: maxDeviation, slope: slope,
            bwMean: fullBW.reduce(0, +) / UInt64(max(1, spec.durationSeconds)),
            iopsMean: fullIOPS.reduce(0, +) / UInt64(max(1, spec.durationSeconds)),
            iops: fullIOPS, bw: fullBW, attainedAfterNs: attained ? attainedAfterNanoseconds : nil)
    }

    /// `%f`: six decimals, as fio's JSON strings.
    public static func fixed6(_ v: Double) -> String { String(format: "%f", v) }
}

/// One job's (or reporting group's) steady state at its end: fio's JSON `steadystate` fields.
public struct SteadyStateResult: Codable, Sendable, Equatable {
    /// The criterion and limit, as fio writes it: `iops:50.000000%`.
    public var ss: String
    public var durationSeconds: Int
    public var attained: Bool
    /// The last criterion computed (a percentage of the mean when `percent`).
    public var criterion: Double
    public var percent: Bool
    public var maxDeviation: Double
    public var slope: Double
    public var bwMean: UInt64
    public var iopsMean: UInt64
    /// The window's samples, oldest first: IOPS, and bandwidth in bytes/s.
    public var iops: [UInt64]
    public var bw: [UInt64]
    /// From the job's start to the sample that attained it.
    public var attainedAfterNs: UInt64?
}
