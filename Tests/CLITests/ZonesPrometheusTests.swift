import Foundation
import Glibc
import Testing
import TestSupport

/// `zones run --output-format prometheus` and `--push` against the API emulator (the pods are
/// the real tierbench on throttled loop devices): every sample names its zone, node, instance
/// type, StorageClass and tier; promtool lints the text; one push per measured volume reaches a
/// real Pushgateway in a group of its own, and a real Prometheus answers per zone; the
/// dashboard's per-zone panels group by labels these samples carry.

private let canRunZones = which("kubectl") != nil && which("python3") != nil && isRoot && access("/sys/fs/cgroup/blkio", W_OK) == 0
    && which("losetup") != nil && promtool != nil && pushgatewayBinary != nil && prometheusBinary != nil

@Suite(.serialized, .enabled(if: canRunZones, "needs kubectl, python3, root with cgroup v1 blkio and losetup, promtool, prometheus and prometheus-pushgateway"))
struct ZonesPrometheusTests {
    @Test func zoneVolumesCarryTheirZoneNodeAndClass() throws {
        let s = Scratch()
        let devices = try ["zone-a", "zone-b"].map { _ in try #require(ThrottledDevice(iops: 20_000, bytesPerSecond: 125 << 20, sizeBytes: 512 << 20)) }
        let emu = try KubeEmulator(config: [
            "nodes": [["name": "node-a", "zone": "zone-a", "instanceType": "m6i.large"], ["name": "node-b", "zone": "zone-b"], ["name": "node-c", "zone": "zone-c"]],
            "zones": ["zone-a": ["device": devices[0].device, "cgroup": devices[0].cgroup], "zone-b": ["device": devices[1].device, "cgroup": devices[1].cgroup],
                      "zone-c": ["device": "/dev/null"]],
            "storageclasses": [["metadata": ["name": "gp3"], "provisioner": "ebs.csi.aws.com", "parameters": ["type": "gp3"], "volumeBindingMode": "WaitForFirstConsumer"]],
        ])
        let classFile = s.file("gp3.yaml")
        try "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: gp3}\nprovisioner: ebs.csi.aws.com\nvolumeBindingMode: WaitForFirstConsumer\nparameters: {type: gp3}\n"
            .write(toFile: classFile, atomically: true, encoding: .utf8)
        let gateway = try pushgateway()
        #expect(gateway.ready("/-/ready"), "pushgateway: \(gateway.log)")
        let prometheus = try LocalService(prometheusBinary!, { port, scratch in
            try? """
                global: {scrape_interval: 1s, evaluation_interval: 1s}
                scrape_configs:
                  - job_name: pushgateway
                    honor_labels: true
                    static_configs: [{targets: ["127.0.0.1:\(gateway.port)"]}]
                """.write(toFile: scratch.file("prometheus.yml"), atomically: false, encoding: .utf8)
            return ["--config.file=\(scratch.file("prometheus.yml"))", "--storage.tsdb.path=\(scratch.file("data"))", "--web.listen-address=127.0.0.1:\(port)"]
        }, name: "prometheus")
        #expect(prometheus.ready("/-/ready"), "prometheus: \(prometheus.log)")

        let prom = s.file("zones.prom")
        let common = ["run", "-f", classFile, "--class", "gp3", "--size", "100Gi", "--zones", "zone-a,zone-b,zone-c", "--runtime", "1s", "--ramp-time", "0",
                      "--iodepth", "4", "--stuck-after", "1s"]
        let o = try emu.zones(common + ["--output-format", "prometheus", "--output", prom, "--push", gateway.url, "--metric-label", "cluster=test"])
        #expect(o.status == 3, "zone-c cannot be measured: \(o.stdout)\n\(o.stderr)")
        try assertLintClean(prom)
        let all = samples(try String(contentsOfFile: prom, encoding: .utf8))
        let iops = all.filter { $0.name == "tierbench_iops" }
        #expect(Set(iops.compactMap { $0.labels["zone"] }) == ["zone-a", "zone-b"], "the zone not measured has no samples")
        // Every sample: its volume's zone and node (also as host), class, tier, the node's instance type, the user's label.
        let wrong = all.filter { x in
            let node = ["zone-a": "node-a", "zone-b": "node-b"][x.labels["zone"] ?? ""]
            return node == nil || x.labels["node"] != node || x.labels["host"] != node || x.labels["storage_class"] != "gp3" || x.labels["tier"] != "gp3"
                || x.labels["cluster"] != "test" || x.labels["instance_type"] == nil || (x.labels["zone"] == "zone-a" && x.labels["instance_type"] != "m6i.large")
        }
        #expect(!all.isEmpty && wrong.isEmpty, "\(wrong.count) of \(all.count) samples: \(wrong.prefix(3).map { "\($0.name) \($0.labels)" })")
        #expect(Set(all.filter { $0.name == "tierbench_sla_pass" }.compactMap { $0.labels["zone"] }) == ["zone-a", "zone-b"])
        #expect(all.contains { $0.name == "tierbench_latency_seconds" && $0.labels["quantile"] == "0.99" && $0.labels["zone"] == "zone-b" })
        // The per-zone panels of the dashboard group by labels these samples carry.
        let perZone = try dashboardQueries().filter { $0.panel && $0.labels.contains("zone") && !$0.metrics.contains("tierbench_regression") }
        #expect(perZone.count >= 6)
        #expect(labelsNotEmitted(perZone, all).isEmpty, "the dashboard groups by labels zones run does not set: \(labelsNotEmitted(perZone, all))")

        // One push per measured volume: a group each, told apart by zone and node.
        let groups = try #require(try JSONSerialization.jsonObject(with: Data((httpGet(gateway.url + "/api/v1/metrics")?.body ?? "").utf8)) as? [String: Any])
        let labelsOfGroups = (groups["data"] as? [[String: Any]] ?? []).compactMap { $0["labels"] as? [String: String] }
        #expect(labelsOfGroups.count == 2, "\(labelsOfGroups)")
        #expect(Set(labelsOfGroups.compactMap { $0["zone"] }) == ["zone-a", "zone-b"] && labelsOfGroups.allSatisfy { $0["job"] == "tierbench" && $0["node"] != nil },
                "\(labelsOfGroups)")
        var result: [[String: Any]] = []
        let query = "count by (zone, node, storage_class) (tierbench_iops{job=\"tierbench\",cluster=\"test\"})"
        let url = prometheus.url + "/api/v1/query?query=" + query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        #expect(waitUntil(timeout: 30) {
            result = ((try? JSONSerialization.jsonObject(with: Data((httpGet(url)?.body ?? "").utf8)) as? [String: Any])?.at("data", "result") as? [[String: Any]]) ?? []
            return result.count == 2
        }, "PromQL \(query): \(result)\n\(prometheus.log.suffix(600))")
        let zones = result.compactMap { ($0["metric"] as? [String: String]).map { "\($0["zone"] ?? "")/\($0["node"] ?? "")/\($0["storage_class"] ?? "")" } }
        #expect(Set(zones) == ["zone-a/node-a/gp3", "zone-b/node-b/gp3"], "\(result)")
        #expect(try emu.objects().isEmpty)
    }
}

@Suite struct ZonesPrometheusUsageTests {
    /// Refused before kubectl is asked anything.
    @Test func labelsZonesRunSetsItselfAreRefused() throws {
        let s = Scratch()
        let classFile = s.file("gp3.yaml")
        try "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: gp3}\nprovisioner: ebs.csi.aws.com\nparameters: {type: gp3}\n"
            .write(toFile: classFile, atomically: true, encoding: .utf8)
        for (args, fragment) in [(["--metric-label", "zone=x"], "sets `zone` per volume"), (["--metric-label", "node=n"], "sets `node` per volume"),
                                 (["--push", "https://gw:9091"], "https is not supported"), (["--output-format", "xml"], "human, json or prometheus")] {
            let o = try tierbench(["zones", "run", "-f", classFile, "--class", "gp3", "--size", "100Gi", "--zones", "a", "--kubeconfig", s.file("none")] + args)
            #expect(o.status == 2 && o.stderr.split(separator: "\n").count == 1 && o.stderr.contains(fragment), "\(args): \(o.status) \(o.stderr)")
        }
    }
}
