import Foundation
import Testing
@testable import Check
import Profiles
import Stats
import Workload

let builtInProfiles: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.appendingPathComponent("profiles").path
}()

let profiles: ProfileSet = try! ProfileSet.load(builtIn: builtInProfiles)
let mib = 1_048_576.0

func subject(_ tier: String, _ size: String, iops: Double? = nil, throughput: Double? = nil) throws -> CheckSubject {
    try CheckSubject(try profiles.resolve(tier: tier, size: try Quantity.parse(size), iops: iops, throughput: throughput))
}

/// A job with one interval per value (1 s each), of reads, writes or a mix (rates split by the mix).
func job(_ name: String, _ rw: ReadWrite, bs: UInt64, depth: Int = 32, iops: [Double] = [], bandwidth: [Double] = [], mix: Int = 70) -> MeasuredJob {
    let n = max(iops.count, bandwidth.count)
    var intervals: [IntervalSample] = []
    for i in 0..<n {
        let rate = i < iops.count ? iops[i] : bandwidth[i] / Double(bs)
        let readShare = rw.isMixed ? Double(mix) / 100 : (rw.reads ? 1 : 0)
        func d(_ share: Double) -> IntervalDirection? {
            share == 0 ? nil : IntervalDirection(ios: UInt64(rate * share), bytes: UInt64(rate * share * Double(bs)), iops: rate * share,
                                                 bandwidthBytesPerSecond: rate * share * Double(bs), latMeanNs: 1000, latP99Ns: 2000)
        }
        intervals.append(IntervalSample(index: i, startNs: UInt64(i) * 1_000_000_000, durationNs: 1_000_000_000, read: d(readShare), write: d(1 - readShare)))
    }
    let mean = n == 0 ? 0 : (iops.isEmpty ? bandwidth.reduce(0, +) / Double(n) / Double(bs) : iops.reduce(0, +) / Double(n))
    let share = rw.isMixed ? Double(mix) / 100 : 1
    let dir = MeasuredDirection(iops: mean * share, bandwidthBytesPerSecond: mean * share * Double(bs), latP50Ns: nil, latP99Ns: nil, latMeanNs: nil)
    return MeasuredJob(name: name, rw: rw, rwmixread: mix, blockSizeBytes: bs, iodepth: depth,
                       read: rw.reads ? dir : nil, write: rw.writes ? dir : nil, intervals: intervals)
}

@Suite struct JudgeTests {
    let gp3: CheckSubject
    let judge: Judge

    init() throws {
        gp3 = try subject("gp3", "100Gi")
        judge = Judge(subject: gp3, promise: Promise.of(gp3.profile))
    }

    @Test func gp3PromiseIsPublished() {
        #expect(judge.promise.shareOfExpected == 0.9)
        #expect(judge.promise.shareOfTime == 0.99)
    }

    @Test func expectedRatesFollowTheCountedIOSize() throws {
        // 16 KiB: 3,000 IOPS (48 MiB/s, under 125 MiB/s).
        #expect(judge.expectedIOPS(bs: 16 << 10, write: false) == 3000)
        // 1 MiB counts as 4 I/Os of 256 KiB: 750 IOPS would be 750 MiB/s; throughput caps at 125 MiB/s.
        #expect(judge.expectedThroughput(bs: 1 << 20, write: false) == 125 * mib)
        // 64 KiB: 3,000 IOPS x 64 KiB = 187.5 MiB/s > 125, so the throughput limits the IOPS: 2,000.
        #expect(judge.expectedIOPS(bs: 64 << 10, write: true) == 2000)
        // io1 with 100 IOPS on 10 GiB: 1 MiB I/Os cost 4 each, so 25 MiB/s.
        let io1 = try subject("io1", "10Gi", iops: 100)
        let j = Judge(subject: io1, promise: Promise.of(io1.profile))
        #expect(j.expectedThroughput(bs: 1 << 20, write: false) == 25 * mib)
    }

    @Test func passesWhenEveryIntervalReachesTheShare() {
        let r = judge.judge(job("randread", .randread, bs: 16 << 10, iops: Array(repeating: 3005, count: 10)))
        #expect(r.count == 1)
        #expect(r[0].verdict == .pass)
        #expect(r[0].expected == 3000)
        #expect(r[0].intervalsAtThreshold == 10)
        #expect(r[0].metric == "randread read IOPS")
    }

    @Test func failsBelowTheShareAndSaysWhy() {
        let r = judge.judge(job("randwrite", .randwrite, bs: 16 << 10, iops: Array(repeating: 2000, count: 10)))
        #expect(r[0].verdict == .fail)
        #expect(r[0].reason.contains("0/10 intervals reached 2700 IOPS"))
        #expect(r[0].metric == "randwrite write IOPS")
    }

