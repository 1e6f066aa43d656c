import Engine

/// A worker's I/O errors: a count per errno (0...4095, in a table allocated once) and the first
/// error described in full.
struct ErrorTally: ~Copyable {
    static let codes = 4096
    private let counts: UnsafeMutableBufferPointer<UInt64>
    private(set) var first: String?

    init() {
        counts = .allocate(capacity: Self.codes)
        counts.initialize(repeating: 0)
    }

    deinit { counts.deallocate() }

    /// `io` failed with `code`; `message` says more than the errno's name.
    mutating func record(_ code: Int32, _ io: InFlightIO, message: String? = nil) {
        counts[Int(min(max(code, 0), Int32(Self.codes - 1)))] &+= 1
        if first == nil {
            let what = message ?? Errno(code).description
            first = "\(io.direction) of \(io.length) bytes at offset \(io.offset): \(what)"
        }
    }

    /// A failure that is not an I/O's (the engine refused a submission): kept if it is the first.
    mutating func note(_ message: String) { if first == nil { first = message } }

    var byCode: [Int32: UInt64] {
        var d: [Int32: UInt64] = [:]
        for code in 0..<Self.codes where counts[code] > 0 { d[Int32(code)] = counts[code] }
        return d
    }
}
