import Testing
@testable import Profiles

let mib = 1_048_576.0
let mb = 1_000_000.0

/// Worked examples of every provider's formulas, with the numbers of cloud-tiers.md.
@Suite struct WorkedExamplesTests {
    let set: ProfileSet

    init() throws {
        set = try ProfileSet.load(builtIn: builtInProfiles)
    }

    func expect(_ name: String, _ size: Double, _ values: [String: Double] = [:], enabled: Set<String> = []) throws -> VolumeExpectation {
        let profile = try #require(set[name], "no profile \(name)")
        return try profile.expectation(sizeGiB: size, values: values, enabled: enabled)
    }

    // MARK: AWS

    @Test func gp2SmallVolumeBurstsOnItsBucket() throws {
        let e = try expect("gp2", 100)
        #expect(e.iops.baseline == 300)
        #expect(e.iops.maximum == 3_000)
        #expect(e.throughputBytesPerSecond.baseline == 128 * mib)
        let bucket = try #require(e.burst?.buckets.first)
        #expect(e.burst?.model == .credits)
        #expect(bucket.capacity == 5_400_000)
        #expect(bucket.fullBucketSeconds == 2_000)  // 5.4e6 / (3,000 - 300)
    }

    @Test func gp2FloorAndCap() throws {
        #expect(try expect("gp2", 1).iops.baseline == 100)
        let big = try expect("gp2", 6_000)
        #expect(big.iops.baseline == 16_000)
        #expect(big.iops.maximum == 16_000)
        #expect(big.burst?.buckets.first?.fullBucketSeconds == nil)  // no burst above baseline
        #expect(big.throughputInUnit.baseline == 250)
        // 170-334 GiB: 250 MiB/s while credits last, 128 baseline.
        let mid = try expect("gp2", 200)
        #expect(mid.throughputInUnit.baseline == 128)
        #expect(mid.throughputInUnit.maximum == 250)
    }

    @Test func gp3ProvisionedAndDefaults() throws {
        let e = try expect("gp3", 500, ["iops": 16_000, "throughput_mibps": 1_000])
        #expect(e.iops.baseline == 16_000)
        #expect(e.iops.maximum == 16_000)
        #expect(e.throughputBytesPerSecond.baseline == 1_000 * mib)
        #expect(e.burst == nil)
        let d = try expect("gp3", 1)
        #expect(d.iops.baseline == 3_000)  // 3,000 at any size
        #expect(d.throughputInUnit.baseline == 125)
        // 500 IOPS per GiB caps an 8 GiB volume at 4,000, and the lint says the cloud rejects 16,000.
        #expect(try expect("gp3", 8, ["iops": 16_000]).iops.baseline == 4_000)
        let findings = set["gp3"]!.lint(sizeGiB: 8, values: ["iops": 16_000, "throughput_mibps": 4_001])
        #expect(findings.map(\.id) == ["gp3-iops-per-gib", "gp3-throughput-range", "gp3-throughput-per-iops"])
        #expect(findings.allSatisfy { $0.effect == .rejected })
        #expect(set["gp3"]!.lint(sizeGiB: 500, values: ["iops": 16_000, "throughput_mibps": 1_000]).isEmpty)
        #expect(set["gp3"]!.lint(sizeGiB: 70_000).map(\.id) == ["size-range"])
        #expect(try expect("gp3", 1_000, ["iops": 90_000, "throughput_mibps": 3_000]).iops.baseline == 80_000)
    }

    @Test func io1AndIo2ProvisionedIOPS() throws {
        let big = try expect("io1", 1_280, ["iops": 64_000])  // 50 IOPS per GiB reach 64,000 at 1,280 GiB
        #expect(big.iops.baseline == 64_000)
        #expect(big.throughputInUnit.baseline == 1_000)  // 16 KiB x 64,000
        let capped = try expect("io1", 100, ["iops": 10_000])
        #expect(capped.iops.baseline == 5_000)  // 50 IOPS per GiB
        #expect(capped.throughputInUnit.baseline == 500)
        #expect(set["io1"]!.lint(sizeGiB: 100, values: ["iops": 10_000]).map(\.id) == ["io1-iops-per-gib"])
        let io2 = try expect("io2", 100, ["iops": 256_000])
        #expect(io2.iops.baseline == 100_000)  // 1,000 IOPS per GiB
        #expect(io2.throughputInUnit.baseline == 4_000)
        #expect(try expect("io2", 4, ["iops": 1_000]).throughputInUnit.baseline == 256)
    }

