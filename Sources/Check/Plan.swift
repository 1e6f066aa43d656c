import Foundation
import Profiles
import Workload

/// The suite `tierbench check` runs for a tier, derived from what the tier publishes.
///
/// IOPS tiers (an IOPS baseline is published): 16 KiB random read and random write at a queue
/// depth from Little's law (expected IOPS x the tier's latency, then verified by stepping; see
/// `DepthSearch`), sequential 1 MiB read and write for throughput, the 70/30 mix at 8 KiB, and
/// 4 KiB random read at QD1 for latency. Throughput (HDD) tiers: sequential 1 MiB read and write,
/// whose first seconds are the burst phase; with `sustained`, each job runs until a full credit
/// bucket would be empty and only what follows is judged against the baseline.
public struct SuitePlan: Sendable {
    public var jobs: [JobSpec]
    /// The queue depth Little's law gives for the random jobs (before stepping).
    public var littleDepth: Int
    /// With `sustained`: intervals before this offset are not judged (the bucket drains first).
    public var skipNanoseconds: UInt64
    public var notes: [String]

    public static let randomBlock: UInt64 = 16 << 10
    public static let sequentialBlock: UInt64 = 1 << 20
    public static let mixBlock: UInt64 = 8 << 10
    public static let latencyBlock: UInt64 = 4 << 10

    /// The latency Little's law uses: the tier's p50 or typical bound, else 1 ms.
    public static func latencySeconds(_ profile: Profile) -> Double {
        let l = profile.latency.value
        let ms = l?.p50Ms ?? l?.averageUpperMs ?? l?.upperMs ?? l.flatMap { [$0.readUpperMs, $0.writeUpperMs].compactMap { $0 }.max() } ?? 1
        return ms / 1000
    }

    /// Little's law: I/Os in flight = rate x time each takes; at least 1, at most 256.
    public static func depth(rate: Double, latencySeconds: Double) -> Int {
        guard rate.isFinite, rate > 0 else { return 1 }
        return min(256, max(1, Int((rate * latencySeconds).rounded(.up))))
    }

    public init(judge: Judge, runtimeNanoseconds: UInt64, rampNanoseconds: UInt64, randomDepth: Int? = nil, sustained: Bool) {
        let profile = judge.subject.profile
        let latency = Self.latencySeconds(profile)
        var notes: [String] = []
        let iopsTier = judge.expectedIOPS(bs: Self.randomBlock, write: false) != nil || judge.expectedIOPS(bs: Self.randomBlock, write: true) != nil
        let readIOPS = judge.expectedIOPS(bs: Self.randomBlock, write: false) ?? judge.expectedIOPS(bs: Self.randomBlock, write: true) ?? 0
        littleDepth = Self.depth(rate: readIOPS, latencySeconds: latency)
        let qd = randomDepth ?? littleDepth
        let tp = judge.expectedThroughput(bs: Self.sequentialBlock, write: false, ceiling: true) ?? 0
        let seqDepth = min(64, max(4, Self.depth(rate: tp / Double(Self.sequentialBlock), latencySeconds: latency)))

        var runtime = runtimeNanoseconds
        skipNanoseconds = 0
        if sustained {
            if let seconds = judge.subject.expectation.burst?.buckets.compactMap(\.fullBucketSeconds).max() {
                skipNanoseconds = UInt64(seconds * 1.1 * 1e9)
                runtime = skipNanoseconds + runtimeNanoseconds
                notes.append("--sustained: a full credit bucket lasts \(Judge.duration(seconds)); each job runs \(Judge.duration(Double(runtime) / 1e9)) and only the time after \(Judge.duration(Double(skipNanoseconds) / 1e9)) is judged")
            } else {
                notes.append("--sustained: \(profile.name) has no credit bucket to drain; the jobs run as usual")
            }
        }
        func job(_ name: String, _ rw: ReadWrite, _ bs: UInt64, _ depth: Int, mix: Int = 50) -> JobSpec {
            var j = JobSpec(name: name, rw: rw, rwmixread: mix, blockSizeBytes: bs, iodepth: depth)
            j.timeBased = true
            j.runtimeNanoseconds = runtime
            j.rampTimeNanoseconds = rampNanoseconds
            j.stonewall = true  // one after another: each job measures the volume alone
            return j
        }
        var jobs: [JobSpec] = []
        if iopsTier {
            jobs.append(job("randread-16k-qd\(qd)", .randread, Self.randomBlock, qd))
            jobs.append(job("randwrite-16k-qd\(qd)", .randwrite, Self.randomBlock, qd))
        }
        jobs.append(job("seqread-1m-qd\(seqDepth)", .read, Self.sequentialBlock, seqDepth))
        jobs.append(job("seqwrite-1m-qd\(seqDepth)", .write, Self.sequentialBlock, seqDepth))
        if iopsTier {
            jobs.append(job("mixed70-8k-qd\(qd)", .randrw, Self.mixBlock, qd, mix: 70))
            if profile.latency.value != nil {
                var lat = job("randread-4k-qd1", .randread, Self.latencyBlock, 1)
                lat.runtimeNanoseconds = runtimeNanoseconds  // latency needs no drained bucket
                jobs.append(lat)
            }
        } else {
            notes.append("\(profile.name) publishes no IOPS baseline: the throughput suite (sequential 1 MiB read and write; their first seconds are the burst phase)")
        }
        self.jobs = jobs
        self.notes = notes
    }

    /// The step jobs of the depth search: 16 KiB random reads at `depth`, short.
    public static func stepJob(depth: Int, runtimeNanoseconds: UInt64, rampNanoseconds: UInt64) -> JobSpec {
        var j = JobSpec(name: "depth-step-qd\(depth)", rw: .randread, blockSizeBytes: randomBlock, iodepth: depth)
        j.timeBased = true
        j.runtimeNanoseconds = runtimeNanoseconds
        j.rampTimeNanoseconds = rampNanoseconds
        j.stonewall = true
        return j
    }
}

/// Stepping the queue depth from Little's law: double it while IOPS still rise by more than
/// `minimumGain`; the depth kept is the last one that gained.
public struct DepthSearch: Sendable, Codable {
    public struct Step: Sendable, Codable { public var iodepth: Int; public var iops: Double }
    public var littleDepth: Int
    public var steps: [Step] = []
    public var chosen: Int
    public static let minimumGain = 0.10
    public static let maximumDepth = 1024

    public init(littleDepth: Int) { self.littleDepth = littleDepth; chosen = littleDepth }

    /// The next depth to try, or nil when the search is over.
    public var next: Int? {
        guard let last = steps.last else { return littleDepth }
        if steps.count >= 2 {
            let before = steps[steps.count - 2]
            if last.iops < before.iops * (1 + Self.minimumGain) { return nil }
        }
        let d = last.iodepth * 2
        return d <= Self.maximumDepth && steps.count < 5 ? d : nil
    }

    public mutating func record(depth: Int, iops: Double) {
        steps.append(Step(iodepth: depth, iops: iops))
        // Keep the smallest depth within the gain of the best.
        let best = steps.map(\.iops).max() ?? 0
        chosen = steps.first { $0.iops * (1 + Self.minimumGain) >= best }?.iodepth ?? depth
    }
}
