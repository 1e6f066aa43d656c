import Testing
@testable import Profiles

/// Kubernetes quantities, StorageClass files, and resolving classes against the shipped profiles.
@Suite struct StorageClassTests {
    let set: ProfileSet

    init() throws {
        set = try ProfileSet.load(builtIn: builtInProfiles)
    }

    func sc(_ provisioner: String, _ parameters: [String: String] = [:], name: String = "c") -> StorageClass {
        StorageClass(name: name, provisioner: provisioner, parameters: parameters, file: "sc.yaml", line: 1)
    }

    func resolve(_ provisioner: String, _ parameters: [String: String] = [:], size: String = "100Gi") throws -> ResolvedClass {
        try set.resolve(sc(provisioner, parameters), size: Quantity.parse(size))
    }

    // MARK: Quantities

    @Test func quantities() throws {
        let gi: Int64 = 1 << 30
        #expect(try Quantity.parse("500Gi").bytes == 500 * gi)
        #expect(try Quantity.parse("500Gi").gib == 500)
        #expect(try Quantity.parse("1.5Gi").bytes == 3 * gi / 2)
        #expect(try Quantity.parse("1Ki").bytes == 1_024)
        #expect(try Quantity.parse("2Ti").bytes == 2 << 40)
        #expect(try Quantity.parse("1Ei").bytes == 1 << 60)
        #expect(try Quantity.parse("100G").bytes == 100_000_000_000)
        #expect(try Quantity.parse("1k").bytes == 1_000)
        #expect(try Quantity.parse("1E").bytes == 1_000_000_000_000_000_000)
        #expect(try Quantity.parse("1e3").bytes == 1_000)
        #expect(try Quantity.parse("1E3").bytes == 1_000)
        #expect(try Quantity.parse("12345").bytes == 12_345)
        #expect(try Quantity.parse("+7").bytes == 7)
        #expect(try Quantity.parse("0.9Ei").bytes == 1_037_629_354_146_162_279)  // ceil(0.9 x 2^60)
        #expect(try Quantity.parse("1500m").bytes == 2)  // a fraction of a byte rounds up
        #expect(try Quantity.parse("100G").gibRoundedUp == 94)
    }