    @Test func st1AndSc1ThroughputCredits() throws {
        let st1 = try expect("st1", 2_048)
        #expect(st1.throughputInUnit.baseline == 80)
        #expect(st1.throughputInUnit.maximum == 500)
        #expect(st1.iops.maximum == 500)
        #expect(st1.iops.baseline == nil)  // not published
        let bucket = try #require(st1.burst?.buckets.first)
        #expect(bucket.measures == .throughput)
        #expect(bucket.capacity == 2_048 * 1_024)  // 2 TiB of credits, in MiB
        let seconds = try #require(bucket.fullBucketSeconds)
        #expect(abs(seconds - 2_097_152.0 / 420) < 1e-9)
        let sc1 = try expect("sc1", 16_384)
        #expect(sc1.throughputInUnit.baseline == 192)
        #expect(sc1.throughputInUnit.maximum == 250)
        #expect(set["st1"]!.lint(sizeGiB: 100).map(\.id) == ["size-range"])
    }

    @Test func standardMagneticPublishesOnlyRanges() throws {
        let e = try expect("standard", 100)
        #expect(e.iops.baseline == 100)
        #expect(e.iops.maximum == nil)
        #expect(e.throughputInUnit.maximum == 90)
    }

    // MARK: GCP

    @Test func pdBalancedAndSsdScaleWithSize() throws {
        let b = try expect("pd-balanced", 100)
        #expect(b.iops.baseline == 3_600)
        #expect(b.throughputBytesPerSecond.baseline == 168 * mib)
        let bCap = try expect("pd-balanced", 20_000)
        #expect(bCap.iops.baseline == 80_000)
        #expect(bCap.throughputInUnit.baseline == 1_200)
        #expect(try expect("pd-ssd", 1_000).iops.baseline == 36_000)
        #expect(try expect("pd-ssd", 1_000).throughputInUnit.baseline == 720)
        #expect(try expect("pd-ssd", 5_000).iops.baseline == 100_000)
    }

    @Test func pdStandardReadsAndWritesDiffer() throws {
        let e = try expect("pd-standard", 1_000)
        #expect(e.iops.read.baseline == 750)
        #expect(e.iops.write.baseline == 1_500)
        #expect(e.iops.baseline == nil)
        let big = try expect("pd-standard", 10_000)
        #expect(big.throughputInUnit.read.baseline == 1_200)
        #expect(big.throughputInUnit.write.baseline == 400)
    }

    @Test func hyperdisks() throws {
        let hb = try expect("hyperdisk-balanced", 100)
        #expect(hb.iops.baseline == 3_000)
        #expect(hb.throughputInUnit.baseline == 140)
        let he = try expect("hyperdisk-extreme", 1_000, ["iops": 10_000])
        #expect(he.throughputInUnit.baseline == 2_500)
        #expect(try expect("hyperdisk-extreme", 1_000, ["iops": 350_000]).throughputInUnit.baseline == 5_000)
        #expect(try expect("hyperdisk-throughput", 2_000, ["throughput_mibps": 500]).iops.baseline == 2_000)
        #expect(try expect("hyperdisk-throughput", 2_000, ["throughput_mibps": 3_000]).iops.baseline == 9_600)
        #expect(set["hyperdisk-throughput"]!.lint(sizeGiB: 2_000, values: ["throughput_mibps": 10]).map(\.id) == ["hyperdisk-throughput-range"])
    }

    @Test func pdExtremeNeedsProvisionedIOPS() throws {
        let e = try expect("pd-extreme", 1_000, ["iops": 50_000])
        #expect(e.iops.baseline == 50_000)
        #expect(e.throughputInUnit.read.maximum == 4_000)
        #expect(e.throughputInUnit.write.maximum == 3_000)
        #expect(e.throughputInUnit.read.baseline == nil)
        let error = #expect(throws: ProfileEvaluationError.self) { try expect("pd-extreme", 1_000) }
        #expect(error?.description.contains("variable `iops` has no value") == true)
        #expect(error?.description.contains("pd-extreme.yaml") == true)
    }

    // MARK: Azure

