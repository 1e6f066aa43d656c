import Foundation
import Glibc
import Testing
import TestSupport

/// `tierbench zones` end to end: the real kubectl against the API emulator written for these
/// tests (kube-emulator/kube_emulator.py: it stands in for the API server, scheduler, provisioner,
/// garbage collector, Job controller and kubelet; the pods are the real tierbench as local
/// processes, each zone's volume a loop device throttled with cgroup v1 blkio).

let kubectlPath: String? = which("kubectl")
let kubernetesValidate = "/opt/tierbench-venv/bin/kubernetes-validate"
private let canEmulate = kubectlPath != nil && which("python3") != nil
private let emulateReason: Comment = "needs kubectl and python3 (the API emulator)"
private let canThrottleZones = isRoot && access("/sys/fs/cgroup/blkio", W_OK) == 0 && which("losetup") != nil

private var zonesGp3Class: [String: Any] { [
    "metadata": ["name": "gp3"], "provisioner": "ebs.csi.aws.com", "parameters": ["type": "gp3"],
    "volumeBindingMode": "WaitForFirstConsumer", "reclaimPolicy": "Delete",
] }

/// The emulator on 127.0.0.1 with a kubeconfig pointing at it.
final class KubeEmulator {
    let process = Process()
    let scratch = Scratch()
    let kubeconfig: String
    let port: Int

    init(config: [String: Any]) throws {
        var config = config
        config["tierbench"] = tierbenchPath
        let configFile = scratch.file("emulator.json")
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: configFile))
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("kube-emulator/kube_emulator.py").path
        process.executableURL = URL(fileURLWithPath: which("python3")!)
        process.arguments = [script, configFile]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        // Wait for the event: the line "READY <port>".
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("READY "), let p = Int(text.dropFirst(6).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw EmulatorError(message: "the emulator did not start: \(text)")
        }
        port = p
        kubeconfig = scratch.file("kubeconfig")
        let yaml = """
            apiVersion: v1
            kind: Config
            clusters: [{name: emu, cluster: {server: "http://127.0.0.1:\(p)"}}]
            users: [{name: tester, user: {}}]
            contexts: [{name: emu, context: {cluster: emu, user: tester, namespace: default}}]
            current-context: emu
            """
        try yaml.write(toFile: kubeconfig, atomically: true, encoding: .utf8)
    }

    struct EmulatorError: Error { var message: String }

    /// Every stored object but nodes, namespaces and events.
    func objects() throws -> [[String: Any]] {
        let o = try execute(kubectlPath!, ["--kubeconfig", kubeconfig, "get", "--raw", "/_emulator/objects"])
        guard o.status == 0 else { throw EmulatorError(message: "cannot list the emulator's objects: \(o.stderr)") }
        return (try JSONSerialization.jsonObject(with: Data(o.stdout.utf8)) as? [[String: Any]]) ?? []
    }

    func zones(_ arguments: [String]) throws -> Outcome {
        try tierbench(["zones"] + arguments + ["--kubeconfig", kubeconfig])
    }

    deinit {
        process.terminate()
        process.waitUntilExit()
    }
}

/// The document validates against schema/tierbench-zones-1.schema.json (when jsonschema is there).
private func validateZonesDocument(_ json: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    guard let python = jsonschemaPython else { print("skipped: no python3 jsonschema for the tierbench-zones/1 schema"); return }
    let s = Scratch()
    let file = s.file("zones.json")
    try json.write(toFile: file, atomically: true, encoding: .utf8)
    let o = try execute(python, [schemaValidatorScript, "\(schemaPackageDirectory)/schema/tierbench-zones-1.schema.json", file])
    #expect(o.status == 0, "not valid against tierbench-zones/1: \(o.stdout)\(o.stderr)", sourceLocation: sourceLocation)
}

