import Workload

extension FioOptionTable {
    /// Syncs: fsync/fdatasync every N writes, at the end, on close; O_SYNC opens.
    static let durabilityOptions = Family(
        names: ["fsync", "fdatasync", "sync", "end_fsync", "fsync_on_close"],
        flags: ["end_fsync", "fsync_on_close"],
        map: mapDurability)

    private static func mapDurability(_ name: String, _ value: String, _ c: Context) throws(FioValues.Failure) -> Outcome? {
        switch name {
        case "fsync", "fdatasync": return .set([(name, try FioValues.integer(value))])
        case "sync":
            // 1 and sync: O_SYNC; dsync: O_DSYNC; 0 and none: neither (resolved by `Durability`).
            guard ["0", "none", "1", "sync", "dsync"].contains(value.lowercased()) else {
                throw FioValues.Failure(value: value, " is not none, 0, sync, 1 or dsync")
            }
            return .set([(name, value)])
        case "end_fsync", "fsync_on_close":
            return .set([(name.replacingOccurrences(of: "_", with: "-"), try FioValues.bool(value) ? "1" : "0")])
        default: return nil
        }
    }
}