    @Test func premiumSizeTiersAndCreditBurst() throws {
        let p20 = try expect("Premium_LRS", 500)
        #expect(p20.sizeTier == "P20")
        #expect(p20.iops.baseline == 2_300)
        #expect(p20.throughputBytesPerSecond.baseline == 150 * mb)
        #expect(p20.iops.maximum == 3_500)
        #expect(p20.throughputInUnit.maximum == 170)
        #expect(p20.burst?.model == .credits)
        #expect(p20.burst?.buckets.map(\.fullBucketSeconds) == [1_800, 1_800])
        let p1 = try expect("Premium_LRS", 4)
        #expect(p1.sizeTier == "P1")
        #expect(p1.iops.baseline == 120)
        #expect(p1.throughputInUnit.baseline == 25)
        let p80 = try expect("Premium_LRS", 32_767)
        #expect(p80.sizeTier == "P80")
        #expect(p80.iops.baseline == 20_000)
        #expect(p80.throughputInUnit.baseline == 900)
    }

    @Test func premiumOnDemandBurstNeedsEnableBursting() throws {
        let p30 = try expect("Premium_LRS", 1_024)
        #expect(p30.sizeTier == "P30")
        #expect(p30.iops.baseline == 5_000)
        #expect(p30.iops.maximum == 5_000)
        #expect(p30.burst == nil)
        let bursting = try expect("Premium_LRS", 1_024, enabled: ["enableBursting"])
        #expect(bursting.burst?.model == .onDemand)
        #expect(bursting.iops.maximum == 30_000)
        #expect(bursting.throughputBytesPerSecond.maximum == 1_000 * mb)
        #expect(set["Premium_LRS"]!.lint(sizeGiB: 40_000).map(\.id) == ["size-range"])
        #expect(throws: ProfileEvaluationError.self) { try expect("Premium_LRS", 40_000) }
    }

    @Test func standardSSDAndHDD() throws {
        let e10 = try expect("StandardSSD_LRS", 100)
        #expect(e10.sizeTier == "E10")
        #expect(e10.iops.baseline == 500)
        #expect(e10.iops.maximum == 600)
        #expect(e10.throughputInUnit.maximum == 150)
        #expect(e10.burst?.buckets.first?.fullBucketSeconds == 1_800)
        let e30 = try expect("StandardSSD_LRS", 1_000)
        #expect(e30.iops.maximum == 1_000)
        #expect(e30.throughputInUnit.maximum == 250)
        let e60 = try expect("StandardSSD_LRS", 8_000)
        #expect(e60.iops.baseline == 2_000)
        #expect(e60.burst == nil)
        let s60 = try expect("Standard_LRS", 8_192)
        #expect(s60.sizeTier == "S60")
        #expect(s60.iops.baseline == 1_300)
        #expect(s60.throughputBytesPerSecond.baseline == 300 * mb)
    }

    @Test func premiumV2() throws {
        let d = try expect("PremiumV2_LRS", 100)
        #expect(d.iops.baseline == 3_000)
        #expect(d.throughputBytesPerSecond.baseline == 125 * mb)
        let small = try expect("PremiumV2_LRS", 10, ["iops": 80_000])
        #expect(small.iops.baseline == 5_000)  // 3,000 + 500 x (10 - 6)
        #expect(set["PremiumV2_LRS"]!.lint(sizeGiB: 10, values: ["iops": 80_000]).map(\.id) == ["premiumv2-iops-per-gib"])
        let big = try expect("PremiumV2_LRS", 1_000, ["iops": 80_000, "throughput_mbps": 2_000])
        #expect(big.iops.baseline == 80_000)
        #expect(big.throughputInUnit.baseline == 2_000)
    }

    @Test func ultra() throws {
        let e = try expect("UltraSSD_LRS", 1_000, ["iops": 100_000, "throughput_mbps": 2_000])
        #expect(e.iops.baseline == 100_000)
        #expect(e.throughputBytesPerSecond.baseline == 2_000 * mb)
        let small = try expect("UltraSSD_LRS", 10, ["iops": 50_000, "throughput_mbps": 5_000])
        #expect(small.iops.baseline == 10_000)  // 1,000 per GiB
        #expect(small.throughputInUnit.baseline == 2_500)  // 0.25 MB/s per IOPS
        #expect(set["UltraSSD_LRS"]!.lint(sizeGiB: 10, values: ["iops": 50_000, "throughput_mbps": 5_000]).map(\.id)
            == ["ultra-iops-per-gib"])
        #expect(try expect("UltraSSD_LRS", 1_000, ["iops": 10, "throughput_mbps": 1]).iops.baseline == 100)
        #expect(throws: ProfileEvaluationError.self) { try expect("UltraSSD_LRS", 1_000) }
    }
}
