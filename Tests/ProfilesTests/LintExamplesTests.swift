import Testing
@testable import Profiles

/// One worked example per lint rule of the shipped profiles: a volume just over the rule's bound
/// gets exactly the finding, one just inside gets none. A test also checks the table covers every
/// rule, so a new rule needs an example here.
@Suite struct LintExamplesTests {
    struct Example: Sendable, CustomStringConvertible {
        var profile: String
        var sizeGiB: Double
        var bad: [String: Double]
        var good: [String: Double]
        var ids: [String]
        var description: String { ids.joined(separator: ",") }
    }

    static let examples: [Example] = [
        // AWS
        Example(profile: "gp3", sizeGiB: 200, bad: ["iops": 80_001], good: ["iops": 80_000], ids: ["gp3-iops-range"]),
        Example(profile: "gp3", sizeGiB: 10, bad: ["iops": 5_001], good: ["iops": 5_000], ids: ["gp3-iops-per-gib"]),
        Example(profile: "gp3", sizeGiB: 1000, bad: ["throughput_mibps": 2_001, "iops": 16_000], good: ["throughput_mibps": 2_000, "iops": 16_000], ids: ["gp3-throughput-range"]),
        Example(profile: "gp3", sizeGiB: 1000, bad: ["throughput_mibps": 1_001, "iops": 4_000], good: ["throughput_mibps": 1_000, "iops": 4_000], ids: ["gp3-throughput-per-iops"]),
        Example(profile: "io1", sizeGiB: 100, bad: ["iops": 99], good: ["iops": 100], ids: ["io1-iops-range"]),
        Example(profile: "io1", sizeGiB: 100, bad: ["iops": 5_001], good: ["iops": 5_000], ids: ["io1-iops-per-gib"]),
        Example(profile: "io1", sizeGiB: 1000, bad: ["iops": 32_001], good: ["iops": 32_000], ids: ["io1-non-nitro"]),
        Example(profile: "io2", sizeGiB: 1000, bad: ["iops": 256_001], good: ["iops": 256_000], ids: ["io2-iops-range"]),
        Example(profile: "io2", sizeGiB: 10, bad: ["iops": 10_001], good: ["iops": 10_000], ids: ["io2-iops-per-gib"]),
        // GCP
        Example(profile: "hyperdisk-balanced", sizeGiB: 1000, bad: ["iops": 160_001], good: ["iops": 160_000], ids: ["hyperdisk-balanced-iops-max"]),
        Example(profile: "hyperdisk-balanced", sizeGiB: 1000, bad: ["throughput_mibps": 2_401], good: ["throughput_mibps": 2_400], ids: ["hyperdisk-balanced-throughput-max"]),
        Example(profile: "hyperdisk-extreme", sizeGiB: 1000, bad: ["iops": 127], good: ["iops": 128], ids: ["hyperdisk-extreme-iops-range"]),
        Example(profile: "hyperdisk-throughput", sizeGiB: 2000, bad: ["throughput_mibps": 2_401], good: ["throughput_mibps": 2_400], ids: ["hyperdisk-throughput-range"]),
        Example(profile: "pd-extreme", sizeGiB: 1000, bad: ["iops": 9_999], good: ["iops": 10_000], ids: ["pd-extreme-iops-typical"]),
        // Azure
        Example(profile: "PremiumV2_LRS", sizeGiB: 1000, bad: ["iops": 80_001], good: ["iops": 80_000], ids: ["premiumv2-iops-max"]),
        // 3,000 + 500 per GiB above 6 GiB: 10 GiB allows 5,000.
        Example(profile: "PremiumV2_LRS", sizeGiB: 10, bad: ["iops": 5_001], good: ["iops": 5_000], ids: ["premiumv2-iops-per-gib"]),
        Example(profile: "PremiumV2_LRS", sizeGiB: 1000, bad: ["throughput_mbps": 2_001, "iops": 10_000], good: ["throughput_mbps": 2_000, "iops": 10_000], ids: ["premiumv2-throughput-max"]),
        Example(profile: "PremiumV2_LRS", sizeGiB: 1000, bad: ["throughput_mbps": 1_001, "iops": 4_000], good: ["throughput_mbps": 1_000, "iops": 4_000], ids: ["premiumv2-throughput-per-iops"]),
        Example(profile: "UltraSSD_LRS", sizeGiB: 1000, bad: ["iops": 99], good: ["iops": 100], ids: ["ultra-iops-range"]),
        Example(profile: "UltraSSD_LRS", sizeGiB: 10, bad: ["iops": 10_001], good: ["iops": 10_000], ids: ["ultra-iops-per-gib"]),
        Example(profile: "UltraSSD_LRS", sizeGiB: 1000, bad: ["throughput_mbps": 10_001, "iops": 100_000], good: ["throughput_mbps": 10_000, "iops": 100_000], ids: ["ultra-throughput-range"]),
        Example(profile: "UltraSSD_LRS", sizeGiB: 1000, bad: ["throughput_mbps": 1_001, "iops": 4_000], good: ["throughput_mbps": 1_000, "iops": 4_000], ids: ["ultra-throughput-per-iops"]),
    ]

    let set: ProfileSet
    init() throws { set = try ProfileSet.load(builtIn: builtInProfiles) }

    @Test(arguments: examples) func overTheBoundIsFoundInsideIsNot(_ e: Example) throws {
        let p = try #require(set[e.profile])
        #expect(p.lint(sizeGiB: e.sizeGiB, values: e.bad).map(\.id) == e.ids)
        #expect(p.lint(sizeGiB: e.sizeGiB, values: e.good).isEmpty)
    }

    @Test func everyShippedRuleHasAnExample() {
        let rules = Set(set.profiles.flatMap { $0.limits.map(\.id) })
        let covered = Set(Self.examples.flatMap(\.ids))
        #expect(rules.subtracting(covered).isEmpty, "rules without an example: \(rules.subtracting(covered).sorted())")
    }

    @Test func effectsAreRejectedOrWarning() throws {
        #expect(set["io1"]!.lint(sizeGiB: 1000, values: ["iops": 40_000]).first?.effect == .warning)
        #expect(set["io2"]!.lint(sizeGiB: 10, values: ["iops": 20_000]).first?.effect == .rejected)
    }

    @Test func sizeOutsideTheRangeOfEachTier() throws {
        for p in set.profiles where !p.template {
            guard let range = p.sizeGiB else { continue }
            #expect(p.lint(sizeGiB: range.max + 1).map(\.id) == ["size-range"], "\(p.name)")
            #expect(p.lint(sizeGiB: range.min).isEmpty, "\(p.name)")
            if range.min > 1 { #expect(p.lint(sizeGiB: range.min - 1).map(\.id) == ["size-range"], "\(p.name)") }
        }
    }
}
