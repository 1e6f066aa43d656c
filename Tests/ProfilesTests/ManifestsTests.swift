import Foundation
import Testing
@testable import Profiles

/// Reading manifests of any kind: claims from PVCs and StatefulSet templates, the workloads that
/// mount them, zone facts of classes, JSON `List` input, directories.
@Suite struct ManifestsTests {
    static let workloads = """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: pg, namespace: db}
        spec:
          replicas: 3
          template:
            spec:
              containers: [{name: pg, image: postgres}]
          volumeClaimTemplates:
          - metadata: {name: data}
            spec:
              storageClassName: fast
              accessModes: [ReadWriteOnce]
              resources: {requests: {storage: 20Gi}}
          - metadata: {name: wal}
            spec:
              accessModes: [ReadWriteOnce]
              volumeMode: Block
              resources: {requests: {storage: 100Gi}}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: uploads, namespace: web}
        spec:
          storageClassName: ""
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 1Ti}}
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: backup, namespace: web}
        spec:
          schedule: "@daily"
          jobTemplate:
            spec:
              template:
                spec:
                  volumes:
                  - name: u
                    persistentVolumeClaim: {claimName: uploads}
                  - name: missing
                    persistentVolumeClaim: {claimName: scratch}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: broken}
        spec:
          resources: {requests: {storage: lots}}
        """

    @Test func claimsFromStatefulSetsAndPVCs() throws {
        let m = try Manifests.parse(text: Self.workloads, file: "w.yaml")
        #expect(m.claims.map(\.name) == ["data", "wal", "uploads"])
        let data = m.claims[0], wal = m.claims[1], uploads = m.claims[2]
        #expect(data.owner == WorkloadRef(kind: "StatefulSet", name: "pg", namespace: "db"))
        #expect(data.replicas == 3 && wal.replicas == 3 && uploads.replicas == 1)
        #expect(data.storageClass == .named("fast"))
        #expect(wal.storageClass == .clusterDefault)
        #expect(uploads.storageClass == .none)
        #expect(data.size.bytes == 20 << 30 && wal.size.bytes == 100 << 30 && uploads.size.bytes == 1 << 40)
        #expect(data.volumeMode == "Filesystem" && wal.volumeMode == "Block")
        #expect(data.accessModes == ["ReadWriteOnce"])
        #expect(data.claimNames == ["data-pg-0", "data-pg-1", "data-pg-2"])
        #expect(data.isNamed("pg/data") && data.isNamed("data-pg-2") && !data.isNamed("data-pg-3"))
        #expect(data.line == 10 && uploads.line == 21)
        // The CronJob mounts `uploads` (found) and `scratch` (not in the files).
        #expect(uploads.usedBy == [WorkloadRef(kind: "CronJob", name: "backup", namespace: "web")])
        #expect(m.unmatchedReferences == [ClaimReference(workload: WorkloadRef(kind: "CronJob", name: "backup", namespace: "web"), claimName: "scratch")])
        // A claim with a size that is no quantity is a problem in place.
        #expect(m.problems.count == 1)
        #expect(m.problems[0].subject == "PersistentVolumeClaim `broken`" && m.problems[0].reason.contains("`storage: lots`"))
        #expect(m.problems[0].fix == "give a Kubernetes quantity such as 100Gi")
    }

