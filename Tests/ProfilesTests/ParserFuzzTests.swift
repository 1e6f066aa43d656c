import Foundation
import Testing
@testable import Profiles

/// The quantity and StorageClass parsers never crash on arbitrary input (issue 6, part 5): seeded
/// random mutations of valid inputs and random bytes for a bounded time (TIERBENCH_FUZZ_SECONDS,
/// default 2 s per parser; TIERBENCH_FUZZ_SEED to repeat). Every input either parses or is
/// refused with an error; a quantity that parses is never negative.
@Suite struct ParserFuzzTests {
    static let seconds = ProcessInfo.processInfo.environment["TIERBENCH_FUZZ_SECONDS"].flatMap(Double.init) ?? 2
    static let seed = ProcessInfo.processInfo.environment["TIERBENCH_FUZZ_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 0...UInt64.max)

    struct Gen {
        var state: UInt64
        mutating func next() -> UInt64 {  // SplitMix64
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func pick<T>(_ a: [T]) -> T { a[below(a.count)] }
        mutating func mutate(_ s: String) -> String {
            var scalars = Array(s.unicodeScalars)
            let pieces: [String] = ["", "-", "+", ".", "e", "E", "9", "0", "Ki", "Mi", "Gi", "Ei", "m", "n", "\u{0}", "\n", " ",
                                    "999999999999999999999", "1e308", "0x1f", "\u{212A}", ":", "---", "- ", "{", "[", "\"", "'", "&a", "*a", "!!binary"]
            for _ in 0...below(4) {
                switch below(4) {
                case 0 where !scalars.isEmpty: scalars.remove(at: below(scalars.count))
                case 1: let p = pick(pieces).unicodeScalars; scalars.insert(contentsOf: p, at: below(scalars.count + 1))
                case 2 where !scalars.isEmpty: scalars[below(scalars.count)] = Unicode.Scalar(UInt8(truncatingIfNeeded: next() & 0x7f))
                default: scalars.append(contentsOf: pick(pieces).unicodeScalars)
                }
            }
            var out = String.UnicodeScalarView()
            out.append(contentsOf: scalars)
            return String(out)
        }
    }

    func fuzz(_ name: String, seeds: [String], _ body: (String) -> Void) {
        var gen = Gen(state: Self.seed)
        let end = Date().addingTimeInterval(Self.seconds)
        var cases = 0
        while Date() < end || cases < 200 {
            let input = gen.below(10) == 0
                ? String(decoding: (0..<gen.below(64)).map { _ in UInt8(truncatingIfNeeded: gen.next()) }, as: UTF8.self)
                : gen.mutate(gen.pick(seeds))
            body(input)
            cases += 1
        }
        print("fuzz \(name): \(cases) cases, seed \(Self.seed)")
    }

    @Test func quantities() {
        fuzz("Quantity.parse", seeds: ["500Gi", "1.5Ti", "100", "1e3", "250Mi", "0.9Ei", "+7k", "12m"]) { input in
            do throws(QuantityError) {
                let q = try Quantity.parse(input)
                #expect(q.bytes >= 0, "\(input.debugDescription) parsed to \(q.bytes)")
            } catch {
                #expect(!error.description.isEmpty)
            }
        }
    }

    @Test func storageClassFiles() {
        let seeds = [
            "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast\nprovisioner: ebs.csi.aws.com\nparameters:\n  type: gp3\n  iops: \"16000\"\n",
            "kind: List\nitems:\n- kind: StorageClass\n  metadata: {name: a}\n  provisioner: pd.csi.storage.gke.io\n  parameters: {type: pd-ssd}\n",
            "---\nkind: Deployment\nmetadata: {name: x}\n---\nkind: StorageClass\nmetadata: {name: b}\nprovisioner: disk.csi.azure.com\nparameters: {skuName: Premium_LRS}\n",
            "kind: StatefulSet\nmetadata: {name: db}\nspec:\n  replicas: 3\n  volumeClaimTemplates:\n  - metadata: {name: data}\n    spec: {storageClassName: fast, resources: {requests: {storage: 20Gi}}, volumeMode: Block}\n",
            "{\"kind\": \"List\", \"items\": [{\"kind\": \"PersistentVolumeClaim\", \"metadata\": {\"name\": \"a\"}, \"spec\": {\"resources\": {\"requests\": {\"storage\": \"1Gi\"}}}}]}\n",
            "kind: StorageClass\nmetadata: {name: z}\nprovisioner: kubernetes.io/gce-pd\nvolumeBindingMode: Immediate\nallowedTopologies:\n- matchLabelExpressions:\n  - {key: topology.kubernetes.io/zone, values: [a, b]}\n",
        ]
        fuzz("Manifests.parse", seeds: seeds) { input in
            do throws(ManifestReadError) {
                let f = try Manifests.parse(text: input, file: "fuzz.yaml")
                for c in f.classes { #expect(!c.name.isEmpty && !c.provisioner.isEmpty) }
                for p in f.problems { #expect(p.description.hasPrefix("fuzz.yaml"), "\(p)") }
                for c in f.claims { #expect(c.size.bytes > 0 && c.replicas >= 0) }
            } catch {
                #expect(error.description.hasPrefix("fuzz.yaml"), "\(error)")
            }
        }
    }
}
