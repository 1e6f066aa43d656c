import Glibc

/// Student's t and the normal distribution: the tails the tests need, from the regularized
/// incomplete beta function (a continued fraction, Lentz's method) and erfc.
public enum Distributions {
    /// Two-sided p-value of a t statistic with `degreesOfFreedom` (> 0): P(|T| >= |t|).
    public static func studentTwoSided(_ t: Double, degreesOfFreedom df: Double) -> Double {
        guard df > 0, t.isFinite else { return t.isNaN ? 1 : 0 }
        let x = df / (df + t * t)
        return min(1, max(0, incompleteBeta(x, a: df / 2, b: 0.5)))
    }

    /// Two-sided p-value of a standard normal statistic: P(|Z| >= |z|).
    public static func normalTwoSided(_ z: Double) -> Double {
        guard z.isFinite else { return z.isNaN ? 1 : 0 }
        return min(1, erfc(abs(z) / 2.0.squareRoot()))
    }

    /// I_x(a, b), the regularized incomplete beta function, for 0 <= x <= 1.
    static func incompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log(1 - x)
        // The continued fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry otherwise.
        if x < (a + 1) / (a + b + 2) {
            return exp(logFront) * continuedFraction(x, a: a, b: b) / a
        }
        return 1 - exp(logFront) * continuedFraction(1 - x, a: b, b: a) / b
    }

    private static func continuedFraction(_ x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300, epsilon = 1e-15
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...400 {
            let m = Double(m), m2 = 2 * m
            // Even step.
            var numerator = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
            d = 1 + numerator * d; if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            // Odd step.
            numerator = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
            d = 1 + numerator * d; if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < epsilon { break }
        }
        return h
    }
}

/// Mean and sample standard deviation (n - 1).
public struct Moments: Sendable, Equatable {
    public var count: Int
    public var mean: Double
    public var standardDeviation: Double

    public init<C: Collection>(_ values: C) where C.Element == Double {
        count = values.count
        mean = count > 0 ? values.reduce(0, +) / Double(count) : 0
        let m = mean
        standardDeviation = count > 1 ? (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(count - 1)).squareRoot() : 0
    }
}

public enum TTest {
    /// Student's two-sample t-test with pooled variance (as Otava's change-point test): two-sided p.
    public static func twoSample(_ left: Moments, _ right: Moments) -> Double {
        let df = Double(left.count + right.count - 2)
        guard df > 0, left.count > 0, right.count > 0 else { return 1 }
        let pooled = (Double(left.count - 1) * left.standardDeviation * left.standardDeviation
            + Double(right.count - 1) * right.standardDeviation * right.standardDeviation) / df
        let se = (pooled * (1 / Double(left.count) + 1 / Double(right.count))).squareRoot()
        let diff = right.mean - left.mean
        if se == 0 { return diff == 0 ? 1 : 0 }
        return Distributions.studentTwoSided(diff / se, degreesOfFreedom: df)
    }

    /// How unusual one new value is for a sample (a prediction interval): t = (x - mean) /
    /// (s * sqrt(1 + 1/n)) with n - 1 degrees of freedom; two-sided p.
    public static func newValue(_ x: Double, against window: Moments) -> Double {
        guard window.count >= 2 else { return 1 }
        let se = window.standardDeviation * (1 + 1 / Double(window.count)).squareRoot()
        let diff = x - window.mean
        if se == 0 { return diff == 0 ? 1 : 0 }
        return Distributions.studentTwoSided(diff / se, degreesOfFreedom: Double(window.count - 1))
    }
}