private func classFile(_ s: Scratch, binding: String = "WaitForFirstConsumer") -> String {
    let path = s.file("gp3.yaml")
    try? "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: gp3}\nprovisioner: ebs.csi.aws.com\nvolumeBindingMode: \(binding)\nparameters: {type: gp3}\n"
        .write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// A loop device per zone, throttled like a tier (blkio), and its emulator zone entry.
private func zoneDevice(iops: Int) -> (ThrottledDevice, [String: Any])? {
    guard let d = ThrottledDevice(iops: iops, bytesPerSecond: 125 << 20, sizeBytes: 512 << 20) else { return nil }
    return (d, ["device": d.device, "cgroup": d.cgroup])
}

@Suite(.serialized, .enabled(if: canEmulate, emulateReason)) struct ZonesRunTests {
    let quick = ["--runtime", "3s", "--ramp-time", "1s", "--iodepth", "30", "--share-of-time", "0.66", "--stuck-after", "1s"]

    /// Three zones of gp3: a and c throttled at 4,500 IOPS (above the 3,000 promised, so a busy machine still delivers it) pass, b at 2,000 fails by name; the merged I/O
    /// counts are the sums of the volumes'; nothing is left afterwards.
    @Test(.enabled(if: canThrottleZones, "needs root, cgroup v1 blkio and losetup")) func threeZonesOneFails() throws {
        let a = try #require(zoneDevice(iops: 4500)), b = try #require(zoneDevice(iops: 2000)), c = try #require(zoneDevice(iops: 4500))
        let emu = try KubeEmulator(config: [
            "nodes": [["name": "node-a", "zone": "zone-a", "instanceType": "m6i.large"], ["name": "node-b", "zone": "zone-b"], ["name": "node-c", "zone": "zone-c"]],
            "zones": ["zone-a": a.1, "zone-b": b.1, "zone-c": c.1],
            "storageclasses": [zonesGp3Class],
        ])
        let junit = emu.scratch.file("zones.xml")
        let o = try emu.zones(["run", "--class", "gp3", "--size", "100Gi", "--output-format", "json", "--junit", junit] + quick)
        #expect(o.status == 3, "\(o.stdout)\n\(o.stderr)")
        let doc = try #require(o.json)
        #expect(doc["schema"] as? String == "tierbench-zones/1")
        try validateZonesDocument(o.stdout)
        let zones = try #require(doc["zones"] as? [[String: Any]])
        #expect(zones.map { $0["zone"] as? String } == ["zone-a", "zone-b", "zone-c"])  // every zone with a node, by default
        let status = Dictionary(uniqueKeysWithValues: zones.map { ($0["zone"] as! String, $0["status"] as! String) })
        #expect(status == ["zone-a": "pass", "zone-b": "fail", "zone-c": "pass"], "\(o.stdout)")
        let bVolume = try #require((zones[1]["volumes"] as? [[String: Any]])?.first)
        let failed = (bVolume["metrics"] as? [[String: Any]] ?? []).filter { $0["verdict"] as? String == "fail" }.compactMap { $0["metric"] as? String }
        #expect(failed.contains { $0.contains("randread") } && failed.contains { $0.contains("randwrite") }, "\(failed)")
        #expect((zones[0]["volumes"] as? [[String: Any]])?.first?["instance_type"] as? String == "m6i.large")
        #expect((doc["outliers"] as? [[String: Any]])?.contains { $0["zone"] as? String == "zone-b" && ($0["why"] as? String)?.contains("fails the tier") == true } == true)
        // Merged: every job's I/Os are the sum over the three volumes.
        var sums: [String: Int] = [:]
        for z in zones {
            for v in z["volumes"] as? [[String: Any]] ?? [] {
                for c in v["ios"] as? [[String: Any]] ?? [] { sums["\(c["job"]!)/\(c["direction"]!)", default: 0] += c["ios"] as? Int ?? 0 }
            }
        }
        let merged = try #require(doc["merged"] as? [[String: Any]])
        #expect(merged.count == sums.count && !merged.isEmpty)
        for m in merged {
            #expect(m["ios"] as? Int == sums["\(m["job"]!)/\(m["direction"]!)"], "\(m["job"]!)")
            #expect(m["volumes"] as? Int == 3)
        }
        // Nothing left, and the report says what was deleted.
        #expect(try emu.objects().isEmpty)
        #expect((doc["deleted"] as? [String])?.count == 7)  // the ConfigMap, 3 claims, 3 Jobs
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(xml.components(separatedBy: "<testsuite ").count - 1 == 3)
        #expect(xml.contains("<testsuite name=\"zone-b\"") && xml.contains("type=\"sla\""))
        // Progress per zone went to stderr.
        #expect(o.stderr.contains("tierbench: zone-a: running") && o.stderr.contains("tierbench: zone-b: done: FAIL"))
    }

    /// Each failure is one line for its zone while the others go on.
    @Test(.enabled(if: canThrottleZones, "needs root and losetup (a loop device for the zone that works)")) func failuresAreNamedPerZone() throws {
        let s = Scratch()
        let a = try #require(zoneDevice(iops: 20_000))
        let emu = try KubeEmulator(config: [
            "nodes": [["name": "node-a", "zone": "zone-a"], ["name": "node-c", "zone": "zone-c"], ["name": "node-d", "zone": "zone-d"]],
            "zones": ["zone-a": a.1, "zone-d": ["device": "/dev/null"]],
            "provisioning_fails_in": ["zone-c": "failed to provision volume with StorageClass \"gp3\": rpc error: code = Internal desc = Could not create volume: InsufficientVolumeCapacity"],
            "storageclasses": [zonesGp3Class],
        ])
        let o = try emu.zones(["run", "-f", classFile(s), "--class", "gp3", "--size", "100Gi", "--zones", "zone-a,zone-b,zone-c,zone-d",
                               "--runtime", "1s", "--ramp-time", "0", "--iodepth", "4", "--stuck-after", "1s", "--output-format", "json"])
        #expect(o.status == 3, "\(o.stdout)\n\(o.stderr)")
        let zones = try #require(o.json?["zones"] as? [[String: Any]])
        func volume(_ zone: String) -> [String: Any]? { (zones.first { $0["zone"] as? String == zone }?["volumes"] as? [[String: Any]])?.first }
        #expect(volume("zone-a")?["state"] as? String == "measured", "\(volume("zone-a")?["reason"] ?? "")")
        #expect(volume("zone-b")?["reason"] as? String == "no schedulable node in zone zone-b")
        #expect((volume("zone-c")?["reason"] as? String)?.hasPrefix("claim stuck Pending: ProvisioningFailed: failed to provision volume") == true)
        #expect((volume("zone-c")?["reason"] as? String)?.contains("InsufficientVolumeCapacity") == true)
        let d = try #require(volume("zone-d")?["reason"] as? String)
        #expect(d.contains("the container failed (exit code 2") && d.contains("/dev/null"), "\(d)")
        #expect(zones.map { $0["status"] as? String } == ["pass", "error", "error", "error"])
        try validateZonesDocument(o.stdout)
        #expect(try emu.objects().isEmpty)
    }

    @Test func forbiddenByRBACNamesTheVerbAndResource() throws {
        let s = Scratch()
        let emu = try KubeEmulator(config: [
            "nodes": [["name": "node-a", "zone": "zone-a"]],
            "forbid": [["verb": "create", "resource": "jobs"]],
            "storageclasses": [zonesGp3Class],
        ])
        let o = try emu.zones(["run", "-f", classFile(s), "--class", "gp3", "--size", "100Gi"])
        #expect(o.status == 1, "\(o.stdout)\n\(o.stderr)")
        let last = o.stderr.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.hasPrefix("tierbench: error: kubectl: forbidden to create jobs.batch"), "\(o.stderr)")
        #expect(last.contains("grant the Role in docs/zones.md"))
        #expect(o.stderr.contains("tierbench: deleted ConfigMap/tierbench-"))
        #expect(try emu.objects().isEmpty)
        // kubectl missing and no current context: one line each.
        let missing = try execute("/usr/bin/env", ["KUBECTL=/nonexistent/kubectl", tierbenchPath, "zones", "run", "-f", classFile(s), "--class", "gp3", "--size", "100Gi"])
        #expect(missing.status == 1 && missing.stderr.contains("KUBECTL=/nonexistent/kubectl is not an executable"))
        let empty = s.file("empty-kubeconfig")
        try "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n".write(toFile: empty, atomically: true, encoding: .utf8)
        let noContext = try tierbench(["zones", "run", "-f", classFile(s), "--class", "gp3", "--size", "100Gi", "--kubeconfig", empty])
        #expect(noContext.status == 1 && noContext.stderr.contains("no current context") && noContext.stderr.contains("--context"), "\(noContext.stderr)")
    }

    /// An Immediate class whose volume lands in another zone: that zone is misplaced, not measured.
    @Test func immediateBindingInAnotherZoneIsMisplaced() throws {
        let s = Scratch()
        var immediate = zonesGp3Class
        immediate["volumeBindingMode"] = "Immediate"
        let emu = try KubeEmulator(config: [
            "nodes": [["name": "node-a", "zone": "zone-a"], ["name": "node-b", "zone": "zone-b"]],
            "immediate_zone": "zone-b",
            "storageclasses": [immediate],
        ])
        let o = try emu.zones(["run", "-f", classFile(s, binding: "Immediate"), "--class", "gp3", "--size", "100Gi", "--zones", "zone-a",
                               "--runtime", "1s", "--ramp-time", "0", "--output-format", "json", "--keep"])
        #expect(o.status == 3, "\(o.stdout)\n\(o.stderr)")
        #expect(o.stderr.contains("tierbench: warning: StorageClass `gp3` binds Immediate"))
        let zone = try #require((o.json?["zones"] as? [[String: Any]])?.first)
        #expect(zone["status"] as? String == "misplaced")
        try validateZonesDocument(o.stdout)
        let v = try #require((zone["volumes"] as? [[String: Any]])?.first)
        #expect(v["volume_zones"] as? [String] == ["zone-b"])
        #expect((v["reason"] as? String)?.contains("created in zone-b, not zone-a") == true)
        // --keep: the objects stay; they validate against the real schema; cleanup removes them.
        let kept = try emu.objects()
        #expect(Set(kept.compactMap { $0["kind"] as? String }).isSuperset(of: ["ConfigMap", "PersistentVolumeClaim", "PersistentVolume"]))
        if access(kubernetesValidate, X_OK) == 0 {
            let file = s.file("kept.json")
            let list: [String: Any] = ["apiVersion": "v1", "kind": "List", "items": kept]
            try JSONSerialization.data(withJSONObject: list).write(to: URL(fileURLWithPath: file))
            let v = try execute(kubernetesValidate, ["--strict", "-k", "1.30", file])
            #expect(v.status == 0, "\(v.stdout)\(v.stderr)")
        }
        let runID = try #require(o.json?["run_id"] as? String)
        let c = try emu.zones(["cleanup", "--run", runID])
        #expect(c.status == 0 && c.stdout.contains("run \(runID): deleted"), "\(c.stdout)\(c.stderr)")
        #expect(try emu.objects().isEmpty)
    }

    /// `--history`: each measured volume is one run labelled with its zone, node, instance type,
    /// class and tier (the series keys name the zone); the user's other labels are kept, a
    /// volume that was not measured is not recorded.
    @Test(.enabled(if: canThrottleZones, "needs root and losetup (a loop device per measured zone)")) func historyRecordsOneRunPerMeasuredVolume() throws {
        let s = Scratch()
        let a = try #require(zoneDevice(iops: 20_000)), b = try #require(zoneDevice(iops: 20_000))
        let emu = try KubeEmulator(config: [
            "nodes": [["name": "node-a", "zone": "zone-a", "instanceType": "m6i.large"], ["name": "node-b", "zone": "zone-b"], ["name": "node-c", "zone": "zone-c"]],
            "zones": ["zone-a": a.1, "zone-b": b.1, "zone-c": ["device": "/dev/null"]],
            "storageclasses": [zonesGp3Class],
        ])
        let db = s.file("zones.sqlite")
        let o = try emu.zones(["run", "-f", classFile(s), "--class", "gp3", "--size", "100Gi", "--zones", "zone-a,zone-b,zone-c",
                               "--runtime", "1s", "--ramp-time", "0", "--iodepth", "4", "--stuck-after", "1s", "--output-format", "json",
                               "--history", db, "--label", "team=storage", "--label", "zone=ignored"])
        #expect(o.status == 3, "\(o.stdout)\n\(o.stderr)")  // zone-c cannot be measured
        #expect(o.stderr.contains("--label zone is ignored by zones run"), "\(o.stderr)")
        #expect(o.stderr.components(separatedBy: "recorded as run").count - 1 == 2, "\(o.stderr)")
        let list = try tierbench(["history", "list", "--history", db, "--output-format", "json"])
        let runs = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]], "\(list.stdout)\(list.stderr)")
        #expect(runs.count == 2, "\(list.stdout)")
        for (i, zone) in ["zone-a", "zone-b"].enumerated() {
            let show = try tierbench(["history", "show", "--history", db, String(i + 1), "--output-format", "json"])
            let detail = try #require(show.json, "\(show.stdout)\(show.stderr)")
            #expect(detail.at("run", "source") as? String == "zones")
            #expect(detail.at("run", "zone") as? String == zone)
            #expect(detail.at("run", "node") as? String == (zone == "zone-a" ? "node-a" : "node-b"))
            #expect(detail.at("run", "storage_class") as? String == "gp3", "\(show.stdout)")
            #expect(detail.at("run", "tier") as? String == "gp3")
            let labels = detail.at("run", "labels") as? [String: Any]
            #expect(labels?["team"] as? String == "storage" && labels?["zone"] as? String == zone, "\(show.stdout)")
            #expect(((detail["verdicts"] as? [Any])?.count ?? 0) > 0, "\(show.stdout)")
        }
        let first = try #require(tierbench(["history", "show", "--history", db, "1", "--output-format", "json"]).json)
        #expect(first.at("run", "instance_type") as? String == "m6i.large")
        let series = try tierbench(["history", "series", "--history", db, "--metric", "iops"])
        #expect(series.stdout.contains("class=gp3 tier=gp3 zone=zone-a {team=storage}"), "\(series.stdout)")
        #expect(series.stdout.contains("class=gp3 tier=gp3 zone=zone-b {team=storage}"), "\(series.stdout)")
        #expect(!series.stdout.contains("zone-c") && !series.stdout.contains("ignored"), "\(series.stdout)")
        #expect(try emu.objects().isEmpty)
    }

    /// Ctrl-C in the middle: everything created is deleted, a partial report, exit 130.
    @Test(.enabled(if: canThrottleZones, "needs root and losetup")) func interruptDeletesEverythingAndReports() throws {
        let s = Scratch()
        let a = try #require(zoneDevice(iops: 5_000)), b = try #require(zoneDevice(iops: 5_000))
        let emu = try KubeEmulator(config: [
            "nodes": [["name": "node-a", "zone": "zone-a"], ["name": "node-b", "zone": "zone-b"]],
            "zones": ["zone-a": a.1, "zone-b": b.1],
            "storageclasses": [zonesGp3Class],
        ])
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tierbenchPath)
        p.arguments = ["zones", "run", "-f", classFile(s), "--class", "gp3", "--size", "100Gi", "--runtime", "60s", "--ramp-time", "0", "--iodepth", "4",
                       "--kubeconfig", emu.kubeconfig]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Wait for the event: a pod is running.
        var stderr = ""
        while !stderr.contains(": running") {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            stderr += String(decoding: chunk, as: UTF8.self)
        }
        #expect(stderr.contains(": running"))
        #expect(try !emu.objects().isEmpty)
        kill(p.processIdentifier, SIGINT)
        let rest = err.fileHandleForReading.readDataToEndOfFile()
        let report = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        stderr += String(decoding: rest, as: UTF8.self)
        #expect(p.terminationStatus == 130, "\(report)\n\(stderr)")
        #expect(stderr.contains("tierbench: stopped by a signal: deleted ConfigMap/tierbench-"), "\(stderr)")
        #expect(report.contains("interrupted: the report covers what was measured until then"))
        #expect(try emu.objects().isEmpty)
    }
}

