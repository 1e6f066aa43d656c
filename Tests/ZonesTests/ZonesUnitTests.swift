@testable import Check
import Foundation
import Profiles
import Stats
import Testing
import Yams
@testable import Zones

/// The pieces of a per-zone run that need no cluster: manifests as YAML and JSON, names and
/// labels, tolerations, the comparison across zones, and exact merging of latency.
@Suite struct ZonesUnitTests {
    func plan(zones: [String] = ["us-east-1a", "us-east-1b"], perZone: Int = 1) -> ZonePlan {
        let sc = StorageClass(name: "gp3-fast", provisioner: "ebs.csi.aws.com", parameters: ["type": "gp3", "iops": "6000"], volumeBindingMode: "WaitForFirstConsumer")
        return ZonePlan(runID: "0a1b2c3d", namespace: "bench", storageClass: sc, size: try! Quantity.parse("100Gi"), zones: zones, perZone: perZone,
                        image: "registry.example/tierbench:1", suiteArguments: ["--runtime", "5s"])
    }

    /// YAML for people and JSON for kubectl describe the same objects.
    @Test func yamlAndJSONAgree() throws {
        for object in plan(perZone: 2).manifests(ownerUID: "u-1") {
            let fromYAML = try #require(try Yams.load(yaml: object.yaml()) as? [String: Any])
            let fromJSON = try #require(try JSONSerialization.jsonObject(with: Data(object.json.utf8)) as? [String: Any])
            #expect(NSDictionary(dictionary: fromYAML).isEqual(to: fromJSON), "\(object.yaml())")
        }
        // Strings that YAML would read as something else stay strings.
        let tricky: Tree = ["a": "true", "b": "0x10", "c": "1e3", "d": "null", "e": "- x", "f": "multi\nline\n", "g": "yes", "h": "", "i": "x: y", "j": "#no"]
        let back = try #require(try Yams.load(yaml: tricky.yaml()) as? [String: Any])
        for (k, v) in ["a": "true", "b": "0x10", "c": "1e3", "d": "null", "e": "- x", "f": "multi\nline\n", "g": "yes", "h": "", "i": "x: y", "j": "#no"] {
            #expect(back[k] as? String == v, "\(k): \(String(describing: back[k]))")
        }
    }

    @Test func namesLabelsAndOwner() {
        let p = plan(zones: ["eu-west-1a", "Zone_B"], perZone: 2)
        #expect(p.slots.map(\.name) == ["tierbench-0a1b2c3d-eu-west-1a-0", "tierbench-0a1b2c3d-eu-west-1a-1", "tierbench-0a1b2c3d-zone-b-0", "tierbench-0a1b2c3d-zone-b-1"])
        let job = p.job(p.slots[2], ownerUID: "u-1")
        #expect(job["metadata"]?["labels"]?["tierbench.io/zone"] == "Zone_B")
        #expect(job["metadata"]?["ownerReferences"] == [["apiVersion": "v1", "kind": "ConfigMap", "name": "tierbench-0a1b2c3d", "uid": "u-1", "blockOwnerDeletion": true]])
        #expect(p.job(p.slots[0])["metadata"]?["ownerReferences"] == nil)
        // The pod runs check on the device with the class from the ConfigMap, and the extra arguments.
        #expect(p.podArguments() == ["check", "-f", "/etc/tierbench/storageclass.yaml", "--class", "gp3-fast", "--size", "100Gi", "--target", "/dev/xvdb",
                                     "--allow-device-writes", "--output-format", "jsonl", "--progress", "never", "--runtime", "5s"])
        // The ConfigMap carries the class the pods read back.
        let cm = p.ownerConfigMap
        guard case .string(let yaml)? = cm["data"]?["storageclass.yaml"] else { Issue.record("no class in the ConfigMap"); return }
        let m = try? Manifests.parse(text: yaml, file: "cm")
        #expect(m?.classes.first == StorageClass(name: "gp3-fast", provisioner: "ebs.csi.aws.com", parameters: ["type": "gp3", "iops": "6000"],
                                                 volumeBindingMode: "WaitForFirstConsumer", file: "cm", line: 1))
        #expect(ZonePlan.labelValue("a b/c@d" + String(repeating: "x", count: 80)).count <= 63)
    }

    @Test func tolerations() {
        #expect(Toleration("dedicated=bench:NoSchedule") == Toleration(key: "dedicated", value: "bench", effect: "NoSchedule"))
        #expect(Toleration("gpu:NoExecute")?.value == nil)
        #expect(Toleration("spot")?.effect == nil)
        #expect(Toleration("x:Sometimes") == nil)
        #expect(Toleration("=v") == nil)
    }

    func zone(_ name: String, _ iops: Double, verdict: Verdict) -> ZonesDocument.Zone {
        let m = MetricResult(metric: "randread IOPS", job: "randread", kind: .iops, unit: "IOPS", expected: 3000, measured: iops, ratio: iops / 3000,
                             threshold: 2700, intervalsJudged: 3, intervalsAtThreshold: 3, verdict: verdict, reason: "")
        let v = ZonesDocument.Volume(name: name, index: 0, state: .measured, metrics: [m], verdict: verdict, ios: [])
        return ZonesDocument.Zone(zone: name, status: verdict == .fail ? "fail" : "pass", volumes: [v])
    }

    @Test func outliersAcrossZones() {
        let (across, outliers) = ZonesDocument.compare([zone("a", 3100, verdict: .pass), zone("b", 2000, verdict: .fail), zone("c", 3050, verdict: .pass)], margin: 0.2)
        #expect(across.count == 1)
        #expect(across[0].min == 2000 && across[0].median == 3050 && across[0].max == 3100)
        #expect(abs((across[0].maxOverMin ?? 0) - 1.55) < 1e-9)
        #expect(outliers.map(\.zone) == ["b", "b"])  // fails while others pass, and 34% below the median
        #expect(outliers[0].why.contains("fails the tier") && outliers[1].why.contains("below the median of zones"))
        // Within the margin: no outlier.
        #expect(ZonesDocument.compare([zone("a", 3100, verdict: .pass), zone("b", 2800, verdict: .pass), zone("c", 3000, verdict: .pass)], margin: 0.2).1.isEmpty)
    }

    /// Merging two volumes' latency by their histograms gives what one histogram of every value
    /// gives; averaging their p99s does not.
    @Test func latencyMergesExactly() throws {
        var a = LatencyStat(), b = LatencyStat(), all = LatencyStat()
        for i in 0..<10_000 { let v = UInt64(100_000 + i * 3); a.record(v); all.record(v) }
        for i in 0..<1_000 { let v = UInt64(5_000_000 + i * 997); b.record(v); all.record(v) }
        let list = PercentileList.fioDefault
        var merged = try #require(LatencyStat(report: a.report(list)))
        merged.add(try #require(LatencyStat(report: b.report(list))))
        for p in [50.0, 90, 99, 99.9] { #expect(merged.value(atPercentile: p) == all.value(atPercentile: p), "p\(p)") }
        #expect(merged.count == all.count && merged.minimum == all.minimum && merged.maximum == all.maximum)
        #expect(abs(merged.mean - all.mean) < 1)
        #expect(abs(merged.stddev - all.stddev) / all.stddev < 1e-6)
        let averaged = (a.value(atPercentile: 99) + b.value(atPercentile: 99)) / 2
        #expect(averaged != all.value(atPercentile: 99))
        #expect(LatencyStat(report: a.report(list, bins: false)) == nil)
    }
}
