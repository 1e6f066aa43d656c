import Foundation
import Glibc
import Testing
import TestSupport

/// `expect` and `check` on the manifests platform teams really deploy, through the real binary:
/// 16 classes of every sort in one file (the kind `kubectl get sc -o yaml` returns plus
/// hand-written ones), in-tree classes read as CSI classes, claims, and the exit status.
private let platformClasses: String = {
    var docs: [String] = []
    func sc(_ name: String, _ provisioner: String?, _ parameters: String, binding: String = "WaitForFirstConsumer", extra: String = "") {
        docs.append("""
            apiVersion: storage.k8s.io/v1
            kind: StorageClass
            metadata:
              name: \(name)
            \(provisioner.map { "provisioner: \($0)" } ?? "")
            volumeBindingMode: \(binding)
            parameters: {\(parameters)}
            \(extra)
            """)
    }
    sc("gp3-fast", "ebs.csi.aws.com", "type: gp3, iops: \"16000\", throughput: \"1000\"")
    sc("gp3-intree", "kubernetes.io/aws-ebs", "type: gp3, iops: \"16000\", throughput: \"1000\", fsType: ext4")
    sc("io2-intree", "kubernetes.io/aws-ebs", "type: io2, iops: \"20000\"")
    sc("gp2", "kubernetes.io/aws-ebs", "type: gp2, fsType: ext4")
    sc("st1", "ebs.csi.aws.com", "type: st1")
    sc("too-many-iops", "ebs.csi.aws.com", "type: gp3, iops: \"90000\"")
    sc("io2-no-iops", "ebs.csi.aws.com", "type: io2")
    sc("pd-balanced", "pd.csi.storage.gke.io", "type: pd-balanced")
    sc("regional-ssd", "kubernetes.io/gce-pd", "type: pd-ssd, replication-type: regional-pd, zones: \"europe-west1-b,europe-west1-c\"")
    sc("hyperdisk", "pd.csi.storage.gke.io", "type: hyperdisk-balanced, provisioned-iops-on-create: \"10000\", provisioned-throughput-on-create: \"500Mi\"")
    sc("premium", "kubernetes.io/azure-disk", "skuName: Premium_LRS, fsType: ext4")
    sc("premium-zrs", "disk.csi.azure.com", "skuName: Premium_ZRS")
    sc("local-path", "rancher.io/local-path", "")
    sc("efs", "efs.csi.aws.com", "provisioningMode: efs-ap, fileSystemId: fs-1234")
    sc("no-provisioner", nil, "type: gp3")
    sc("immediate", "ebs.csi.aws.com", "type: gp3", binding: "Immediate")
    return docs.joined(separator: "\n---\n") + "\n"
}()

private let workloads = """
    apiVersion: apps/v1
    kind: StatefulSet
    metadata: {name: postgres, namespace: db}
    spec:
      replicas: 3
      template:
        spec:
          containers: [{name: pg, image: postgres:16}]
      volumeClaimTemplates:
      - metadata: {name: data}
        spec:
          storageClassName: gp3-fast
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 20Gi}}
      - metadata: {name: wal}
        spec:
          storageClassName: gp3-fast
          accessModes: [ReadWriteOnce]
          volumeMode: Block
          resources: {requests: {storage: 64Gi}}
    """