/// The manifests `zones render` prints, against the real Kubernetes schemas.
@Suite struct ZonesRenderTests {
    @Test func renderedManifestsValidateAndPinEachZone() throws {
        let s = Scratch()
        let o = try tierbench(["zones", "render", "-f", classFile(s), "--class", "gp3", "--size", "100Gi", "--zones", "us-east-1a,us-east-1b",
                               "--per-zone", "2", "--image", "registry.example/tierbench:1", "--toleration", "dedicated=bench:NoSchedule", "--node-selector", "pool=bench"])
        #expect(o.status == 0, "\(o.stderr)")
        let docs = o.stdout.components(separatedBy: "\n---\n")
        #expect(docs.filter { $0.contains("kind: PersistentVolumeClaim") }.count == 4)
        #expect(docs.filter { $0.contains("kind: Job") }.count == 4)
        #expect(docs.filter { $0.contains("kind: ConfigMap") }.count == 1)
        for job in docs.filter({ $0.contains("kind: Job") }) {
            #expect(job.contains("backoffLimit: 0") && job.contains("activeDeadlineSeconds: 3600") && job.contains("ttlSecondsAfterFinished:"))
            #expect(job.contains("key: topology.kubernetes.io/zone") && job.contains("requiredDuringSchedulingIgnoredDuringExecution"))
            #expect(!job.contains("nodeName"))
            #expect(job.contains("volumeDevices:") && job.contains("devicePath: /dev/xvdb"))
            #expect(job.contains("topologyKey: kubernetes.io/hostname"))  // two per zone: different nodes
            #expect(job.contains("drop:\n            - ALL") && job.contains("privileged: false"))
            #expect(job.contains("tierbench.io/run:") && job.contains("tierbench.io/zone:") && job.contains("tierbench.io/class: gp3") && job.contains("tierbench.io/index:"))
        }
        #expect(docs.filter { $0.contains("kind: PersistentVolumeClaim") }.allSatisfy { $0.contains("volumeMode: Block") && $0.contains("storageClassName: gp3") })
        #expect(docs.filter { $0.contains("kind: Job") && $0.contains("- us-east-1b") }.count == 2)
        let file = s.file("render.yaml")
        try o.stdout.write(toFile: file, atomically: true, encoding: .utf8)
        guard access(kubernetesValidate, X_OK) == 0 else {
            print("skipped schema validation: \(kubernetesValidate) is missing (make test-setup installs it)")
            return
        }
        for version in ["1.27", "1.33"] {
            let v = try execute(kubernetesValidate, ["--strict", "-k", version, file])
            #expect(v.status == 0, "\(version): \(v.stdout)\(v.stderr)")
            #expect(v.stdout.contains("passed for resource job/"), "\(v.stdout)")
        }
        // The validator is strict: a misspelt field fails it.
        let bad = s.file("bad.yaml")
        try o.stdout.replacingOccurrences(of: "backoffLimit", with: "backofLimit").write(toFile: bad, atomically: true, encoding: .utf8)
        #expect(try execute(kubernetesValidate, ["--strict", "-k", "1.33", bad]).status != 0)
        // Filesystem mode: a mount, and an unprivileged user that owns the file system (fsGroup).
        let fs = try tierbench(["zones", "render", "-f", classFile(s), "--class", "gp3", "--size", "100Gi", "--zones", "a", "--volume-mode", "Filesystem"])
        #expect(fs.stdout.contains("mountPath: /data") && fs.stdout.contains("fsGroup: 65532") && !fs.stdout.contains("volumeDevices"))
    }

