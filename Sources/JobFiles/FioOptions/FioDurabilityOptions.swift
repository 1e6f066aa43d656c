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
            switch value.lowercased() {
            case "0", "none": return .set([("sync", "none")])
            case "1", "sync": return .set([("sync", "sync")])
            case "dsync": return .set([("sync", "dsync")])
            default: throw FioValues.Failure(value: value, " is not none, 0, sync, 1 or dsync")
            }
        case "end_fsync", "fsync_on_close":
            return .set([(name.replacingOccurrences(of: "_", with: "-"), try FioValues.bool(value) ? "1" : "0")])
        default: return nil
        }
    }
}
