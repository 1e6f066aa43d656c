import Workload

extension FioOptionTable {
    /// Checking written data.
    static let verifyOptions = Family(
        names: ["do_verify", "verify", "verify_backlog", "verify_only", "verify_pattern"],
        flags: ["do_verify", "verify_only"],
        map: mapVerify)

    private static func mapVerify(_ name: String, _ value: String, _ c: Context) throws(FioValues.Failure) -> Outcome? {
        switch name {
        case "do_verify": return .set([("do-verify", try FioValues.bool(value) ? "true" : "false")])
        case "verify_only": return .set([("verify-only", try FioValues.bool(value) ? "true" : "false")])
        case "verify": return verifyAlgorithm(value)
        case "verify_backlog": return .set([("verify-backlog", try FioValues.integer(value))])
        case "verify_pattern":
            return .unsupported("verify_pattern (fio's verify=pattern data) is valid fio but tierbench's blocks carry its own header and data pattern; give verify=crc32c")
        default: return nil
        }
    }

    /// fio's verify algorithms: crc32c and crc32 are tierbench's own modes; meta is in every header.
    private static func verifyAlgorithm(_ value: String) -> Outcome {
        switch value.lowercased() {
        case "0", "null": return .set([])
        case "crc32c", "crc32c-intel": return .set([("verify", "crc32c")])
        case "crc32": return .set([("verify", "crc32")])
        case "meta":
            return .set([("verify", "crc32c")], note: "verify=meta: every tierbench verify header carries the block's offset, length and generation (fio: meta is checked by default); tierbench checks them with verify=crc32c")
        case "pattern":
            return .unsupported("verify=pattern (only the verify_pattern bytes, no header) is valid fio but tierbench's blocks carry its own header; give verify=crc32c")
        case "md5", "crc64", "crc16", "crc7", "sha1", "sha256", "sha512", "sha3-224", "sha3-256", "sha3-384", "sha3-512", "xxhash":
            return .unsupported("verify=\(value) is valid fio but tierbench's header holds a 32-bit checksum (crc32c or crc32); give verify=crc32c")
        default: return .unsupported("verify=\(value) is not a verify algorithm tierbench knows; give verify=crc32c or verify=crc32")
        }
    }
}
