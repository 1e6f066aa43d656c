import Foundation
import Testing
@testable import Check
import Profiles

/// Every class of a platform team's file gets its own row; claims are evaluated at their own size.
@Suite struct ManifestEvaluationTests {
    let evaluator: ClassEvaluator

    init() throws {
        evaluator = ClassEvaluator(profiles: try ProfileSet.load(builtIn: builtInProfiles))
    }

    static let platform = """
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata:
          name: fast
          annotations: {storageclass.kubernetes.io/is-default-class: "true"}
        provisioner: ebs.csi.aws.com
        volumeBindingMode: WaitForFirstConsumer
        parameters: {type: gp3, iops: "16000", throughput: "1000"}
        ---
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata: {name: orphan}
        parameters: {type: gp3}
        ---
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata: {name: efs}
        provisioner: efs.csi.aws.com
        parameters: {provisioningMode: efs-ap}
        ---
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata: {name: huge}
        provisioner: kubernetes.io/aws-ebs
        volumeBindingMode: WaitForFirstConsumer
        parameters: {type: gp3, iops: "90000"}
        ---
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata: {name: premium}
        provisioner: disk.csi.azure.com
        volumeBindingMode: WaitForFirstConsumer
        parameters: {skuName: Premium_LRS}
        ---
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata: {name: db-io2}
        provisioner: ebs.csi.aws.com
        volumeBindingMode: WaitForFirstConsumer
        parameters: {type: io2}
        """

    @Test func everyValidClassIsEvaluatedAndTheOthersAreNamed() throws {
        let m = try Manifests.parse(text: Self.platform, file: "classes.yaml")
        let e = try evaluator.evaluate(m, size: Quantity.parse("500Gi"))
        #expect(e.classes.map(\.storageClass.name) == ["fast", "orphan", "efs", "huge", "premium", "db-io2"])  // file order
        let byName = Dictionary(uniqueKeysWithValues: e.classes.map { ($0.storageClass.name, $0) })
        #expect(byName["fast"]?.subject?.expectation.iops.baseline == 16_000)
        #expect(byName["premium"]?.subject?.expectation.sizeTier == "P20")
        #expect(byName["orphan"]?.problem?.reason == "it has no `provisioner`")
        #expect(byName["orphan"]?.problem?.source == "classes.yaml:10")
        #expect(byName["efs"]?.problem?.reason.contains("no profile matches provisioner `efs.csi.aws.com`") == true)
        #expect(byName["efs"]?.problem?.fix?.contains("--profiles DIR") == true)
        #expect(byName["db-io2"]?.problem?.reason == "tier io2 needs a provisioned IOPS, and the class sets none")
        #expect(byName["db-io2"]?.problem?.fix == "set parameter `iops` or `iopsPerGB`")
        // The cloud would refuse 90,000 gp3 IOPS: evaluated, with a rejected lint finding.
        let huge = try #require(byName["huge"]?.subject)
        #expect(huge.lint.contains { $0.effect == .rejected && $0.id == "gp3-iops-range" })
        #expect(huge.resolved.storageClass.provisioner == "ebs.csi.aws.com")  // in-tree, translated
        let doc = ExpectDocument(version: "t", classes: e.classes.map(ExpectEntry.init))
        #expect(doc.needsALook)
        #expect(doc.classes.filter(\.evaluated).count == 3)
        #expect(doc.classes.filter(\.rejected).map(\.storageClass) == ["huge"])
    }

