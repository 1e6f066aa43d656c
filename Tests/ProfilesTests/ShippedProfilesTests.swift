import Foundation
import Testing
@testable import Profiles

/// The repository's `profiles/` directory, found from this file's path.
let builtInProfiles: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.appendingPathComponent("profiles").path
}()

/// A new temporary directory holding the given files; removed by the caller.
func temporaryDirectory(_ files: [String: String]) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tierbench-profiles-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    for (name, text) in files {
        try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    return dir.path
}

@Suite struct ShippedProfilesTests {
    static let tiers = [
        "gp2", "gp3", "io1", "io2", "st1", "sc1", "standard",
        "pd-standard", "pd-balanced", "pd-ssd", "pd-extreme", "hyperdisk-balanced", "hyperdisk-extreme", "hyperdisk-throughput",
        "Standard_LRS", "StandardSSD_LRS", "Premium_LRS", "PremiumV2_LRS", "UltraSSD_LRS",
    ]

    @Test func everyShippedProfileLoads() throws {
        let set = try ProfileSet.load(builtIn: builtInProfiles)
        #expect(set.names.sorted() == (Self.tiers + ["template-fixed"]).sorted())
        for p in set.profiles {
            #expect(p.checked == "2026-11-21", "\(p.name)")
            #expect(!p.sources.isEmpty, "\(p.name)")
            #expect(p.file?.hasSuffix("/\(p.name).yaml") == true, "\(p.name) is in \(p.file ?? "?")")
            if !p.template {
                #expect(!p.provisioners.isEmpty, "\(p.name)")
                #expect(["aws", "gcp", "azure"].contains(p.provider), "\(p.name)")
            }
        }
        #expect(set["template-fixed"]?.template == true)
    }

    @Test func everyShippedProfileEvaluatesAtASizeInItsRange() throws {
        let set = try ProfileSet.load(builtIn: builtInProfiles)
        for p in set.profiles {
            let size = p.sizeGiB.map { max($0.min, min(500, $0.max)) } ?? 500
            // Provisioned values for tiers without defaults.
            let values: [String: Double] = ["iops": 20_000, "throughput_mibps": 500, "throughput_mbps": 500]
            let e = try p.expectation(sizeGiB: size, values: values)
            #expect(e.iops.read.baseline != nil || e.iops.read.maximum != nil, "\(p.name)")
            #expect(e.throughputBytesPerSecond.read.baseline != nil || e.throughputBytesPerSecond.read.maximum != nil, "\(p.name)")
        }
    }

    @Test func provisionersSelectTiers() throws {
        let set = try ProfileSet.load(builtIn: builtInProfiles)
        #expect(set.matching(provisioner: "ebs.csi.aws.com", parameters: [:]).map(\.name) == ["gp3"])
        #expect(set.matching(provisioner: "ebs.csi.aws.com", parameters: ["Type": "io2"]).map(\.name) == ["io2"])
        #expect(set.matching(provisioner: "kubernetes.io/aws-ebs", parameters: ["type": "st1"]).map(\.name) == ["st1"])
        #expect(set.matching(provisioner: "pd.csi.storage.gke.io", parameters: ["type": "pd-ssd"]).map(\.name) == ["pd-ssd"])
        #expect(set.matching(provisioner: "disk.csi.azure.com", parameters: ["storageAccountType": "Premium_LRS"]).map(\.name) == ["Premium_LRS"])
        #expect(set.matching(provisioner: "example.com/none", parameters: [:]).isEmpty)
    }

    @Test func extraDirectoriesOverrideAndAdd() throws {
        let gp3 = try String(contentsOfFile: "\(builtInProfiles)/gp3.yaml", encoding: .utf8)
            .replacingOccurrences(of: "min(iops, 80_000, max(3_000, 500 * size_gib))", with: "min(iops, 16_000)")
        let template = try String(contentsOfFile: "\(builtInProfiles)/template-fixed.yaml", encoding: .utf8)
            .replacingOccurrences(of: "name: template-fixed", with: "name: local-nvme")
            .replacingOccurrences(of: "template: true\n", with: "")
        let dir = try temporaryDirectory(["my-gp3.yaml": gp3, "nvme.yml": template, "README.md": "not a profile"])
        defer { try? FileManager.default.removeItem(atPath: dir) }

        let builtIn = try ProfileSet.load(builtIn: builtInProfiles)
        let set = try ProfileSet.load(builtIn: builtInProfiles, extra: [dir])
        #expect(set.names.count == builtIn.names.count + 1)
        #expect(set["gp3"]?.file == "\(dir)/my-gp3.yaml")
        #expect(try set["gp3"]!.expectation(sizeGiB: 1_000, values: ["iops": 50_000]).iops.baseline == 16_000)
        #expect(try builtIn["gp3"]!.expectation(sizeGiB: 1_000, values: ["iops": 50_000]).iops.baseline == 50_000)
        let nvme = try #require(set["local-nvme"])
        #expect(nvme.template == false)
        #expect(try nvme.expectation(sizeGiB: 100).iops.baseline == 50_000)
        #expect(set.matching(provisioner: "rbd.csi.ceph.com", parameters: ["pool": "fast-pool"]).map(\.name) == ["local-nvme"])
        // The template itself never matches.
        #expect(builtIn.matching(provisioner: "rbd.csi.ceph.com", parameters: ["pool": "fast-pool"]).isEmpty)
    }