    @Test func shareOfTimeBoundary() {
        // 99 of 100 intervals at the share: exactly 99%, passes; 98 of 100 fails.
        let good = Array(repeating: 3000.0, count: 99) + [100]
        #expect(judge.judge(job("r", .randread, bs: 16 << 10, iops: good))[0].verdict == .pass)
        let bad = Array(repeating: 3000.0, count: 98) + [100, 100]
        #expect(judge.judge(job("r", .randread, bs: 16 << 10, iops: bad))[0].verdict == .fail)
        // The share of expected: 2,700 is 90% of 3,000 and counts; 2,699 does not.
        #expect(judge.judge(job("r", .randread, bs: 16 << 10, iops: Array(repeating: 2700, count: 5)))[0].verdict == .pass)
        #expect(judge.judge(job("r", .randread, bs: 16 << 10, iops: Array(repeating: 2699, count: 5)))[0].verdict == .fail)
    }

    @Test func farAboveTheCapIsSuspicious() {
        let r = judge.judge(job("r", .randread, bs: 16 << 10, iops: Array(repeating: 90_000, count: 5)))
        #expect(r[0].verdict == .suspicious)
        #expect(r[0].reason.contains("a cache"))
        // Up to twice the cap is not (a per-direction throttle lets a mix exceed a shared cap).
        #expect(judge.judge(job("r", .randread, bs: 16 << 10, iops: Array(repeating: 5900, count: 5)))[0].verdict == .pass)
    }

    @Test func mixIsJudgedOnBothDirectionsTogether() {
        let r = judge.judge(job("mix", .randrw, bs: 8 << 10, iops: Array(repeating: 3000, count: 5)))
        #expect(r.count == 1)
        #expect(r[0].metric == "mix read+write IOPS")
        #expect(r[0].measured == 3000)
        #expect(r[0].verdict == .pass)
    }

    @Test func sequentialJobsAreThroughputMetrics() {
        let ok = judge.judge(job("seq", .write, bs: 1 << 20, bandwidth: Array(repeating: 126 * mib, count: 5)))
        #expect(ok[0].kind == .throughput)
        #expect(ok[0].unit == "MiB/s")
        #expect(ok[0].verdict == .pass)
        let slow = judge.judge(job("seq", .read, bs: 1 << 20, bandwidth: Array(repeating: 60 * mib, count: 5)))
        #expect(slow[0].verdict == .fail)
        #expect(slow[0].reason.contains("113 MiB/s"))
    }

    @Test func queueDepthOneIsALatencyTest() {
        var j = job("lat", .randread, bs: 4096, depth: 1, iops: [300, 300])
        j.read?.latP50Ns = 2_000_000
        j.read?.latP99Ns = 30_000_000
        let r = judge.judge(j)
        #expect(r.map(\.kind) == [.latencyP50, .latencyP99])
        #expect(r[0].verdict == .pass)  // 2 ms within "single-digit ms" (10 ms)
        #expect(r[1].verdict == .notJudged)  // gp3 publishes no p99
        j.read?.latP50Ns = 12_000_000
        #expect(judge.judge(j)[0].verdict == .fail)
    }

    @Test func unpublishedRatesAreNotJudged() throws {
        let sc1 = try subject("sc1", "2Ti")
        let j = Judge(subject: sc1, promise: Promise.of(sc1.profile))
        let r = j.judge(job("rand", .randread, bs: 16 << 10, iops: [100, 100]))
        #expect(r[0].verdict == .notJudged)
        #expect(r[0].reason.contains("publishes no IOPS baseline"))
    }

    @Test func creditTiersReportTheBurstPhaseAndJudgeTheBaseline() throws {
        let sc1 = try subject("sc1", "2Ti")  // baseline 24 MiB/s, burst 160 MiB/s
        let j = Judge(subject: sc1, promise: Promise.of(sc1.profile))
        let r = j.judge(job("seq", .read, bs: 1 << 20, bandwidth: Array(repeating: 30 * mib, count: 5)))
        #expect(r.map(\.kind) == [.throughput, .burst])
        #expect(r[0].expected == 24)
        #expect(r[0].verdict == .pass)
        #expect(r[1].verdict == .info)
        #expect(r[1].expected == 160)
        #expect(r[1].reason.contains("full bucket lasts"))
    }

