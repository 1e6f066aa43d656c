import Harness
import Workload

/// fio's JSON `steadystate` object of a job (stat.c, fio 3.33): the criterion, whether it was
/// attained, the last criterion value, and the window's per-second samples.
struct FioSteadyState: Encodable, Sendable {
    var ss: String
    var duration: Int
    /// fio's 0 or 1.
    var attained: Int
    /// `%f`, with `%` for a percentage criterion.
    var criterion: String
    var maxDeviation: Double
    var slope: Double
    var data: FioSteadyStateData

    enum CodingKeys: String, CodingKey, CaseIterable {
        case ss, duration, attained, criterion, maxDeviation = "max_deviation", slope, data
    }

    init(_ r: SteadyStateResult) {
        ss = r.ss
        duration = r.durationSeconds
        attained = r.attained ? 1 : 0
        criterion = SteadyStateWindow.fixed6(r.criterion) + (r.percent ? "%" : "")
        maxDeviation = r.maxDeviation
        slope = r.slope
        data = FioSteadyStateData(bwMean: r.bwMean, iopsMean: r.iopsMean, iops: r.iops, bw: r.bw)
    }
}

/// The window's means and samples (bandwidth in bytes/s).
struct FioSteadyStateData: Encodable, Sendable {
    var bwMean: UInt64
    var iopsMean: UInt64
    var iops: [UInt64]
    var bw: [UInt64]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case bwMean = "bw_mean", iopsMean = "iops_mean", iops, bw
    }
}
