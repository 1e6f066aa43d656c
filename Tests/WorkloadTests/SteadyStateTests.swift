import Testing
@testable import Workload

/// fio's steady-state criteria (steadystate.c) against numbers worked out by hand.
@Suite struct SteadyStateTests {
    @Test func parsesFioCriteria() throws {
        let pct = try SteadyState.parse("iops:1.5%", durationSeconds: 30)
        #expect(pct.metric == .iops && !pct.slope && pct.percent && pct.limit == 1.5 && pct.durationSeconds == 30)
        let slope = try SteadyState.parse("iops_slope:0.01%", durationSeconds: 10)
        #expect(slope.slope && slope.text == "iops_slope:0.010000%" && slope.fioText == "iops_slope:0.01%")
        let bw = try SteadyState.parse("bw:10m", durationSeconds: 5)
        #expect(bw.metric == .bw && !bw.percent && bw.limit == 10 * 1_048_576)
        #expect(try SteadyState.parse("bw_slope:2", durationSeconds: 5).limit == 2)
        for bad in ["iops", "iops:", "lat:1%", "iops:-1%", "bw:fast"] {
            #expect(throws: InputError.self) { try SteadyState.parse(bad, durationSeconds: 5) }
        }
    }

    @Test func meanDeviationAsFio() {
        // [100, 110, 90, 100]: mean 100, the largest deviation 10, 10% of the mean.
        var w = SteadyStateWindow(SteadyState(metric: .iops, slope: false, percent: true, limit: 10.5, durationSeconds: 4))
        let early = [w.add(iops: 100, bw: 0), w.add(iops: 110, bw: 0), w.add(iops: 90, bw: 0)]
        let full = w.add(iops: 100, bw: 0)
        #expect(early == [false, false, false] && full)
        #expect(w.maxDeviation == 10 && w.criterion == 10 && w.slope == 0)
        // 150, 150, 149: mean 449/3, largest deviation 2/3, criterion 100 * (2/3) / (449/3) = 200/449 %.
        var v = SteadyStateWindow(SteadyState(metric: .iops, slope: false, percent: true, limit: 50, durationSeconds: 3))
        _ = v.add(iops: 150, bw: 0); _ = v.add(iops: 150, bw: 0)
        let vFull = v.add(iops: 149, bw: 0)
        #expect(vFull)
        #expect(abs(v.maxDeviation - 2.0 / 3) < 1e-12 && abs(v.criterion - 200.0 / 449) < 1e-12)
        let r = v.result(attainedAfterNanoseconds: 3_000_000_000)
        #expect(r.maxDeviation == v.maxDeviation && r.iopsMean == 149 && r.iops == [150, 150, 149] && r.attainedAfterNs == 3_000_000_000)
    }

    @Test func slopeOfTheLeastSquaresLineAsFio() {
        // y = 10, 20, 30 over x = 0, 1, 2: slope 10; as a percentage of the mean 20: 50%.
        #expect(SteadyStateWindow.slope([10, 20, 30]) == 10)
        // y = 4, 2, 6, 8: sum_x 6, sum_x^2 14, sum_y 20, sum_xy 38: (38 - 6*20/4) / (14 - 36/4) = 8/5.
        #expect(abs(SteadyStateWindow.slope([4, 2, 6, 8]) - 1.6) < 1e-12)
        var w = SteadyStateWindow(SteadyState(metric: .bw, slope: true, percent: true, limit: 40, durationSeconds: 3))
        _ = w.add(iops: 0, bw: 10); _ = w.add(iops: 0, bw: 20)
        let third = w.add(iops: 0, bw: 30)
        #expect(!third)  // 50% is not under 40%
        #expect(w.criterion == 50)
        // The window rolls: 20, 30, 25: slope 2.5 on mean 25 = 10%.
        let fourth = w.add(iops: 0, bw: 25)
        #expect(fourth)
        #expect(w.criterion == 10 && w.bw == [20, 30, 25])
        // A falling line counts by its size: -10 per second, absolute limit 11.
        var f = SteadyStateWindow(SteadyState(metric: .iops, slope: true, percent: false, limit: 11, durationSeconds: 3))
        _ = f.add(iops: 30, bw: 0); _ = f.add(iops: 20, bw: 0)
        let falling = f.add(iops: 10, bw: 0)
        #expect(falling && f.criterion == -10)
    }

    @Test func aWindowNotYetFullReportsZerosAsFio() {
        var w = SteadyStateWindow(SteadyState(metric: .iops, slope: false, percent: true, limit: 1, durationSeconds: 4))
        _ = w.add(iops: 8, bw: 80)
        let r = w.result(attainedAfterNanoseconds: nil)
        #expect(!r.attained && r.iops == [8, 0, 0, 0] && r.bw == [80, 0, 0, 0] && r.iopsMean == 2 && r.bwMean == 20)
    }
}
