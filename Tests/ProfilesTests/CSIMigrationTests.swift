import Testing
@testable import Profiles

/// CSI migration: in-tree classes translated as csi-translation-lib's
/// `TranslateInTreeStorageClassToCSI` does (plugins/aws_ebs.go, gce_pd.go, azure_disk.go), one
/// worked example per rule and provider, and the in-tree semantics before Kubernetes 1.23.
@Suite struct CSIMigrationTests {
    func sc(_ provisioner: String, _ parameters: [String: String], topologies: [[TopologyRequirement]] = []) -> StorageClass {
        StorageClass(name: "c", provisioner: provisioner, parameters: parameters, allowedTopologies: topologies, file: "sc.yaml", line: 3)
    }

    func translated(_ provisioner: String, _ parameters: [String: String], topologies: [[TopologyRequirement]] = []) throws -> StorageClass {
        try CSIMigration.translate(sc(provisioner, parameters, topologies: topologies)).storageClass
    }

    // MARK: AWS EBS

    @Test func awsRenamesFSTypeAndPassesEverythingElse() throws {
        let t = try translated("kubernetes.io/aws-ebs", ["type": "gp3", "iops": "16000", "throughput": "1000", "fsType": "xfs", "encrypted": "true"])
        #expect(t.provisioner == "ebs.csi.aws.com")
        #expect(t.parameters == ["type": "gp3", "iops": "16000", "throughput": "1000", "csi.storage.k8s.io/fstype": "xfs", "encrypted": "true"])
        #expect(t.allowedTopologies.isEmpty)
        // Keys are matched without case, as in Go's strings.ToLower(k).
        let upper = try translated("kubernetes.io/aws-ebs", ["type": "gp2", "FSTYPE": "ext4"])
        #expect(upper.parameters == ["type": "gp2", "csi.storage.k8s.io/fstype": "ext4"])
    }

    @Test func awsZoneAndZonesBecomeTopology() throws {
        let one = try translated("kubernetes.io/aws-ebs", ["type": "gp2", "zone": "us-east-1a"])
        #expect(one.parameters == ["type": "gp2"])
        #expect(one.allowedTopologies == [[TopologyRequirement(key: "topology.ebs.csi.aws.com/zone", values: ["us-east-1a"])]])
        let two = try translated("kubernetes.io/aws-ebs", ["type": "gp2", "Zones": "us-east-1a,us-east-1b"])
        #expect(two.allowedTopologies == [[TopologyRequirement(key: "topology.ebs.csi.aws.com/zone", values: ["us-east-1a", "us-east-1b"])]])
        // Not trimmed (strings.Split): a space after the comma becomes part of the zone, and is warned about.
        let spaced = try CSIMigration.translate(sc("kubernetes.io/aws-ebs", ["type": "gp2", "zones": "us-east-1a, us-east-1b"]))
        #expect(spaced.storageClass.allowedTopologies[0][0].values == ["us-east-1a", " us-east-1b"])
        #expect(spaced.warnings.count == 1 && spaced.warnings[0].contains("` us-east-1b` has spaces"))
    }