    @Test func usageErrors() throws {
        let s = Scratch()
        for (args, fragment) in [
            (["--size", "100Gi", "--zones", "a"], "--class"),
            (["-f", classFile(s), "--class", "gp3", "--size", "lots", "--zones", "a"], "--size lots"),
            (["-f", classFile(s), "--class", "gp3", "--size", "1Gi", "--zones", "a", "--volume-mode", "Raw"], "--volume-mode Raw"),
            (["-f", classFile(s), "--class", "gp3", "--size", "1Gi", "--zones", "a", "--toleration", "x:Sometimes"], "--toleration x:Sometimes"),
            (["-f", classFile(s), "--class", "gp3", "--size", "1Gi", "--zones", "a", "--suite", "/nonexistent.fio"], "--suite /nonexistent.fio"),
            (["-f", classFile(s), "--class", "nope", "--size", "1Gi", "--zones", "a"], "no StorageClass named `nope`"),
        ] {
            let o = try tierbench(["zones", "render"] + args)
            #expect(o.status == 2, "\(args): \(o.stderr)")
            #expect(o.stderr.split(separator: "\n").count == 1 && o.stderr.contains(fragment), "\(o.stderr)")
        }
    }
}

/// The container image (image/build.sh, what `make image` runs on the release binary), where
/// podman works: FROM scratch with the binary's library closure; `--version`, and a short run as the
/// unprivileged user on a device passed with --device (owned by that user: "where the device permits").
@Suite(.enabled(if: which("podman") != nil && isRoot && which("losetup") != nil, "needs root, podman and losetup"))
struct ZonesImageTests {
    @Test func imageRunsVersionAndAShortRunOnADevice() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let tag = "localhost/tierbench:test-\(getpid())"
        let build = try execute("/bin/bash", ["\(repo)/image/build.sh", tierbenchPath, tag], cwd: repo)
        #expect(build.status == 0, "\(build.stderr)")
        #expect(build.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == tag)
        defer { _ = try? execute(which("podman")!, ["rmi", "-f", tag]) }
        let run = ["--runtime", "runc", "run", "--rm", "--network", "none", "--ulimit", "nofile=20000:20000", "--ulimit", "nproc=4096:4096"]
        let version = try execute(which("podman")!, run + [tag, "--version"])
        let local = try tierbench(["--version"])
        #expect(version.status == 0 && version.stdout == local.stdout, "\(version.stdout)\(version.stderr)")
        let s = Scratch()
        let backing = s.dataFile("dev.img", bytes: 32 << 20)
        let loop = try execute(which("losetup")!, ["--find", "--show", backing])
        let device = loop.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(loop.status == 0 && device.hasPrefix("/dev/loop"))
        defer { _ = try? execute(which("losetup")!, ["-d", device]) }
        #expect(chown(device, 65532, 65532) == 0)
        let o = try execute(which("podman")!, run + ["--device", "\(device):/dev/xvdb", tag, "run", "--target", "/dev/xvdb", "--rw", "randread",
                                                    "--bs", "4k", "--runtime", "1", "--time-based", "--output-format", "jsonl", "--progress", "never"])
        #expect(o.status == 0, "\(o.stderr)")
        let line = try #require(o.stdout.split(separator: "\n").last { $0.hasPrefix("{\"") })
        let result = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(result["type"] as? String == "result")
        #expect(result.int("aggregates", "0", "read", "ios").map { $0 > 0 } == true)
        #expect(result.at("target", "path") as? String == "/dev/xvdb")
    }
}
