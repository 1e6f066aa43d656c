/// A sustained shift in a series: from `index` on, the level differs from the one before.
public struct ChangePoint: Sendable, Equatable, Codable {
    /// The first point of the new level (0-based position in the series given).
    public var index: Int
    public var meanBefore: Double
    public var meanAfter: Double
    public var standardDeviationBefore: Double
    public var standardDeviationAfter: Double
    /// Student's t-test between the segment before and the one after (two-sided).
    public var pValue: Double
    /// meanAfter / meanBefore - 1.
    public var relativeChange: Double { meanBefore == 0 ? 0 : meanAfter / meanBefore - 1 }
}

/// E-divisive means with a Student's t-test instead of permutations, as Apache Otava (Hunter,
/// Fleming et al. 2023) does it: split the series in sliding windows, find change points in each
/// (Matteson and James's energy statistic Q-hat picks the split, the t-test keeps it) at a weak
/// first-pass p of 10x, then merge: drop the weakest until every one left is below `pValue`.
/// Every segment has at least `minimumSegment` points (Chromium's dashboard: 6).
public struct EDivisive: Sendable, Equatable {
    public var window: Int
    public var pValue: Double
    public var minimumSegment: Int

    public init(window: Int = 50, pValue: Double = 0.001, minimumSegment: Int = 6) {
        self.window = max(2, window); self.pValue = pValue; self.minimumSegment = max(2, minimumSegment)
    }

    public func changePoints(_ series: [Double]) -> [ChangePoint] {
        guard series.count >= 2 * minimumSegment else { return [] }
        let firstPass = pValue < 0.05 ? pValue * 10 : (pValue < 0.5 ? pValue * 2 : pValue)
        // Split: windows of `window` points every window/2.
        var indices: Set<Int> = []
        var start = 0
        let step = max(1, window / 2)
        while start < series.count {
            let end = min(start + window, series.count)
            let found = detect(series, start: start, end: end, pValue: firstPass)
            indices.formUnion(found)
            let last = found.max() ?? 0
            start = max(last, start + step)
            if end == series.count { break }
        }
        // Merge: recompute every change point against its neighbours; drop the weakest while any is too weak.
        var points = indices.sorted()
        while !points.isEmpty {
            let stats = points.indices.map { segmentStats(series, points, $0) }
            let weakest = stats.indices.max { stats[$0].pValue < stats[$1].pValue }!
            if stats[weakest].pValue <= pValue { return stats }
            points.remove(at: weakest)
        }
        return []
    }

    /// The change point `points[i]` with the segments between its neighbours; p = 1 when a
    /// segment is shorter than the minimum.
    private func segmentStats(_ series: [Double], _ points: [Int], _ i: Int) -> ChangePoint {
        let lo = i == 0 ? 0 : points[i - 1], mid = points[i], hi = i + 1 < points.count ? points[i + 1] : series.count
        let left = Moments(series[lo..<mid]), right = Moments(series[mid..<hi])
        let p = (mid - lo < minimumSegment || hi - mid < minimumSegment) ? 1 : TTest.twoSample(left, right)
        return ChangePoint(index: mid, meanBefore: left.mean, meanAfter: right.mean, standardDeviationBefore: left.standardDeviation,
                           standardDeviationAfter: right.standardDeviation, pValue: p)
    }

    /// Change points of series[start..<end]: repeatedly the best split of any current interval,
    /// kept while its t-test is significant. A best split closer than `minimumSegment` to an end
    /// of its interval is not a change point yet (too few points on one side): that interval is
    /// left whole.
    func detect(_ series: [Double], start: Int, end: Int, pValue: Double) -> [Int] {
        let z = Array(series[start..<end])
        let n = z.count
        guard n >= 2 * minimumSegment else { return [] }
        // prefix[j][i] = sum over i' < i of |z[i'] - z[j]|.
        var prefix = [[Double]](repeating: [Double](repeating: 0, count: n + 1), count: n)
        for j in 0..<n {
            for i in 0..<n { prefix[j][i + 1] = prefix[j][i] + abs(z[i] - z[j]) }
        }
        var found: [Int] = []
        var settled: Set<Int> = []  // intervals (by start) whose best split is too near an end
        while true {
            let bounds = [0] + found + [n]
            var best: (tau: Int, q: Double, lo: Int, hi: Int)?
            for k in 0..<(bounds.count - 1) {
                let lo = bounds[k], hi = bounds[k + 1]
                if settled.contains(lo) { continue }
                if let c = bestSplit(prefix, lo: lo, hi: hi), c.q > (best?.q ?? -.infinity) {
                    best = (c.tau, c.q, lo, hi)
                }
            }
            guard let b = best else { break }
            if b.tau - b.lo < minimumSegment || b.hi - b.tau < minimumSegment {
                settled.insert(b.lo)
                continue
            }
            let p = TTest.twoSample(Moments(z[b.lo..<b.tau]), Moments(z[b.tau..<b.hi]))
            guard p <= pValue else { break }  // as Otava: stop at the first candidate that fails
            found.append(b.tau); found.sort()
        }
        return found.map { $0 + start }
    }

    /// The split tau of z[lo..<hi] maximizing Q-hat(z[lo..<tau], z[tau..<kappa]) over kappa
    /// (both sides at least 2 points: Q-hat's within-sample terms need two).
    private func bestSplit(_ prefix: [[Double]], lo: Int, hi: Int) -> (tau: Int, q: Double)? {
        let m = 2
        guard hi - lo >= 2 * minimumSegment else { return nil }
        var best: (tau: Int, q: Double)?
        // Within-left sum of distances for z[lo..<tau], grown as tau moves right.
        var withinLeft = 0.0
        for t in (lo + 1)..<(lo + m) { withinLeft += prefix[t][t] - prefix[t][lo] }
        for tau in (lo + m)...(hi - m) {
            if tau > lo + m { withinLeft += prefix[tau - 1][tau - 1] - prefix[tau - 1][lo] }
            let nl = Double(tau - lo)
            var between = 0.0, withinRight = 0.0
            for kappa in (tau + 1)...hi {
                let j = kappa - 1
                between += prefix[j][tau] - prefix[j][lo]
                withinRight += prefix[j][j] - prefix[j][tau]
                let nr = Double(kappa - tau)
                guard nr >= 2 else { continue }
                let total = nl + nr
                let q = 2 / total * between - 2 * nr / (total * (nl - 1)) * withinLeft - 2 * nl / (total * (nr - 1)) * withinRight
                if q > (best?.q ?? -.infinity) { best = (tau, q) }
            }
        }
        return best
    }
}