    @Test func awsZonesWithAllowedTopologiesIsRefused() {
        let zone = [[TopologyRequirement(key: "topology.kubernetes.io/zone", values: ["us-east-1a"])]]
        #expect {
            _ = try translated("kubernetes.io/aws-ebs", ["type": "gp2", "zones": "us-east-1a"], topologies: zone)
        } throws: { error in
            let p = error as? ManifestProblem
            return p?.reason.contains("cannot simultaneously set allowed topologies and zone/zones parameters") == true
                && p?.fix?.contains("allowedTopologies") == true && p?.source == "sc.yaml:3"
        }
    }

    @Test func allowedTopologiesZoneKeysMoveToTheDriversKey() throws {
        let terms = [[TopologyRequirement(key: "failure-domain.beta.kubernetes.io/zone", values: ["us-east-1a"]),
                      TopologyRequirement(key: "example.com/rack", values: ["r1"])]]
        let t = try translated("kubernetes.io/aws-ebs", ["type": "gp3"], topologies: terms)
        #expect(t.allowedTopologies == [[TopologyRequirement(key: "topology.ebs.csi.aws.com/zone", values: ["us-east-1a"]),
                                         TopologyRequirement(key: "example.com/rack", values: ["r1"])]])
    }

    // MARK: GCE PD

    @Test func gceRenamesFSTypeZonesAndPassesReplicationType() throws {
        let t = try translated("kubernetes.io/gce-pd", ["type": "pd-ssd", "replication-type": "regional-pd", "fstype": "ext4",
                                                         "zones": "europe-west1-b,europe-west1-c"])
        #expect(t.provisioner == "pd.csi.storage.gke.io")
        #expect(t.parameters == ["type": "pd-ssd", "replication-type": "regional-pd", "csi.storage.k8s.io/fstype": "ext4"])
        #expect(t.allowedTopologies == [[TopologyRequirement(key: "topology.gke.io/zone", values: ["europe-west1-b", "europe-west1-c"])]])
        #expect {
            _ = try translated("kubernetes.io/gce-pd", ["type": "pd-ssd", "zone": "europe-west1-b"],
                               topologies: [[TopologyRequirement(key: "topology.gke.io/zone", values: ["europe-west1-b"])]])
        } throws: { _ in true }
    }

    // MARK: Azure Disk

    @Test func azureKeepsFSTypeAndAddsCSIMigration() throws {
        let t = try translated("kubernetes.io/azure-disk", ["skuName": "Premium_LRS", "fsType": "ext4", "cachingMode": "ReadOnly", "zone": "1"])
        #expect(t.provisioner == "disk.csi.azure.com")
        #expect(t.parameters == ["skuName": "Premium_LRS", "fsType": "ext4", "cachingMode": "ReadOnly", "csi-migration": "true"])
        #expect(t.allowedTopologies == [[TopologyRequirement(key: "topology.disk.csi.azure.com/zone", values: ["1"])]])
        #expect {
            _ = try translated("kubernetes.io/azure-disk", ["skuName": "Premium_LRS", "zones": "1,2"],
                               topologies: [[TopologyRequirement(key: "topology.kubernetes.io/zone", values: ["1"])]])
        } throws: { error in
            (error as? ManifestProblem)?.reason.contains("cannot simultaneously set allowed topologies") == true
        }
    }

    // MARK: Which classes, which versions

    @Test func csiClassesAndOldClustersAreNotTranslated() throws {
        let csi = sc("ebs.csi.aws.com", ["type": "gp3", "fsType": "xfs", "zone": "a"])
        let r = try CSIMigration.translate(csi)
        #expect(r.storageClass == csi && r.notes.isEmpty)
        let inTree = sc("kubernetes.io/aws-ebs", ["type": "gp3", "iops": "16000"])
        let old = try CSIMigration.translate(inTree, kubernetesVersion: KubernetesVersion(1, 22))
        #expect(old.storageClass == inTree && old.notes.isEmpty)
        let new = try CSIMigration.translate(inTree, kubernetesVersion: KubernetesVersion(1, 23))
        #expect(new.storageClass.provisioner == "ebs.csi.aws.com")
        #expect(new.notes == ["CSI migration: kubernetes.io/aws-ebs is provisioned by ebs.csi.aws.com; the parameters pass through unchanged"])
    }

    @Test func versions() {
        #expect(KubernetesVersion("1.22") == KubernetesVersion(1, 22))
        #expect(KubernetesVersion("v1.27.3") == KubernetesVersion(1, 27))
        #expect(KubernetesVersion("1.9")! < KubernetesVersion("1.22")!)
        for bad in ["1", "one.two", "1.2.3.4", "1.-2", "", "1.22.x"] { #expect(KubernetesVersion(bad) == nil, "\(bad)") }
    }

    // MARK: Through the resolver: the numbers users get

    @Test func inTreeGp3ClassGetsItsProvisionedNumbers() throws {
        let set = try ProfileSet.load(builtIn: builtInProfiles)
        let inTree = sc("kubernetes.io/aws-ebs", ["type": "gp3", "iops": "16000", "throughput": "1000", "fsType": "ext4"])
        let migrated = try set.resolve(try CSIMigration.translate(inTree).storageClass, size: Quantity.parse("500Gi"))
        #expect(migrated.values == ["iops": 16_000, "throughput_mibps": 1_000])
        #expect(try migrated.expectation().iops.baseline == 16_000)
        #expect(migrated.warnings.isEmpty)  // fsType is the right key on an in-tree class
        // Before migration the in-tree plugin ignored iops and throughput: 3,000 and 125 MiB/s.
        let old = try set.resolve(inTree, size: Quantity.parse("500Gi"))
        #expect(try old.expectation().iops.baseline == 3_000)
        #expect(try old.expectation().throughputInUnit.baseline == 125)
        #expect(old.warnings.count == 2 && old.warnings.allSatisfy { $0.contains("not accepted by kubernetes.io/aws-ebs") })
        // An in-tree io2 class with iops: an error before, 20,000 IOPS now.
        let io2 = sc("kubernetes.io/aws-ebs", ["type": "io2", "iops": "20000"])
        #expect(try set.resolve(try CSIMigration.translate(io2).storageClass, size: Quantity.parse("100Gi")).expectation().iops.baseline == 20_000)
    }
}
