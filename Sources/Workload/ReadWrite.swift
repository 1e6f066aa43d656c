/// fio's `rw` values.
public enum ReadWrite: String, CaseIterable, Codable, Sendable {
    case read, write, randread, randwrite, readwrite, randrw

    public var isRandom: Bool { self == .randread || self == .randwrite || self == .randrw }
    public var isMixed: Bool { self == .readwrite || self == .randrw }
    public var reads: Bool { self != .write && self != .randwrite }
    public var writes: Bool { self != .read && self != .randread }

    /// Accepts fio's names and aliases (`rw` for `readwrite`) and tierbench's presets
    /// (`seqread`, `seqwrite`, `mixed`: randrw at 70% reads). Returns the preset's read share, if any.
    public static func parse(_ text: String, option: String = "rw") throws(InputError) -> (ReadWrite, presetReadPercent: Int?) {
        switch text.lowercased() {
        case "seqread": return (.read, nil)
        case "seqwrite": return (.write, nil)
        case "mixed": return (.randrw, 70)
        case "rw": return (.readwrite, nil)
        default:
            if let v = ReadWrite(rawValue: text.lowercased()) { return (v, nil) }
            throw InputError(
                option: option, value: text, " is not a workload; use one of read, write, randread, randwrite, readwrite, randrw, seqread, seqwrite, mixed"
            )
        }
    }
}

/// The direction of one I/O.
public enum Direction: Int, Sendable, CaseIterable {
    case read = 0, write = 1
}