    @Test func zoneFacts() throws {
        let text = """
            kind: StorageClass
            metadata: {name: a}
            provisioner: ebs.csi.aws.com
            volumeBindingMode: WaitForFirstConsumer
            allowedTopologies:
            - matchLabelExpressions:
              - {key: topology.ebs.csi.aws.com/zone, values: [us-east-1a, us-east-1b]}
            ---
            kind: StorageClass
            metadata: {name: b}
            provisioner: pd.csi.storage.gke.io
            parameters: {type: pd-balanced, replication-type: regional-pd}
            ---
            kind: StorageClass
            metadata: {name: c}
            provisioner: ebs.csi.aws.com
            volumeBindingMode: Sometimes
            """
        let m = try Manifests.parse(text: text, file: "z.yaml")
        let set = try ProfileSet.load(builtIn: builtInProfiles)
        let a = ZoneFacts(m.classes[0], profile: try set.profile(for: m.classes[0]))
        #expect(a.volumeBindingMode == "WaitForFirstConsumer" && a.allowedZones == ["us-east-1a", "us-east-1b"] && a.regional == false)
        #expect(a.warnings.isEmpty)
        let b = ZoneFacts(m.classes[1], profile: try set.profile(for: m.classes[1]))
        #expect(b.volumeBindingMode == "Immediate" && b.allowedZones == nil && b.regional == true)
        #expect(b.warnings.isEmpty)  // a regional volume may bind at once
        // Immediate on a zonal class: warned.
        let zonal = StorageClass(name: "d", provisioner: "ebs.csi.aws.com", volumeBindingMode: "Immediate", file: "z.yaml", line: 9)
        let d = ZoneFacts(zonal, profile: try set.profile(for: zonal))
        #expect(d.warnings.count == 1 && d.warnings[0].contains("set volumeBindingMode: WaitForFirstConsumer"))
        #expect(ZoneFacts(zonal, profile: nil).regional == nil)
        // Azure ZRS is regional, LRS is not.
        for (sku, regional) in [("Premium_ZRS", true), ("Premium_LRS", false), ("StandardSSD_ZRS", true)] {
            let az = StorageClass(name: "e", provisioner: "disk.csi.azure.com", parameters: ["skuname": sku])
            #expect(ZoneFacts(az, profile: try set.profile(for: az)).regional == regional, "\(sku)")
        }
        #expect(m.problems.map(\.reason) == ["`volumeBindingMode: Sometimes` is not a binding mode"])
    }

    /// `kubectl get sc,pvc,sts -A -o json`: one List, 4-space indentation, as kubectl prints it.
    @Test func kubectlJSONList() throws {
        let items: [[String: Any]] = [
            ["apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
             "metadata": ["name": "gp3", "annotations": ["storageclass.kubernetes.io/is-default-class": "true"], "resourceVersion": "1"],
             "provisioner": "ebs.csi.aws.com", "parameters": ["type": "gp3", "iops": "16000"], "volumeBindingMode": "WaitForFirstConsumer"],
            ["apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": ["name": "data-pg-0", "namespace": "db"],
             "spec": ["accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": "20Gi"]], "volumeMode": "Filesystem"],
             "status": ["phase": "Bound"]],
            ["apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": ["name": "pg", "namespace": "db"],
             "spec": ["replicas": 2, "volumeClaimTemplates": [["metadata": ["name": "data"],
                                                                "spec": ["resources": ["requests": ["storage": "20Gi"]], "storageClassName": "gp3"]]]]],
        ]
        let list: [String: Any] = ["apiVersion": "v1", "kind": "List", "items": items, "metadata": ["resourceVersion": ""]]
        let json = String(decoding: try JSONSerialization.data(withJSONObject: list, options: [.prettyPrinted, .sortedKeys]), as: UTF8.self)
        let m = try Manifests.parse(text: json, file: "all.json")
        #expect(m.classes.map(\.name) == ["gp3"])
        #expect(m.classes[0].isDefaultClass && m.classes[0].parameters == ["type": "gp3", "iops": "16000"])
        #expect(m.claims.map(\.name) == ["data-pg-0", "data"])
        #expect(m.claims[1].replicas == 2 && m.claims[1].storageClass == .named("gp3"))
        #expect(m.problems.isEmpty)
        #expect(m.classes[0].line != nil)
    }

    @Test func directoriesAndMissingFiles() throws {
        let dir = NSTemporaryDirectory() + "tierbench-manifests-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "kind: StorageClass\nmetadata: {name: b}\nprovisioner: x\n".write(toFile: "\(dir)/b.yaml", atomically: true, encoding: .utf8)
        try "{\"kind\": \"StorageClass\", \"metadata\": {\"name\": \"a\"}, \"provisioner\": \"y\"}".write(toFile: "\(dir)/a.json", atomically: true, encoding: .utf8)
        try "not read".write(toFile: "\(dir)/notes.txt", atomically: true, encoding: .utf8)
        let m = try Manifests.load([dir])
        #expect(m.classes.map(\.name) == ["a", "b"])  // sorted by file name, .txt skipped
        #expect(m.files == ["\(dir)/a.json", "\(dir)/b.yaml"])
        #expect {
            _ = try Manifests.load(["\(dir)/none.yaml"])
        } throws: { error in
            "\(error)".contains("none.yaml: no such file or directory")
        }
        let empty = "\(dir)/empty"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        #expect {
            _ = try Manifests.load([empty])
        } throws: { error in
            "\(error)".contains("holds no .yaml, .yml or .json file")
        }
    }
}