    @Test func badQuantities() {
        for (text, reason) in [
            ("-1Gi", "negative"), ("", "empty"), ("Gi", "does not start with a number"), ("500GB", "`GB` is not a unit"),
            ("1.2.3", "two decimal points"), ("8Ei", "larger than"), ("99999999999999999999", "larger than"), ("1e", "`e` is not a unit"),
        ] {
            #expect {
                _ = try Quantity.parse(text)
            } throws: { error in
                let d = "\(error)"
                return d.contains(reason) && d.contains("`\(text)`") && d.contains("e.g. 500Gi") && !d.contains("\n")
            }
        }
    }

    // MARK: Files

    static let multiDocument = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: app
        spec:
          replicas: 1
        ---
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata:
          name: fast
        provisioner: ebs.csi.aws.com
        allowVolumeExpansion: true
        parameters:
          type: io2
          iopsPerGB: "50"
          csi.storage.k8s.io/fstype: xfs
        ---
        # a comment-only document
        ---
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata:
          name: standard-rwo
        provisioner: pd.csi.storage.gke.io
        volumeBindingMode: WaitForFirstConsumer
        parameters:
          type: pd-balanced
          replication-type: none
        """

    @Test func multiDocumentWithOtherKinds() throws {
        let file = try Manifests.parse(text: Self.multiDocument, file: "m.yaml")
        #expect(file.classes.map(\.name) == ["fast", "standard-rwo"])
        #expect(file.skippedKinds.isEmpty)  // a Deployment is read for the claims it mounts
        #expect(file.problems.isEmpty)
        let fast = try #require(file.classes.first { $0.name == "fast" })
        #expect(fast.provisioner == "ebs.csi.aws.com")
        #expect(fast.parameters == ["type": "io2", "iopsPerGB": "50", "csi.storage.k8s.io/fstype": "xfs"])
        #expect(fast.line == 8)
        #expect(fast.volumeBindingMode == nil)
        #expect(file.classes[1].volumeBindingMode == "WaitForFirstConsumer")
    }

    @Test func kubectlListOutput() throws {
        let text = """
            apiVersion: v1
            items:
            - allowVolumeExpansion: true
              apiVersion: storage.k8s.io/v1
              kind: StorageClass
              metadata:
                annotations:
                  storageclass.kubernetes.io/is-default-class: "true"
                creationTimestamp: "2024-01-01T00:00:00Z"
                name: gp2
                resourceVersion: "123"
                uid: 0b6e5a4c-0000-0000-0000-000000000000
              parameters:
                fsType: ext4
                type: gp2
              provisioner: kubernetes.io/aws-ebs
              reclaimPolicy: Delete
              volumeBindingMode: WaitForFirstConsumer
            - apiVersion: storage.k8s.io/v1
              kind: StorageClass
              metadata:
                name: managed-csi-premium
              parameters:
                skuname: Premium_LRS
              provisioner: disk.csi.azure.com
            kind: List
            metadata:
              resourceVersion: ""
            """
        let file = try Manifests.parse(text: text, file: "list.yaml")
        #expect(file.classes.map(\.name) == ["gp2", "managed-csi-premium"])
        #expect(file.classes.map(\.isDefaultClass) == [true, false])
        #expect(file.classes[0].provisioner == "kubernetes.io/aws-ebs")
        #expect(file.classes[1].parameters == ["skuname": "Premium_LRS"])
        // The Azure key is case-insensitive.
        let r = try set.resolve(file.classes[1], size: Quantity.parse("512Gi"))
        #expect(r.profile.name == "Premium_LRS")
        #expect(r.warnings.isEmpty)
        #expect(try r.expectation().sizeTier == "P20")
    }

    @Test func fileErrors() throws {
        // Nothing but other kinds: no class, the kinds are known (the message is Check's).
        let d = try Manifests.parse(text: "kind: ConfigMap\nmetadata: {name: x}\n", file: "d.yaml")
        #expect(d.classes.isEmpty && d.skippedKinds == ["ConfigMap"])
        // A class without provisioner is a problem in place, not an error for the file.
        let p = try Manifests.parse(text: "kind: StorageClass\nmetadata: {name: x}\n---\nkind: StorageClass\nmetadata: {name: y}\nprovisioner: ebs.csi.aws.com\n", file: "p.yaml")
        #expect(p.classes.map(\.name) == ["y"])
        #expect(p.problems.map(\.description) == ["p.yaml:1: StorageClass `x`: it has no `provisioner`; set `provisioner` to the CSI driver that creates its volumes (e.g. ebs.csi.aws.com)"])
        #expect(p.problems.first?.kind == "StorageClass" && p.problems.first?.name == "x")
        // YAML that does not parse: the file cannot be read at all.
        #expect {
            _ = try Manifests.parse(text: "kind: StorageClass\nmetadata: {name: x\n", file: "bad.yaml")
        } throws: { error in
            error is ManifestReadError && "\(error)".hasPrefix("bad.yaml:") && "\(error)".contains("malformed YAML")
        }
        let s = try Manifests.parse(text: "- a\n- b\n", file: "s.yaml")
        #expect(s.problems.map(\.description) == ["s.yaml:1: document 1: it is not a Kubernetes object; give a mapping with `apiVersion`, `kind` and `metadata`"])
        // A class defined twice: the second is a problem naming the first.
        let twice = try Manifests.parse(text: "kind: StorageClass\nmetadata: {name: x}\nprovisioner: a\n---\nkind: StorageClass\nmetadata: {name: x}\nprovisioner: b\n", file: "t.yaml")
        #expect(twice.classes.map(\.provisioner) == ["a"])
        #expect(twice.problems.first?.reason == "it is defined twice (also at t.yaml:1)")
    }

    // MARK: Resolution

    @Test func inTreeAndCSIProvisioners() throws {
        #expect(try resolve("ebs.csi.aws.com").profile.name == "gp3")  // the driver's default type
        #expect(try resolve("ebs.csi.aws.com", ["type": "gp2"]).profile.name == "gp2")
        #expect(try resolve("kubernetes.io/aws-ebs", ["type": "io1", "iopsPerGB": "10"]).profile.name == "io1")
        #expect(try resolve("pd.csi.storage.gke.io", ["type": "pd-ssd"]).profile.name == "pd-ssd")
        #expect(try resolve("kubernetes.io/gce-pd", ["type": "pd-standard"]).profile.name == "pd-standard")
        #expect(try resolve("disk.csi.azure.com", ["skuName": "StandardSSD_LRS"]).profile.name == "StandardSSD_LRS")
        #expect(try resolve("kubernetes.io/azure-disk", ["storageAccountType": "Standard_LRS"]).profile.name == "Standard_LRS")
    }

    @Test func provisionedValues() throws {
        let gp3 = try resolve("ebs.csi.aws.com", ["type": "gp3", "iops": "16000", "throughput": "1000"], size: "500Gi")
        #expect(gp3.values == ["iops": 16_000, "throughput_mibps": 1_000])
        #expect(try gp3.expectation().iops.baseline == 16_000)
        #expect(gp3.lint().isEmpty)
        // Defaults come from the profile, not from the class.
        let plain = try resolve("ebs.csi.aws.com", ["type": "gp3"])
        #expect(plain.values.isEmpty)
        #expect(try plain.expectation().throughputInUnit.baseline == 125)
        // GCP: the throughput is a quantity, in MiB/s.
        let hd = try resolve("pd.csi.storage.gke.io", [
            "type": "hyperdisk-balanced", "provisioned-iops-on-create": "10000", "provisioned-throughput-on-create": "250Mi",
        ])
        #expect(hd.values == ["iops": 10_000, "throughput_mibps": 250])
        // Azure: DiskIOPSReadWrite and DiskMBpsReadWrite, keys in any case.
        let v2 = try resolve("disk.csi.azure.com", ["skuname": "PremiumV2_LRS", "diskIOPSReadWrite": "5000", "DiskMBpsReadWrite": "200"])
        #expect(v2.values == ["iops": 5_000, "throughput_mbps": 200])
        #expect(v2.warnings.isEmpty)
        // A bad value is an error naming the parameter.
        #expect {
            _ = try resolve("ebs.csi.aws.com", ["type": "gp3", "iops": "lots"])
        } throws: { error in
            "\(error)" == "sc.yaml:1: StorageClass `c`: parameter `iops`: `lots` is not an integer; give a whole number, quoted, e.g. \"16000\""
        }
    }

    @Test func unknownParametersWarn() throws {
        let r = try resolve("ebs.csi.aws.com", ["type": "gp3", "replication-type": "none", "fsType": "ext4"])
        #expect(r.profile.name == "gp3")
        #expect(r.warnings.count == 2)
        #expect(r.warnings.contains { $0.contains("`replication-type` is unknown to ebs.csi.aws.com") })
        #expect(r.warnings.contains { $0.contains("`fsType` is deprecated (use csi.storage.k8s.io/fstype)") })
        // Resolved as written (the in-tree plugin's semantics, before CSI migration translates the
        // class: see CSIMigrationTests): in-tree aws-ebs does not take `iops` (CSI only).
        let inTree = try resolve("kubernetes.io/aws-ebs", ["type": "gp3", "iops": "4000"])
        #expect(inTree.warnings.count == 1)
        #expect(inTree.warnings[0].contains("not accepted by kubernetes.io/aws-ebs"))
        #expect(inTree.values.isEmpty)
        // iops with iopsPerGB: the driver refuses.
        let both = try resolve("ebs.csi.aws.com", ["type": "io2", "iops": "4000", "iopsPerGB": "10"])
        #expect(both.warnings.contains { $0.contains("exclusive") })
    }

    @Test func unmatchedProvisionerIsAClearError() {
        #expect {
            _ = try resolve("rook-ceph.rbd.csi.ceph.com", ["pool": "replicapool"])
        } throws: { error in
            let d = "\(error)"
            return d.hasPrefix("sc.yaml:1: StorageClass `c`: no profile matches provisioner `rook-ceph.rbd.csi.ceph.com`")
                && d.contains("ebs.csi.aws.com") && d.contains("template-fixed.yaml")
        }
        #expect {
            _ = try resolve("ebs.csi.aws.com", ["type": "gp9"])
        } throws: { error in
            "\(error)".contains("with type `gp9` matches no profile") && "\(error)".contains("gp3 (gp3)")
        }
        // in-tree aws-ebs has no default tier in the profiles.
        #expect {
            _ = try resolve("kubernetes.io/aws-ebs")
        } throws: { error in
            "\(error)".contains("without `type` matches no profile")
        }
    }

    @Test func iopsPerGBTimesSizeIsCapped() throws {
        // io2: 50 IOPS/GiB x 100 GiB = 5,000.
        let small = try resolve("ebs.csi.aws.com", ["type": "io2", "iopsPerGB": "50"], size: "100Gi")
        #expect(small.values["iops"] == 5_000)
        // io2: 100 x 4 TiB = 409,600, capped at the type's 256,000.
        let big = try resolve("ebs.csi.aws.com", ["type": "io2", "iopsPerGB": "100"], size: "4Ti")
        #expect(big.values["iops"] == 256_000)
        #expect(big.notes.first?.contains("capped at the io2 maximum 256000") == true)
        #expect(big.lint().isEmpty)
        // io1: 80 x 100 GiB = 8,000, capped at 50 per GiB = 5,000.
        let perGiB = try resolve("ebs.csi.aws.com", ["type": "io1", "iopsPerGB": "80"], size: "100Gi")
        #expect(perGiB.values["iops"] == 5_000)
        #expect(try perGiB.expectation().iops.baseline == 5_000)
    }

    @Test func allowAutoIOPSPerGBIncrease() throws {
        // gp3: 10 x 100 GiB = 1,000, below the 3,000 minimum.
        let refused = try resolve("ebs.csi.aws.com", ["type": "gp3", "iopsPerGB": "10"], size: "100Gi")
        #expect(refused.values["iops"] == 1_000)
        #expect(refused.warnings.contains { $0.contains("below the gp3 minimum 3000") && $0.contains("allowAutoIOPSPerGBIncrease") })
        #expect(refused.lint().map(\.id) == ["gp3-iops-range"])
        let raised = try resolve("ebs.csi.aws.com", ["type": "gp3", "iopsPerGB": "10", "allowAutoIOPSPerGBIncrease": "true"], size: "100Gi")
        #expect(raised.values["iops"] == 3_000)
        #expect(raised.warnings.isEmpty)
        #expect(raised.enabled == ["allowAutoIOPSPerGBIncrease"])
        #expect(raised.lint().isEmpty)
    }

    @Test func ebsKeysAreCaseInsensitive() throws {
        let r = try resolve("ebs.csi.aws.com", ["TYPE": "io2", "IopsPerGb": "20", "ENCRYPTED": "true"], size: "200Gi")
        #expect(r.profile.name == "io2")
        #expect(r.values["iops"] == 4_000)
        #expect(r.warnings.isEmpty)
        // ... except csi.storage.k8s.io/fstype, which the data marks case-sensitive.
        let fs = try resolve("ebs.csi.aws.com", ["type": "gp3", "CSI.storage.k8s.io/fstype": "xfs"])
        #expect(fs.warnings.count == 1)
    }
}