    @Test func sustainedSkipsTheDrainingIntervals() throws {
        // Fast for the first 5 s (a full bucket), then below the baseline: judged only after 5 s.
        let sc1 = try subject("sc1", "2Ti")
        let series = Array(repeating: 160 * mib, count: 5) + Array(repeating: 10 * mib, count: 5)
        let all = Judge(subject: sc1, promise: Promise.of(sc1.profile))
        #expect(all.judge(job("seq", .read, bs: 1 << 20, bandwidth: series))[0].verdict == .fail)
        let drained = Judge(subject: sc1, promise: Promise.of(sc1.profile), skipNanoseconds: 5_000_000_000)
        let r = drained.judge(job("seq", .read, bs: 1 << 20, bandwidth: series))[0]
        #expect(r.intervalsJudged == 5)
        #expect(r.measured == 10)
        let ok = Array(repeating: 160 * mib, count: 5) + Array(repeating: 25 * mib, count: 5)
        #expect(drained.judge(job("seq", .read, bs: 1 << 20, bandwidth: ok))[0].verdict == .pass)
    }

    @Test func promiseDefaultsAndOverrides() throws {
        let pd = try subject("pd-ssd", "500Gi")
        let p = Promise.of(pd.profile)
        #expect(p.shareOfExpected == Promise.defaultShareOfExpected)
        #expect(p.shareOfTime == Promise.defaultShareOfTime)
        #expect(p.source.contains("tierbench's default"))
        let o = Promise.of(gp3.profile, shareOfExpected: 0.5, shareOfTime: 1)
        #expect(o.shareOfExpected == 0.5 && o.shareOfTime == 1)
        #expect(o.source.contains("command line"))
    }

    @Test func withoutIntervalsTheMeanIsJudged() {
        var j = job("fio", .randread, bs: 16 << 10, iops: [3100, 3100])
        j.intervals = []
        let r = judge.judge(j)[0]
        #expect(r.verdict == .pass)
        #expect(r.reason.contains("the run's mean"))
    }
}

@Suite struct PlanTests {
    @Test func littlesLaw() {
        #expect(SuitePlan.depth(rate: 3000, latencySeconds: 0.010) == 30)
        #expect(SuitePlan.depth(rate: 0, latencySeconds: 0.010) == 1)
        #expect(SuitePlan.depth(rate: 1e9, latencySeconds: 1) == 256)
    }

    @Test func iopsTierSuite() throws {
        let s = try subject("gp3", "100Gi")
        let plan = SuitePlan(judge: Judge(subject: s, promise: Promise.of(s.profile)), runtimeNanoseconds: 5_000_000_000,
                             rampNanoseconds: 1_000_000_000, sustained: false)
        #expect(plan.littleDepth == 30)  // 3,000 IOPS x 10 ms
        #expect(plan.jobs.map(\.name) == ["randread-16k-qd30", "randwrite-16k-qd30", "seqread-1m-qd4", "seqwrite-1m-qd4", "mixed70-8k-qd30", "randread-4k-qd1"])
        #expect(plan.jobs.allSatisfy { $0.timeBased && $0.runtimeNanoseconds == 5_000_000_000 })
        #expect(plan.jobs.allSatisfy { $0.stonewall == true }, "the suite's jobs run one after another")
        #expect(plan.jobs[4].rwmixread == 70)
    }

    @Test func throughputTierSuiteAndSustained() throws {
        let s = try subject("sc1", "2Ti")
        let judge = Judge(subject: s, promise: Promise.of(s.profile))
        let plan = SuitePlan(judge: judge, runtimeNanoseconds: 5_000_000_000, rampNanoseconds: 0, sustained: false)
        #expect(plan.jobs.map(\.rw) == [.read, .write])
        let sustained = SuitePlan(judge: judge, runtimeNanoseconds: 5_000_000_000, rampNanoseconds: 0, sustained: true)
        // 2 TiB of credits drained at 160 - 24 MiB/s: 15,420 s; x 1.1 before judging.
        let drain = 2.0 * 1024 * 1024 / (160 - 24)
        #expect(abs(Double(sustained.skipNanoseconds) / 1e9 - drain * 1.1) < 1)
        #expect(sustained.jobs[0].runtimeNanoseconds == sustained.skipNanoseconds + 5_000_000_000)
    }

    @Test func depthSearchStopsWhenIOPSStopRising() {
        var d = DepthSearch(littleDepth: 8)
        #expect(d.next == 8)
        d.record(depth: 8, iops: 1000)
        #expect(d.next == 16)
        d.record(depth: 16, iops: 1900)
        #expect(d.next == 32)
        d.record(depth: 32, iops: 2000)  // +5%: stop
        #expect(d.next == nil)
        #expect(d.chosen == 16)  // the smallest within 10% of the best
    }
}
