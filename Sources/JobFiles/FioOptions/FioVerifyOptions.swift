import Workload

extension FioOptionTable {
    /// Checking written data.
    static let verifyOptions = Family(
        names: ["do_verify", "verify", "verify_backlog"],
        flags: ["do_verify"],
        map: mapVerify)

    private static func mapVerify(_ name: String, _ value: String, _ c: Context) throws(FioValues.Failure) -> Outcome? {
        switch name {
        case "do_verify":
            return try FioValues.bool(value) ? .set([]) : .unsupported("do_verify=0 (write verify headers, never check them) is valid fio but not supported")
        case "verify":
            switch value.lowercased() {
            case "0", "null": return .set([])
            case "crc32c", "crc32c-intel": return .set([("verify", "crc32c")])
            default: return .unsupported("verify=\(value) is valid fio but tierbench verifies with crc32c only; give verify=crc32c")
            }
        case "verify_backlog": return .set([("verify-backlog", try FioValues.integer(value))])
        default: return nil
        }
    }
}
