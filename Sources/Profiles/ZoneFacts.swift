import Text

/// Where a class's volumes are created, as a per-zone run needs to know it.
public struct ZoneFacts: Sendable, Equatable {
    /// `Immediate` or `WaitForFirstConsumer` (`Immediate` when the class does not say).
    public var volumeBindingMode: String
    /// The zones `allowedTopologies` allows (values of zone keys); nil: any zone.
    public var allowedZones: [String]?
    /// The volumes are replicated across zones (GCE regional-pd, Azure ZRS); nil when no profile
    /// matched, so nobody knows.
    public var regional: Bool?
    /// Immediate binding on a zonal class, and the like: one line each.
    public var warnings: [String]

    /// The facts of a (translated) class; `profile` decides whether its volumes are regional.
    public init(_ sc: StorageClass, profile: Profile?) {
        volumeBindingMode = sc.volumeBindingMode ?? "Immediate"
        var zoneValues = sc.allowedTopologies.flatMap { $0 }.filter(ZoneFacts.isZoneKey).flatMap(\.values)
        // An in-tree class read by its own plugin (before CSI migration) names zones as parameters.
        if CSIMigration.plugin(inTree: sc.provisioner) != nil {
            if let z = sc.parameter("zone") { zoneValues.append(z) }
            if let z = sc.parameter("zones") { zoneValues += z.split(separator: ",").map { String($0).trimmingWhitespace } }
        }
        var seen: Set<String> = []
        allowedZones = zoneValues.isEmpty ? nil : zoneValues.filter { seen.insert($0).inserted }
        regional = profile.map { p in
            p.regional.contains { rule in sc.parameter(rule.parameter) == rule.value }
        }
        warnings = []
        if volumeBindingMode == "Immediate", regional != true, (allowedZones?.count ?? 2) > 1 {
            warnings.append(
                "\(sc.location): volumeBindingMode is Immediate\(sc.volumeBindingMode == nil ? " (the default)" : ""): the volume is created at once in a zone the provisioner picks, "
                    + "which may not be one where its pod can run (\"volume node affinity conflict\"); set volumeBindingMode: WaitForFirstConsumer")
        }
    }

    /// A topology key that names a zone: Kubernetes' zone labels and the drivers' `.../zone` keys.
    static func isZoneKey(_ r: TopologyRequirement) -> Bool {
        CSIMigration.zoneLabels.contains(r.key) || r.key.hasSuffix("/zone")
    }
}