@Suite struct ManifestCLITests {
    func write(_ s: Scratch, _ name: String, _ text: String) -> String {
        let path = s.file(name)
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    @Test func sixteenClassesEachGetTheirOwnRow() throws {
        let s = Scratch()
        let file = write(s, "classes.yaml", platformClasses)
        let o = try tierbench(["expect", "-f", file, "--size", "500Gi", "--output-format", "json"])
        #expect(o.status == 3, "needs a look: \(o.stderr)")
        #expect(o.stderr.isEmpty)
        let classes = try #require(o.json?["classes"] as? [[String: Any]])
        #expect(classes.count == 16)
        let byName = Dictionary(uniqueKeysWithValues: classes.map { ($0["storage_class"] as! String, $0) })
        let failed = classes.filter { $0["evaluated"] as? Bool == false }.map { $0["storage_class"] as! String }
        #expect(failed == ["io2-no-iops", "local-path", "efs", "no-provisioner"])
        #expect(byName["efs"]?.at("error", "reason") as? String == "no profile matches provisioner `efs.csi.aws.com` (profiles exist for: disk.csi.azure.com, ebs.csi.aws.com, kubernetes.io/aws-ebs, kubernetes.io/azure-disk, kubernetes.io/gce-pd, pd.csi.storage.gke.io)")
        #expect((byName["efs"]?.at("error", "fix") as? String)?.contains("--profiles DIR") == true)
        #expect(byName["no-provisioner"]?.at("error", "reason") as? String == "it has no `provisioner`")
        #expect((byName["no-provisioner"]?["source"] as? String)?.hasSuffix("classes.yaml:\(1 + 9 * 14)") == true)
        #expect(byName["io2-no-iops"]?.at("error", "fix") as? String == "set parameter `iops` or `iopsPerGB`")
        // In-tree classes are CSI classes: their iops and throughput reach the driver.
        #expect(byName["gp3-intree"]?.int("iops", "read", "baseline") == 16_000)
        #expect(byName["gp3-intree"]?.int("throughput", "read", "baseline") == 1_000)
        #expect(byName["gp3-intree"]?["provisioned_by"] as? String == "ebs.csi.aws.com")
        #expect((byName["gp3-intree"]?["warnings"] as? [String])?.isEmpty == true)  // fsType is right on an in-tree class
        #expect(byName["io2-intree"]?.int("iops", "read", "baseline") == 20_000)
        #expect(byName["gp2"]?.int("iops", "read", "baseline") == 1_500)
        // Zone facts.
        #expect(byName["regional-ssd"]?.at("zone", "regional") as? Bool == true)
        #expect(byName["regional-ssd"]?.at("zone", "allowed_zones") as? [String] == ["europe-west1-b", "europe-west1-c"])
        #expect(byName["premium-zrs"]?.at("zone", "regional") as? Bool == true)
        #expect(byName["premium"]?.at("zone", "regional") as? Bool == false)
        #expect(byName["immediate"]?.at("zone", "volume_binding_mode") as? String == "Immediate")
        #expect((byName["immediate"]?["warnings"] as? [String])?.contains { $0.contains("volumeBindingMode is Immediate") } == true)
        #expect((byName["too-many-iops"]?["lint"] as? [[String: Any]])?.contains { $0["effect"] as? String == "rejected" } == true)
        #expect(o.json?["needs_a_look"] as? Bool == true)

        // The same for people: each class in its place, the reason and the fix, a summary.
        let h = try tierbench(["expect", "-f", file, "--size", "500Gi"])
        #expect(h.status == 3)
        #expect(h.stdout.contains("StorageClass `local-path` (\(file):"))
        #expect(h.stdout.contains("why: no profile matches provisioner `rancher.io/local-path`"))
        #expect(h.stdout.contains("fix: set `provisioner` to the CSI driver"))
        #expect(h.stdout.contains("16 classes: 12 evaluated, 4 not evaluated, 1 refused by the cloud at --size (exit status 3: needs a look)"))

        // --class picks a valid class whatever the other documents hold: exit 0.
        let one = try tierbench(["expect", "-f", file, "--size", "500Gi", "--class", "gp3-intree"])
        #expect(one.status == 0, "\(one.stdout)\(one.stderr)")
        #expect(one.stdout.contains("provisioner kubernetes.io/aws-ebs (provisioned by ebs.csi.aws.com), tier gp3 (aws)"))
        #expect(one.stdout.contains("16,000"))
        #expect(!one.stdout.contains("efs"))
        // --class on a class that cannot be evaluated: reported, exit 3.
        let bad = try tierbench(["expect", "-f", file, "--size", "500Gi", "--class", "efs"])
        #expect(bad.status == 3 && bad.stdout.contains("not evaluated"))
        // Before CSI migration, the in-tree plugin ignored iops: 3,000 IOPS, and a warning that says so.
        let old = try tierbench(["expect", "-f", file, "--size", "500Gi", "--class", "gp3-intree", "--kubernetes-version", "1.22", "--output-format", "json"])
        #expect(old.status == 0, "\(old.stderr)")
        #expect(old.json?["semantics"] as? String == "in-tree")
        let oldClass = try #require((old.json?["classes"] as? [[String: Any]])?.first)
        #expect(oldClass.int("iops", "read", "baseline") == 3_000)
        #expect((oldClass["warnings"] as? [String])?.contains { $0.contains("`iops` is not accepted by kubernetes.io/aws-ebs") } == true)
    }

    @Test func exitStatusTellsThreeThingsApart() throws {
        let s = Scratch()
        let good = write(s, "good.yaml", "kind: StorageClass\napiVersion: storage.k8s.io/v1\nmetadata: {name: a}\nprovisioner: ebs.csi.aws.com\nvolumeBindingMode: WaitForFirstConsumer\nparameters: {type: gp3}\n")
        #expect(try tierbench(["expect", "-f", good, "--size", "100Gi"]).status == 0)
        let look = write(s, "look.yaml", "kind: StorageClass\napiVersion: storage.k8s.io/v1\nmetadata: {name: a}\nprovisioner: example.com/nas\n")
        #expect(try tierbench(["expect", "-f", look, "--size", "100Gi"]).status == 3)
        // The input cannot be read at all: 1, one line naming the file.
        for (path, fragment) in [(s.file("missing.yaml"), "missing.yaml: no such file or directory"),
                                 (write(s, "bad.yaml", "kind: StorageClass\nmetadata: {name: x\n"), "bad.yaml:3: malformed YAML"),
                                 (write(s, "cm.yaml", "kind: ConfigMap\nmetadata: {name: x}\n"), "no StorageClass or claim found (they hold ConfigMap)")] {
            let o = try tierbench(["expect", "-f", path, "--size", "100Gi"])
            #expect(o.status == 1, "\(path): \(o.status) \(o.stderr)")
            #expect(o.stderr.split(separator: "\n").count == 1 && o.stderr.contains(fragment), "\(o.stderr)")
            #expect(o.stdout.isEmpty)
        }
        // check: the class cannot be evaluated, so nothing can be judged: 1, with the reason and fix.
        let c = try tierbench(["check", "-f", look, "--size", "100Gi", "--target", s.file("t.dat")])
        #expect(c.status == 1, "\(c.stderr)")
        #expect(c.stderr.contains("no profile matches provisioner `example.com/nas`") && c.stderr.contains("--profiles DIR"))
    }

    @Test func claimsFromAStatefulSet() throws {
        let s = Scratch()
        let dir = s.file("manifests")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        _ = write(s, "manifests/classes.yaml", platformClasses)
        _ = write(s, "manifests/postgres.yaml", workloads)
        let o = try tierbench(["expect", "-f", dir, "--class", "gp3-fast"])
        #expect(o.status == 3, "\(o.stderr)")
        // 16,000 IOPS on a 20 GiB volume: gp3 allows at most 500 per GiB; AWS would refuse it.
        #expect(o.stdout.contains("StatefulSet `postgres`, claim template `data` (\(dir)/postgres.yaml:10): 3 volumes of 20Gi, Filesystem, class `gp3-fast` (from storageClassName)"))
        #expect(o.stdout.contains("lint: rejected: gp3 allows at most 500 IOPS per GiB"))
        #expect(o.stdout.components(separatedBy: "refused: the cloud would not create these volumes").count == 2)  // data only, not wal
        #expect(o.stdout.contains("claim template `wal` (\(dir)/postgres.yaml:15): 3 volumes of 64Gi, Block"))
        #expect(o.stdout.contains("2 claims: 1 needs a look"))
        let j = try tierbench(["expect", "-f", dir, "--class", "gp3-fast", "--output-format", "json"])
        let claims = try #require(j.json?["claims"] as? [[String: Any]])
        #expect(claims.map { $0["claim"] as? String } == ["data", "wal"])
        #expect(claims[0]["pvc_names"] as? [String] == ["data-postgres-0", "data-postgres-1", "data-postgres-2"])
        #expect(claims[1].int("expectation", "iops", "read", "baseline") == 16_000)
        #expect(claims[0].int("expectation", "iops", "read", "baseline") == 10_000)
    }

    /// `kubectl get sc,pvc,sts -A -o json`: one List, read like YAML.
    @Test func kubectlJSONListInput() throws {
        let s = Scratch()
        let items: [[String: Any]] = [
            ["apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
             "metadata": ["name": "standard-rwo", "annotations": ["storageclass.kubernetes.io/is-default-class": "true"]],
             "provisioner": "pd.csi.storage.gke.io", "parameters": ["type": "pd-balanced"], "volumeBindingMode": "WaitForFirstConsumer"],
            ["apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": ["name": "data-kafka-0", "namespace": "kafka"],
             "spec": ["accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": "1Ti"]], "volumeMode": "Filesystem"],
             "status": ["phase": "Bound"]],
        ]
        let list: [String: Any] = ["apiVersion": "v1", "kind": "List", "items": items, "metadata": ["resourceVersion": ""]]
        let file = s.file("cluster.json")
        try JSONSerialization.data(withJSONObject: list, options: [.prettyPrinted]).write(to: URL(fileURLWithPath: file))
        let o = try tierbench(["expect", "-f", file, "--output-format", "json"])
        #expect(o.status == 0, "\(o.stdout)\(o.stderr)")
        let claim = try #require((o.json?["claims"] as? [[String: Any]])?.first)
        #expect(claim["storage_class"] as? String == "standard-rwo" && claim["class_from"] as? String == "the default class")
        #expect(claim.int("expectation", "iops", "read", "baseline") == 9_144)  // pd-balanced: 3,000 + 6 x 1,024
    }

    /// `check --claim`: the claim's class and size, judged on a result file.
    @Test func checkJudgesAClaim() throws {
        let s = Scratch()
        let classes = write(s, "classes.yaml", platformClasses)
        let sts = write(s, "sts.yaml", workloads)
        let target = s.dataFile("t.dat", bytes: 16 << 20)
        let result = s.file("run.json")
        let run = try tierbench(["run", "--target", target, "--overwrite", "--rw", "randread", "--bs", "16k", "--iodepth", "4", "--runtime", "1",
                                 "--time-based", "--output-format", "json", "--output", result, "--progress", "never"])
        #expect(run.status == 0, "\(run.stderr)")
        let o = try tierbench(["check", "-f", classes, "-f", sts, "--claim", "postgres/wal", "--results", result, "--output-format", "json"])
        #expect(o.status == 0 || o.status == 3, "\(o.stderr)")
        let subject = try #require((o.json?["subjects"] as? [[String: Any]])?.first)
        #expect(subject["storage_class"] as? String == "gp3-fast")
        #expect(subject["size"] as? String == "64Gi")
        try usageErrorLine(["check", "-f", classes, "-f", sts, "--claim", "nothing", "--results", result], ["--claim nothing", "postgres/data, postgres/wal"])
        try usageErrorLine(["check", "-f", sts, "--claim", "data", "--size", "1Ti", "--results", result], ["--claim takes the size from the claim"])
    }

    func usageErrorLine(_ arguments: [String], _ fragments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let o = try tierbench(arguments)
        #expect(o.status == 2, "\(o.stderr)", sourceLocation: sourceLocation)
        #expect(o.stderr.split(separator: "\n").count == 1, "\(o.stderr)", sourceLocation: sourceLocation)
        for f in fragments { #expect(o.stderr.contains(f), "'\(f)' not in \(o.stderr)", sourceLocation: sourceLocation) }
    }
}