    @Test func classPicksAValidClassWhateverTheOthersHold() throws {
        let m = try Manifests.parse(text: Self.platform + "\n---\n- not an object\n", file: "classes.yaml")
        let e = try evaluator.evaluate(m, className: "premium", size: Quantity.parse("100Gi"))
        #expect(e.classes.count == 1 && e.classes[0].evaluated && e.problems.isEmpty)
        #expect(!ExpectDocument(version: "t", classes: e.classes.map(ExpectEntry.init)).needsALook)
        #expect(try evaluator.subject(m, className: "fast", claimName: nil, size: Quantity.parse("1Ti")).expectation.iops.baseline == 16_000)
        #expect {
            _ = try evaluator.evaluate(m, className: "slow", size: Quantity.parse("100Gi"))
        } throws: { error in
            let e = error as? SelectionError
            return e?.kind == .usage && e?.message.contains("no StorageClass named `slow`") == true && e?.message.contains("fast, huge") == true
        }
        // Without --class, the object that is not one is reported too.
        let all = try evaluator.evaluate(m, size: Quantity.parse("100Gi"))
        #expect(all.problems.map(\.reason) == ["it is not a Kubernetes object"])
    }

    static let claims = """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: pg}
        spec:
          replicas: 3
          volumeClaimTemplates:
          - metadata: {name: data}
            spec:
              storageClassName: fast
              resources: {requests: {storage: 20Gi}}
          - metadata: {name: wal}
            spec:
              volumeMode: Block
              resources: {requests: {storage: 100Gi}}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: cache}
        spec:
          storageClassName: nvme-local
          resources: {requests: {storage: 50Gi}}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: scratch}
        spec:
          resources: {requests: {storage: 200Gi}}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: blobs}
        spec:
          storageClassName: premium
          resources: {requests: {storage: 300Gi}}
        """

    @Test func claimsAtTheirOwnSize() throws {
        let m = try Manifests.parse(text: Self.platform + "\n---\n" + Self.claims, file: "all.yaml")
        let e = try evaluator.evaluate(m, size: nil)
        #expect(e.classes.allSatisfy { $0.subject == nil })  // no --size: the classes have no envelope
        #expect(e.classes.first { $0.storageClass.name == "fast" }?.evaluated == true)
        let byName = Dictionary(uniqueKeysWithValues: e.claims.map { ($0.claim.name, $0) })
        // 16,000 IOPS on a 20 GiB gp3 volume: AWS allows 500 per GiB, so it refuses the volume.
        let data = try #require(byName["data"])
        #expect(data.className == "fast" && data.claim.replicas == 3 && data.rejected)
        #expect(data.evaluation?.subject?.lint.contains { $0.id == "gp3-iops-per-gib" } == true)
        // No storageClassName: the annotated default class, at 100 GiB (16,000 IOPS allowed from 32 GiB).
        let wal = try #require(byName["wal"])
        #expect(wal.className == "fast" && wal.classFrom == "the default class" && !wal.rejected)
        #expect(wal.evaluation?.subject?.expectation.iops.baseline == 16_000)
        #expect(wal.claim.volumeMode == "Block")
        // A PVC without storageClassName gets the annotated default class too.
        let scratch = try #require(byName["scratch"])
        #expect(scratch.className == "fast" && scratch.classFrom == "the default class")
        #expect(scratch.evaluation?.subject?.resolved.size.bytes == 200 << 30)
        // A class the files do not contain.
        let cache = try #require(byName["cache"])
        #expect(cache.problem?.reason.contains("names StorageClass `nvme-local`, which the manifests do not contain") == true)
        #expect(cache.problem?.fix?.contains("kubectl get storageclass nvme-local -o yaml") == true)
        // Azure Premium at 300 GiB: size tier P20 (up to 512 GiB).
        #expect(byName["blobs"]?.evaluation?.subject?.expectation.sizeTier == "P20")
        let doc = ExpectDocument(version: "t", classes: e.classes.map(ExpectEntry.init), claims: e.claims.map(ClaimEntry.init))
        #expect(doc.claims.filter(\.needsALook).map(\.claim) == ["data", "cache"])
        #expect(doc.claims.first { $0.claim == "data" }?.pvcNames == ["data-pg-0", "data-pg-1", "data-pg-2"])
        // --class: the claims that get it.
        let fast = try evaluator.evaluate(m, className: "fast", size: nil)
        #expect(fast.claims.map(\.claim.name) == ["data", "wal", "scratch"])
    }

    @Test func checkTakesAClaim() throws {
        let m = try Manifests.parse(text: Self.platform + "\n---\n" + Self.claims, file: "all.yaml")
        let wal = try evaluator.subject(m, className: nil, claimName: "pg/wal", size: nil)
        #expect(wal.resolved.size.text == "100Gi" && wal.resolved.storageClass.name == "fast")
        #expect(try evaluator.subject(m, className: nil, claimName: "wal-pg-1", size: nil).resolved.size.bytes == 100 << 30)
        #expect {
            _ = try evaluator.subject(m, className: nil, claimName: "cache", size: nil)
        } throws: { error in
            (error as? SelectionError)?.kind == .input && "\(error)".contains("nvme-local")
        }
        #expect {
            _ = try evaluator.subject(m, className: nil, claimName: "nope", size: nil)
        } throws: { error in
            (error as? SelectionError)?.kind == .usage && "\(error)".contains("pg/data, pg/wal, cache, scratch, blobs")
        }
        #expect {
            _ = try evaluator.subject(m, className: nil, claimName: nil, size: Quantity.parse("1Ti"))
        } throws: { error in
            "\(error)".contains("check measures one volume: give --class NAME or --claim NAME")
        }
    }

    @Test func oldClustersReadInTreeClassesThemselves() throws {
        let m = try Manifests.parse(text: "kind: StorageClass\nmetadata: {name: legacy}\nprovisioner: kubernetes.io/aws-ebs\nvolumeBindingMode: WaitForFirstConsumer\nparameters: {type: gp3, iops: \"16000\", throughput: \"1000\"}\n", file: "l.yaml")
        let now = try evaluator.evaluate(m, size: Quantity.parse("500Gi")).classes[0]
        #expect(now.subject?.expectation.iops.baseline == 16_000)
        #expect(now.notes.first?.hasPrefix("CSI migration: kubernetes.io/aws-ebs is provisioned by ebs.csi.aws.com") == true)
        let old = ClassEvaluator(profiles: evaluator.profiles, kubernetesVersion: KubernetesVersion(1, 22))
        let then = try old.evaluate(m, size: Quantity.parse("500Gi")).classes[0]
        #expect(then.subject?.expectation.iops.baseline == 3_000)
        #expect(then.subject?.resolved.warnings.contains { $0.contains("`iops` is not accepted by kubernetes.io/aws-ebs") } == true)
        #expect(then.notes.isEmpty)
    }

    /// Random documents of the kinds tierbench reads, nested and with wrong types: the reader and the
    /// evaluator give a report or a one-line error, never a crash.
    @Test func randomDocumentsNeverCrash() throws {
        var rng = SystemRandomNumberGenerator()
        let seed = UInt64.random(in: 0...UInt64.max, using: &rng)
        var state = seed
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        func pick<T>(_ a: [T]) -> T { a[Int(next() % UInt64(a.count))] }
        let keys = ["kind", "metadata", "name", "spec", "provisioner", "parameters", "items", "volumeClaimTemplates", "replicas",
                    "storageClassName", "resources", "requests", "storage", "volumeMode", "allowedTopologies", "matchLabelExpressions",
                    "key", "values", "volumeBindingMode", "annotations", "template", "volumes", "persistentVolumeClaim", "claimName", "type", "iops"]
        let scalars = ["StorageClass", "PersistentVolumeClaim", "StatefulSet", "List", "Pod", "ebs.csi.aws.com", "kubernetes.io/aws-ebs",
                       "kubernetes.io/gce-pd", "20Gi", "-1", "0", "3", "\"\"", "null", "Block", "Immediate", "gp3", "io2", "\"16000\"", "~", "[]", "{}", "zones"]
        func value(_ depth: Int) -> String {
            switch next() % (depth > 3 ? 2 : 5) {
            case 0, 1: return pick(scalars)
            case 2: return "[" + (0..<Int(next() % 3)).map { _ in value(depth + 1) }.joined(separator: ", ") + "]"
            default: return "{" + (0..<Int(next() % 4)).map { _ in "\(pick(keys)): \(value(depth + 1))" }.joined(separator: ", ") + "}"
            }
        }
        var reports = 0, errors = 0
        for _ in 0..<3_000 {
            let docs = (0..<Int(1 + next() % 3)).map { _ in
                "kind: \(pick(["StorageClass", "PersistentVolumeClaim", "StatefulSet", "List", "Deployment"]))\n"
                    + (0..<Int(next() % 6)).map { _ in "\(pick(keys)): \(value(0))" }.joined(separator: "\n")
            }
            let text = docs.joined(separator: "\n---\n")
            do {
                let m = try Manifests.parse(text: text, file: "r.yaml")
                do {
                    let e = try evaluator.evaluate(m, size: next() % 2 == 0 ? nil : Quantity.parse("100Gi"))
                    let doc = ExpectDocument(version: "t", classes: e.classes.map(ExpectEntry.init), claims: e.claims.map(ClaimEntry.init),
                                             problems: e.problems.map(ProblemEntry.init), notes: e.notes)
                    #expect(!CheckReport.human(doc).isEmpty)
                    _ = try CheckReport.json(doc)
                    reports += 1
                } catch let error as SelectionError {
                    #expect(!error.message.contains("\n") && !error.message.isEmpty, "\(text)")
                    errors += 1
                }
            } catch {
                #expect(!"\(error)".contains("\n"), "\(text)")
                errors += 1
            }
        }
        print("random manifests: \(reports) reports, \(errors) one-line errors, seed \(seed)")
        #expect(reports > 0)
    }
}
