import Workload

extension FioOptionTable {
    /// What written buffers contain: compressibility, dedupe, patterns.
    static let dataOptions = Family(
        names: ["buffer_compress_percentage", "dedupe_percentage", "buffer_compress_chunk", "refill_buffers", "scramble_buffers", "zero_buffers", "buffer_pattern"],
        flags: ["refill_buffers", "scramble_buffers", "zero_buffers"],
        map: mapData)

    private static func mapData(_ name: String, _ value: String, _ c: Context) throws(FioValues.Failure) -> Outcome? {
        switch name {
        case "buffer_compress_percentage", "dedupe_percentage":
            return .set([(name.replacingOccurrences(of: "_", with: "-"), try FioValues.integer(value))])
        case "buffer_compress_chunk": return .set([("buffer-compress-chunk", String(try FioValues.size(value, kbBase: c.kbBase)))])
        case "refill_buffers", "scramble_buffers", "zero_buffers":
            return .set([(name.replacingOccurrences(of: "_", with: "-"), try FioValues.bool(value) ? "1" : "0")])
        case "buffer_pattern":
            guard WriteData.parsePattern(value) != nil else {
                throw FioValues.Failure("\(value) is not a pattern tierbench reads; give hex (0xdeadbeef), a number or a quoted string (\"abc\"); fio's %o/%t formats are not supported")
            }
            return .set([("buffer-pattern", value)])
        default: return nil
        }
    }
}