/// The expect document with classes that could not be evaluated, claims, and no --size validates.
@Suite(needsJSONSchema) struct ManifestSchemaTests {
    @Test func expectOfManifestsIsValid() throws {
        let s = Scratch()
        let classes = s.file("classes.yaml"), sts = s.file("sts.yaml")
        _ = FileManager.default.createFile(atPath: classes, contents: Data(platformClasses.utf8))
        _ = FileManager.default.createFile(atPath: sts, contents: Data((workloads + "\n---\nkind: PersistentVolumeClaim\napiVersion: v1\nmetadata: {name: orphan}\nspec: {resources: {requests: {storage: 1Gi}}}\n---\n- junk\n").utf8))
        var files: [String] = []
        for args in [["--size", "500Gi"], [], ["--class", "gp3-fast"], ["--kubernetes-version", "1.22", "--size", "1Ti"]] {
            let o = try tierbench(["expect", "-f", classes, "-f", sts, "--output-format", "json"] + args)
            #expect(o.status == 3, "\(args): \(o.stderr)")
            let file = s.file("expect-\(files.count).json")
            try o.stdout.write(toFile: file, atomically: false, encoding: .utf8)
            files.append(file)
        }
        let python = try #require(jsonschemaPython)
        let o = try execute(python, [schemaValidatorScript, "\(schemaPackageDirectory)/schema/tierbench-expect-1.schema.json"] + files)
        #expect(o.status == 0, "\(o.stdout)\(o.stderr)")
    }
}
