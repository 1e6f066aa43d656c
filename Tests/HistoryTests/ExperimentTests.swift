import Foundation
import Testing
@testable import History

@Test func experiment() {
    let t = GateThresholds()
    var fa = 0, imp = 0, cpFA = 0, winFA = 0
    for seed in 1...1000 {
        let s = syntheticSeries(runs: 60, seed: UInt64(seed))
        let v = SeriesJudge.judge(s, metric: "iops", series: "x", seriesID: 1, thresholds: t)
        if v.status == .regression { fa += 1; if v.window?.flagged == true { winFA += 1 } else { cpFA += 1 } }
        if v.status == .improvement { imp += 1 }
    }
    print("FA \(fa) (window \(winFA), cp \(cpFA)) improvements \(imp)")
    var found: [Int64] = []
    var statuses: [String] = []
    for seed in 1...30 {
        let s = syntheticSeries(runs: 60, seed: UInt64(seed), level: { $0 >= 40 ? 0.9 : 1 })
        let v = SeriesJudge.judge(s, metric: "iops", series: "x", seriesID: 1, thresholds: t)
        found.append(v.shift?.sinceRunID ?? -1); statuses.append(v.status.rawValue)
    }
    print("step found at \(found) \(statuses)")
    var drift: [String] = []
    for seed in 1...30 {
        let s = syntheticSeries(runs: 80, seed: UInt64(seed), level: { 1 - 0.005 * Double($0) })
        let v = SeriesJudge.judge(s, metric: "iops", series: "x", seriesID: 1, thresholds: t)
        drift.append("\(v.status.rawValue)/\(v.window?.flagged == true ? "W" : "-")/\(v.shift?.sinceRunID ?? -1)")
    }
    print("drift \(drift)")
}
