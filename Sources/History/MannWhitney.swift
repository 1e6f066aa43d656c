/// The Mann-Whitney U test (Wilcoxon rank-sum): do two samples come from one distribution?
/// Normal approximation with the tie correction and a continuity correction, two-sided.
public struct MannWhitney: Sendable, Equatable {
    /// U of the first sample: the number of pairs (x from the first, y from the second) with
    /// x > y, ties counting one half.
    public var u: Double
    /// Two-sided p-value.
    public var pValue: Double

    public init(_ first: [Double], _ second: [Double]) {
        let n1 = first.count, n2 = second.count
        guard n1 > 0, n2 > 0 else { u = 0; pValue = 1; return }
        var all = first.map { ($0, 0) } + second.map { ($0, 1) }
        all.sort { $0.0 < $1.0 }
        // Mid-ranks for ties, and the tie term sum(t^3 - t).
        var rankSumFirst = 0.0, tieTerm = 0.0
        var i = 0
        while i < all.count {
            var j = i
            while j + 1 < all.count && all[j + 1].0 == all[i].0 { j += 1 }
            let rank = Double(i + j + 2) / 2  // ranks are 1-based
            for k in i...j where all[k].1 == 0 { rankSumFirst += rank }
            let t = Double(j - i + 1)
            tieTerm += t * t * t - t
            i = j + 1
        }
        let a = Double(n1), b = Double(n2), n = a + b
        u = rankSumFirst - a * (a + 1) / 2
        let mean = a * b / 2
        let variance = a * b / 12 * ((n + 1) - tieTerm / (n * (n - 1)))
        guard variance > 0 else { pValue = 1; return }
        let z = max(0, abs(u - mean) - 0.5) / variance.squareRoot()
        pValue = Distributions.normalTwoSided(z)
    }
}
