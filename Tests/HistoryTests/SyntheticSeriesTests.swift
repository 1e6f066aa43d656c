import Foundation
import Testing
@testable import History

/// The gate on synthetic nightly series with known truth: 5% run-to-run noise (sd), 10 interval
/// samples per run with 3% more. Each test runs over many seeds, so it asserts the rule, not one draw.
@Suite struct SyntheticSeriesTests {
    let t = GateThresholds()
    let seeds: [UInt64] = Array(1...30)

    func judge(_ s: [JudgedPoint], metric: String = "iops", acks: [AckRecord] = [], thresholds: GateThresholds? = nil) -> SeriesVerdict {
        SeriesJudge.judge(s, metric: metric, series: "synthetic \(metric)", seriesID: 1, acks: acks, thresholds: thresholds ?? t)
    }

    @Test func aTenPercentStepAtRun40IsFoundAtRun40() {
        var found: [Int64] = []
        for seed in seeds {
            let v = judge(syntheticSeries(runs: 60, seed: seed, level: { $0 >= 40 ? 0.9 : 1 }))
            #expect(v.status == .regression, "seed \(seed): \(v.reason)")
            #expect(v.reason.contains("since run"), "seed \(seed): \(v.reason)")
            found.append(v.shift?.sinceRunID ?? -1)
        }
        let counts = Dictionary(grouping: found, by: { $0 }).mapValues(\.count)
        let near = found.filter { abs($0 - 40) <= 2 }.count
        print("10% step at run 40 in 5% noise, \(seeds.count) series: change point at \(found); exactly 40 in \(counts[40] ?? 0), within 2 runs in \(near)")
        #expect(counts.max { $0.value < $1.value }?.key == 40)
        #expect(Double(near) >= 0.8 * Double(seeds.count))
        // A latency series (lower is better) with the same step up is a regression too.
        let lat = judge(syntheticSeries(runs: 60, seed: 99, level: { $0 >= 40 ? 1.1 : 1 }), metric: "lat_mean_ns")
        #expect(lat.status == .regression, "\(lat.reason)")
    }

    @Test func aSlowDriftIsFoundByChangePointsNotByTheNightToNightRule() {
        var nights = 0, flagged = 0
        for seed in seeds {
            let series = syntheticSeries(runs: 80, seed: seed, level: { 1 - 0.005 * Double($0) })
            let v = judge(series)
            // After 80 nights (-40%): the change points say since when; the newest night alone does not stand out.
            #expect(v.status == .regression, "seed \(seed): \(v.reason)")
            #expect(v.shift.map { $0.largeEnough && $0.relativeChange < 0 } == true, "seed \(seed)")
            #expect(v.window?.flagged == false, "seed \(seed): \(v.reason)")
            // On no night of the drift does the night-to-night rule fire more often than on noise alone.
            for n in (t.minimumRuns + 1)...series.count {
                nights += 1
                if judge(Array(series.prefix(n))).window?.flagged == true { flagged += 1 }
            }
        }
        print("slow drift (0.5% per run): the night-to-night rule fired on \(flagged) of \(nights) nights")
        #expect(Double(flagged) / Double(nights) < 0.005)
    }

    @Test func aSingleBadNightThatRecoversDoesNotAlert() {
        for seed in seeds {
            let series = syntheticSeries(runs: 55, seed: seed, level: { $0 == 45 ? 0.7 : 1 })
            // The bad night itself is seen ...
            let night = judge(Array(series.prefix(45)))
            #expect(night.status == .regression && night.window?.flagged == true, "seed \(seed): \(night.reason)")
            // ... and ten nights after it, back at the old level, nothing alerts.
            let later = judge(series)
            #expect(later.status == .ok, "seed \(seed): \(later.reason)")
        }
    }

    @Test func aStepInsideTheNoiseDoesNotAlert() {
        // A 2% step in 5% noise behaves as no step: no alert at the step, and no more alerts than
        // noise alone gives (the false-alarm rate below, under 1%: at most 1 of 30 series).
        var alerts: [String] = []
        for seed in seeds {
            let v = judge(syntheticSeries(runs: 60, seed: seed, level: { $0 >= 30 ? 0.98 : 1 }))
            if v.status == .regression { alerts.append("seed \(seed): \(v.reason)") }
            if let s = v.shift, v.status == .regression { #expect(abs(s.sinceRunID - 30) > 2, "seed \(seed): alerted at the step: \(v.reason)") }
        }
        print("2% step in 5% noise, \(seeds.count) series: \(alerts.count) alerts \(alerts)")
        #expect(alerts.count <= 1, "\(alerts)")
    }

    @Test func aStepAfterAnAckDoesNotAlert() {
        for seed in seeds {
            let series = syntheticSeries(runs: 60, seed: seed, level: { $0 >= 40 ? 0.9 : 1 })
            let ack = AckRecord(id: 1, seriesID: 1, series: "synthetic iops", sinceRunID: 40, sinceEpoch: series[39].epoch, reason: "new kernel", createdAt: "2026-11-03T00:00:00Z")
            let v = judge(series, acks: [ack])
            #expect(v.status == .ok, "seed \(seed): \(v.reason)")
            #expect(v.acks == [ack])
            #expect(v.historyRuns == 20)  // runs 40 ... 59, before the newest
        }
    }

    @Test func aBoundaryStartsANewSegment() {
        let series = syntheticSeries(runs: 60, seed: 5, level: { $0 >= 40 ? 0.8 : 1 }).enumerated().map { i, p in
            var p = p
            if i >= 39 { p.segment.kernel = "Linux 6.8" }
            return p
        }
        let v = judge(series)
        #expect(v.status == .ok, "\(v.reason)")
        #expect(v.boundary == "kernel Linux 6.1 -> Linux 6.8")
        #expect(v.boundaryRunID == 40)
        #expect(v.historyRuns == 20)
        // Right after the boundary: too little history, no verdict.
        let early = judge(Array(series.prefix(42)))
        #expect(early.status == .tooLittleHistory)
        #expect(early.reason.contains("too little history"))
    }

    @Test func anImprovementIsReportedAndFailsOnlyWhenAsked() {
        let series = syntheticSeries(runs: 60, seed: 11, level: { $0 >= 40 ? 1.3 : 1 })
        let v = judge(series)
        #expect(v.status == .improvement && !v.failing, "\(v.reason)")
        var strict = t
        strict.failOnImprovement = true
        #expect(judge(series, thresholds: strict).failing)
    }

    @Test func tooLittleHistoryHasNoVerdict() {
        let v = judge(syntheticSeries(runs: 5, seed: 3, level: { $0 == 5 ? 0.5 : 1 }))
        #expect(v.status == .tooLittleHistory && !v.failing)
        #expect(v.window == nil)
    }

    @Test func falseAlarmRateOverAThousandStableSeries() {
        var alarms = 0, improvements = 0
        for seed in 1...1000 {
            let v = judge(syntheticSeries(runs: 60, seed: UInt64(10_000 + seed)))
            if v.status == .regression { alarms += 1 }
            if v.status == .improvement { improvements += 1 }
        }
        let rate = Double(alarms) / 1000
        print("false-alarm rate over 1,000 stable synthetic series (60 nights, 5% run noise): \(alarms)/1000 = \(rate * 100)% (improvements reported: \(improvements))")
        #expect(rate < 0.01)
    }
}
