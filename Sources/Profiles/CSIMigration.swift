import Text

/// A Kubernetes minor version (`1.22`), for the semantics of in-tree StorageClasses.
public struct KubernetesVersion: Sendable, Comparable, CustomStringConvertible {
    public var major: Int
    public var minor: Int
    public init(_ major: Int, _ minor: Int) { self.major = major; self.minor = minor }

    /// `1.22`, `v1.22`, `1.22.3` (the patch is ignored); nil when it is none of these.
    public init?(_ text: String) {
        var t = Substring(text)
        if t.first == "v" { t = t.dropFirst() }
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 2, parts.count <= 3, let major = Int(parts[0]), let minor = Int(parts[1]), major >= 0, minor >= 0,
            parts.count == 2 || Int(parts[2]) != nil
        else { return nil }
        self.init(major, minor)
    }

    public var description: String { "\(major).\(minor)" }
    public static func < (a: Self, b: Self) -> Bool { (a.major, a.minor) < (b.major, b.minor) }
}

/// CSI migration: on every supported Kubernetes, a StorageClass of an in-tree provisioner
/// (`kubernetes.io/aws-ebs`, `kubernetes.io/gce-pd`, `kubernetes.io/azure-disk`) is provisioned by
/// the CSI driver, with the class translated as csi-translation-lib does
/// (`staging/src/k8s.io/csi-translation-lib/plugins/{aws_ebs,gce_pd,azure_disk}.go`,
/// `TranslateInTreeStorageClassToCSI`):
/// - parameter keys are matched without case;
/// - `fsType` becomes `csi.storage.k8s.io/fstype` (AWS and GCE; Azure keeps `fsType`);
/// - `zone` and `zones` (comma-separated, not trimmed) become one `allowedTopologies` term on the
///   driver's topology key; a class that also sets `allowedTopologies` is refused ("cannot
///   simultaneously set allowed topologies and zone/zones parameters");
/// - `allowedTopologies` on `topology.kubernetes.io/zone` or `failure-domain.beta.kubernetes.io/zone`
///   move to the driver's key; other keys pass through;
/// - Azure adds `csi-migration: "true"`;
/// - every other parameter is passed through unchanged (so `iops: "16000"` on an in-tree gp3 class
///   does reach the EBS CSI driver).
/// Migration is on by default for all three from Kubernetes 1.23 (GA 1.24 for Azure Disk, 1.25 for
/// AWS and GCE; the in-tree code is gone from 1.27, 1.28 for GCE PD). On an older cluster the
/// in-tree plugin read the class itself, with its own parameter set.
public enum CSIMigration {
    /// One in-tree plugin and the CSI driver that replaces it.
    public struct Plugin: Sendable {
        public var inTree: String
        public var driver: String
        /// The driver's zonal topology key.
        public var topologyKey: String
        /// `fsType` becomes `csi.storage.k8s.io/fstype`.
        public var renamesFSType: Bool
        /// Parameters the translation adds.
        public var added: [String: String]
    }

    public static let plugins: [Plugin] = [
        Plugin(inTree: "kubernetes.io/aws-ebs", driver: "ebs.csi.aws.com", topologyKey: "topology.ebs.csi.aws.com/zone", renamesFSType: true, added: [:]),
        Plugin(inTree: "kubernetes.io/gce-pd", driver: "pd.csi.storage.gke.io", topologyKey: "topology.gke.io/zone", renamesFSType: true, added: [:]),
        Plugin(inTree: "kubernetes.io/azure-disk", driver: "disk.csi.azure.com", topologyKey: "topology.disk.csi.azure.com/zone", renamesFSType: false,
               added: ["csi-migration": "true"]),
    ]

    /// The first version that translates in-tree classes by default.
    public static let onByDefaultSince = KubernetesVersion(1, 23)

    /// The zone labels Kubernetes itself puts on nodes (GA and the deprecated beta one).
    public static let zoneLabels = ["topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone"]

    public static func plugin(inTree provisioner: String) -> Plugin? { plugins.first { $0.inTree == provisioner } }

    /// What a cluster of `version` makes of the class: the CSI class for an in-tree provisioner
    /// (with a note saying what changed), the class itself otherwise or before migration.
    /// A class the translation refuses is a problem, as the cluster refuses it.
    public static func translate(_ sc: StorageClass, kubernetesVersion version: KubernetesVersion? = nil)
        throws(ManifestProblem) -> (storageClass: StorageClass, notes: [String], warnings: [String])
    {
        guard let plugin = plugin(inTree: sc.provisioner), version.map({ $0 >= onByDefaultSince }) ?? true else { return (sc, [], []) }
        var out = sc
        out.provisioner = plugin.driver
        var parameters: [String: String] = [:]
        var changes: [String] = []
        var zones: [String]?
        var zoneKey = ""
        for key in sc.parameters.keys.sorted() {
            let value = sc.parameters[key]!
            switch key.lowercased() {
            case "fstype" where plugin.renamesFSType:
                parameters["csi.storage.k8s.io/fstype"] = value
                changes.append("\(key) -> csi.storage.k8s.io/fstype")
            case "zone":
                zones = [value]
                zoneKey = key
            case "zones":
                zones = value.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                zoneKey = key
            default:
                parameters[key] = value
            }
        }
        for (k, v) in plugin.added.sorted(by: { $0.key < $1.key }) where parameters[k] == nil {
            parameters[k] = v
            changes.append("adds \(k): \"\(v)\"")
        }
        func problem(_ reason: String, _ fix: String) -> ManifestProblem {
            ManifestProblem(file: sc.file, line: sc.line, subject: "StorageClass `\(sc.name)`", reason: reason, fix: fix)
        }
        if let zones {
            guard sc.allowedTopologies.isEmpty else {
                throw problem("`\(zoneKey)` and `allowedTopologies` are both set: CSI migration refuses the class (\"cannot simultaneously set allowed topologies and zone/zones parameters\")",
                              "keep only allowedTopologies (on topology.kubernetes.io/zone)")
            }
            out.allowedTopologies = [[TopologyRequirement(key: plugin.topologyKey, values: zones)]]
            changes.append("\(zoneKey) -> allowedTopologies \(plugin.topologyKey) in [\(zones.joined(separator: ", "))]")
        } else if !sc.allowedTopologies.isEmpty {
            out.allowedTopologies = sc.allowedTopologies.map { term in
                term.map { zoneLabels.contains($0.key) ? TopologyRequirement(key: plugin.topologyKey, values: $0.values) : $0 }
            }
            if out.allowedTopologies != sc.allowedTopologies { changes.append("allowedTopologies zone keys -> \(plugin.topologyKey)") }
        }
        out.parameters = parameters
        let notes = ["CSI migration: \(sc.provisioner) is provisioned by \(plugin.driver)"
            + (changes.isEmpty ? "; the parameters pass through unchanged" : " (\(changes.joined(separator: "; ")); the other parameters pass through unchanged)")]
        var warnings: [String] = []
        if let zones, let odd = zones.first(where: { $0 != $0.trimmingWhitespace || $0.isEmpty }) {
            warnings.append("\(sc.location): `\(zoneKey)`: the zone `\(odd)` has spaces or is empty; the translation does not trim them, so no node matches it")
        }
        return (out, notes, warnings)
    }
}