    @Test func twoFilesWithOneNameInADirectoryAreAnError() throws {
        let gp3 = try String(contentsOfFile: "\(builtInProfiles)/gp3.yaml", encoding: .utf8)
        let dir = try temporaryDirectory(["a.yaml": gp3, "b.yaml": gp3])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let error = #expect(throws: ProfileLoadError.self) { try ProfileSet.load(builtIn: builtInProfiles, extra: [dir]) }
        #expect(error?.description == "\(dir)/b.yaml: key `name`: profile `gp3` is also defined in \(dir)/a.yaml")
    }
}

@Suite struct ProfileErrorTests {
    static let minimal = """
        name: t
        provider: fixed
        throughput_unit: MiB/s
        iops:
          baseline: "1_000"
        throughput:
          baseline: "100"
        io_accounting: not published
        latency: not published
        consistency: not published
        sources: [here]
        checked: 2026-11-21
        """

    func loadError(_ text: String) -> ProfileLoadError? {
        do {
            _ = try ProfileSet.parse(text, file: "t.yaml")
            return nil
        } catch {
            return error
        }
    }

    @Test func minimalProfileLoads() throws {
        let p = try ProfileSet.parse(Self.minimal, file: "t.yaml")
        #expect(p.name == "t")
        #expect(p.latency.value == nil)
        #expect(try p.expectation(sizeGiB: 1).iops.maximum == 1_000)
    }

    @Test func malformedYAMLNamesFileAndLine() throws {
        let text = Self.minimal.replacingOccurrences(of: "  baseline: \"1_000\"", with: "  baseline: \"1_000\n   maximum: [")
        let e = try #require(loadError(text))
        #expect(e.file == "t.yaml")
        #expect(e.line != nil)
        #expect(e.description.hasPrefix("t.yaml:"))
        #expect(e.description.contains("malformed YAML"))
        let tabs = try #require(loadError("name: t\n\tprovider: x\n"))
        #expect(tabs.description.hasPrefix("t.yaml:2:"), "\(tabs)")
    }

    @Test func formulaErrorsNameKeyLineAndColumn() throws {
        let text = Self.minimal.replacingOccurrences(of: "baseline: \"1_000\"", with: "baseline: \"min(3 *, 4)\"")
        let e = try #require(loadError(text))
        #expect(e.line == 5)
        #expect(e.key == "iops.baseline")
        // The value starts at column 13 (its quote); the error is at character 8 of the formula.
        #expect(e.column == 13 + 1 + 7)
        #expect(e.description == "t.yaml:5:21: key `iops.baseline`: formula `min(3 *, 4)`, at character 8: expected a number, a name, a function call or `(` but found `,`")
    }

    @Test func unknownKeysMissingKeysAndUnboundVariablesAreErrors() throws {
        let typo = try #require(loadError(Self.minimal.replacingOccurrences(of: "  baseline: \"100\"", with: "  baseline: \"100\"\n  maximun: \"200\"")))
        #expect(typo.line == 8)
        #expect(typo.key == "throughput.maximun")
        #expect(typo.message.hasPrefix("unknown key `maximun`"))
        let missing = try #require(loadError(Self.minimal.replacingOccurrences(of: "sources: [here]\n", with: "")))
        #expect(missing.message == "missing key `sources`")
        #expect(missing.line == 1)
        let unbound = try #require(loadError(Self.minimal.replacingOccurrences(of: "\"1_000\"", with: "\"3 * iops\"")))
        #expect(unbound.message.contains("iops.baseline: formula `3 * iops` reads `iops`, which no parameter sets"))
        let badDate = try #require(loadError(Self.minimal.replacingOccurrences(of: "2026-11-21", with: "last week")))
        #expect(badDate.key == "checked")
        #expect(badDate.line == 12)
        let badShare = try #require(loadError(Self.minimal.replacingOccurrences(
            of: "consistency: not published", with: "consistency: {share_of_time: 99, metric: iops}")))
        #expect(badShare.key == "consistency.share_of_time")
        let badUnit = try #require(loadError(Self.minimal.replacingOccurrences(of: "MiB/s", with: "GB/s")))
        #expect(badUnit.key == "throughput_unit")
        #expect(badUnit.line == 3)
    }
}
