import Foundation
import Testing
@testable import History

/// The tests against reference values (scipy.stats 1.x: mannwhitneyu(method="asymptotic"),
/// t.sf) and the E-divisive detector on series whose change points are known.
@Suite struct StatisticsTests {
    @Test func mannWhitneyMatchesScipy() {
        let separated = MannWhitney([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])
        #expect(separated.u == 0)
        #expect(abs(separated.pValue - 0.012185780355344813) < 1e-9)
        let mixed = MannWhitney([1.1, 2.2, 3.1, 4.5, 7.5, 3.3], [6, 7, 8, 2.5, 10, 11, 0.5])
        #expect(mixed.u == 12)
        #expect(abs(mixed.pValue - 0.22463863892378044) < 1e-9)
        // Symmetric in its samples, and identical samples are not different.
        #expect(abs(MannWhitney([6, 7, 8, 9, 10], [1, 2, 3, 4, 5]).pValue - separated.pValue) < 1e-12)
        #expect(MannWhitney([3, 3, 3], [3, 3, 3]).pValue == 1)
    }

    @Test func studentTMatchesScipy() {
        #expect(abs(Distributions.studentTwoSided(2.0, degreesOfFreedom: 10) - 0.07338803477074037) < 1e-9)
        #expect(abs(Distributions.studentTwoSided(-2.0, degreesOfFreedom: 10) - 0.07338803477074037) < 1e-9)
        #expect(Distributions.studentTwoSided(0, degreesOfFreedom: 5) == 1)
        // Large df approaches the normal: P(|Z| > 1.96) = 0.05.
        #expect(abs(Distributions.studentTwoSided(1.959963984540054, degreesOfFreedom: 1e6) - 0.05) < 1e-5)
        #expect(abs(Distributions.normalTwoSided(1.959963984540054) - 0.05) < 1e-12)
    }

    @Test func twoSampleTTest() {
        // Equal samples: no difference; clearly separated ones: tiny p.
        let a = Moments([10, 11, 9, 10, 10.5, 9.5]), b = Moments([20, 21, 19, 20, 20.5, 19.5])
        #expect(TTest.twoSample(a, a) == 1)
        #expect(TTest.twoSample(a, b) < 1e-9)
        #expect(TTest.newValue(10, against: a) > 0.9)
        #expect(TTest.newValue(20, against: a) < 1e-4)
    }

    @Test func eDivisiveFindsKnownChangePoints() {
        var rng = SeededRandom(seed: 7)
        let steps = (0..<90).map { i in (i < 30 ? 100.0 : (i < 60 ? 130.0 : 90.0)) + rng.gaussian() }
        let found = EDivisive().changePoints(steps)
        #expect(found.map(\.index) == [30, 60], "\(found)")
        #expect(abs(found[0].relativeChange - 0.30) < 0.02)
        // Noise alone: nothing; too short a series: nothing.
        var quiet = SeededRandom(seed: 8)
        #expect(EDivisive().changePoints((0..<100).map { _ in 100 + quiet.gaussian() }).isEmpty)
        #expect(EDivisive().changePoints([1, 2, 3, 100, 100, 100]).isEmpty)
        // A change 3 points before the end is not reported (fewer than 6 points after it).
        #expect(EDivisive().changePoints((0..<40).map { $0 < 37 ? 100.0 + Double($0 % 3) : 200 }).isEmpty)
    }
}
