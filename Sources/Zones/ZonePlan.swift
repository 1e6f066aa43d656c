import Foundation
import Profiles

/// What runs in each pod.
public enum ZoneSuite: Sendable, Equatable {
    /// `tierbench check`: the tier's own suite, judged in the pod.
    case check
    /// `tierbench run`: the default suite, judged against the tier here.
    case defaultSuite
    /// `tierbench run FILE`: a job file shipped in the run's ConfigMap, judged here.
    case jobFile(name: String, text: String)
}

/// A pod toleration (`--toleration key=value:NoSchedule`, `key:NoSchedule`, `key`).
public struct Toleration: Sendable, Equatable {
    public var key: String
    public var value: String?
    public var effect: String?

    /// Parses `KEY[=VALUE][:EFFECT]`; nil when it is not that.
    public init?(_ text: String) {
        var rest = Substring(text)
        if let colon = rest.lastIndex(of: ":") {
            let e = String(rest[rest.index(after: colon)...])
            guard ["NoSchedule", "PreferNoSchedule", "NoExecute"].contains(e) else { return nil }
            effect = e
            rest = rest[..<colon]
        }
        let parts = rest.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard let k = parts.first, !k.isEmpty else { return nil }
        key = String(k)
        value = parts.count == 2 ? String(parts[1]) : nil
    }

    public init(key: String, value: String?, effect: String?) { self.key = key; self.value = value; self.effect = effect }
}

/// One volume of a run: a claim and the Job that benchmarks it, pinned to a zone.
public struct VolumeSlot: Sendable, Equatable {
    public var zone: String
    public var index: Int
    /// The PVC's and the Job's name.
    public var name: String
}

/// A per-zone run, before anything exists: every name, label and manifest follows from it.
public struct ZonePlan: Sendable {
    public var runID: String
    public var namespace: String
    /// The class as written (the pods get it in the ConfigMap).
    public var storageClass: StorageClass
    public var size: Quantity
    public var zones: [String]
    public var perZone: Int
    public var suite: ZoneSuite
    public var image: String
    /// `Block` (the default: the volume itself) or `Filesystem`.
    public var volumeMode: String
    public var nodeSelector: [(key: String, value: String)]
    public var tolerations: [Toleration]
    /// The Job's `activeDeadlineSeconds`.
    public var deadlineSeconds: Int
    /// Extra arguments for the pod's tierbench (`--runtime 30s`, ...).
    public var suiteArguments: [String]
    public var cpu: String
    public var memory: String

    public static let labelPrefix = "tierbench.io"
    public static let zoneLabel = "topology.kubernetes.io/zone"
    /// Where the pod sees the raw block volume, and the ConfigMap.
    public static let devicePath = "/dev/xvdb"
    public static let dataPath = "/data"
    public static let planPath = "/etc/tierbench"

    public init(runID: String, namespace: String, storageClass: StorageClass, size: Quantity, zones: [String], perZone: Int = 1,
                suite: ZoneSuite = .check, image: String, volumeMode: String = "Block", nodeSelector: [(key: String, value: String)] = [],
                tolerations: [Toleration] = [], deadlineSeconds: Int = 3600, suiteArguments: [String] = [], cpu: String = "2", memory: String = "1Gi") {
        self.runID = runID; self.namespace = namespace; self.storageClass = storageClass; self.size = size; self.zones = zones
        self.perZone = perZone; self.suite = suite; self.image = image; self.volumeMode = volumeMode; self.nodeSelector = nodeSelector
        self.tolerations = tolerations; self.deadlineSeconds = deadlineSeconds; self.suiteArguments = suiteArguments
        self.cpu = cpu; self.memory = memory
    }

    /// A new run identity: 8 lowercase hex digits (DNS and label safe).
    public static func newRunID() -> String {
        String(format: "%08x", UInt32.random(in: 0...UInt32.max))
    }

    /// The owner object: deleting it deletes every claim and Job of the run (and their pods).
    public var ownerName: String { "tierbench-\(runID)" }

    /// Per zone, `perZone` volumes, in zone order.
    public var slots: [VolumeSlot] {
        zones.flatMap { zone in (0..<perZone).map { VolumeSlot(zone: zone, index: $0, name: "tierbench-\(runID)-\(Self.slug(zone))-\($0)") } }
    }

    /// A zone name as a DNS label part: lowercase letters, digits and dashes.
    static func slug(_ zone: String) -> String {
        let mapped = zone.lowercased().map { $0.isLetter && $0.isASCII || $0.isNumber && $0.isASCII ? $0 : "-" }
        let s = String(mapped).trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        return String((s.isEmpty ? "zone" : s).prefix(30))
    }

    /// The labels every object of the run carries (`kubectl delete -l tierbench.io/run=ID`).
    public var runLabels: [(String, Tree)] {
        [("app.kubernetes.io/name", "tierbench"), ("\(Self.labelPrefix)/run", .string(runID)),
         ("\(Self.labelPrefix)/class", .string(Self.labelValue(storageClass.name)))]
    }

    public var runSelector: String { "\(Self.labelPrefix)/run=\(runID)" }

    func labels(_ slot: VolumeSlot) -> Tree {
        .object(runLabels + [("\(Self.labelPrefix)/zone", .string(Self.labelValue(slot.zone))), ("\(Self.labelPrefix)/index", .string(String(slot.index)))])
    }

    /// A label value: at most 63 characters of [A-Za-z0-9._-], starting and ending alphanumeric.
    static func labelValue(_ s: String) -> String {
        let mapped = String(s.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "_" }.prefix(63))
        return mapped.trimmingCharacters(in: CharacterSet(charactersIn: "._-"))
    }
}
