import Foundation
@testable import History

/// Seeded noise for synthetic series (SplitMix64, Box-Muller): the same series every run.
struct SeededRandom {
    var state: UInt64
    /// The seed is scrambled first, so that nearby seeds start far apart in the sequence.
    init(seed: UInt64) {
        var z = seed &+ 0x632B_E59B_D9B4_E019
        z = (z ^ (z >> 33)) &* 0xFF51_AFD7_ED55_8CCD
        z = (z ^ (z >> 33)) &* 0xC4CE_B9FE_1A85_EC53
        state = z ^ (z >> 33)
    }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func gaussian() -> Double {
        let u1 = max(uniform(), 1e-300), u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }
}

/// A synthetic nightly series with known truth: `level(run)` is the true level (1 = baseline) of
/// run 1, 2, ...; each run's value has `runNoise` relative noise, and `samplesPerRun` interval
/// samples around it with `sampleNoise`.
func syntheticSeries(runs: Int, seed: UInt64, base: Double = 10_000, runNoise: Double = 0.05, sampleNoise: Double = 0.03,
                     samplesPerRun: Int = 10, level: (Int) -> Double = { _ in 1 }) -> [JudgedPoint] {
    var rng = SeededRandom(seed: seed)
    let segment = SegmentKey(toolVersion: "tierbench 0.2.0", kernel: "Linux 6.1", engine: "io_uring", instanceType: "-")
    return (1...runs).map { run in
        let value = base * level(run) * (1 + runNoise * rng.gaussian())
        let samples = (0..<samplesPerRun).map { _ in value * (1 + sampleNoise * rng.gaussian()) }
        return JudgedPoint(runID: Int64(run), epoch: 1_780_000_000 + Double(run) * 86_400, segment: segment,
                           value: samples.reduce(0, +) / Double(samplesPerRun), samples: samples)
    }
}
