/// fio's `file_service_type`: how a job with several files picks the file of its next I/O.
/// `roundrobin` (fio's default) moves to the next file, `sequential` finishes one file before the
/// next, `random` picks one at random; each after `every` I/Os (fio's `:N` postfix, default 1).
public struct FileService: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case roundrobin, sequential, random }
    public var kind: Kind
    public var every: Int

    public init(_ kind: Kind = .roundrobin, every: Int = 1) {
        self.kind = kind
        self.every = max(1, every)
    }

    /// fio's value (`random`, `roundrobin:4`, ...), or why tierbench cannot run it.
    public static func parse(_ value: String) -> Result<FileService, InputError> {
        let parts = value.split(separator: ":", maxSplits: 1).map(String.init)
        let name = parts.first?.lowercased() ?? ""
        if ["zipf", "pareto", "normal", "gauss"].contains(name) {
            return .failure(InputError(option: "file_service_type", value: value, " (a skewed choice of file) is valid fio but tierbench picks files uniformly; give file_service_type=random"))
        }
        var every = 1
        if parts.count > 1 {
            guard let n = Int(parts[1]), n >= 1 else {
                return .failure(InputError(option: "file_service_type", value: value, ": the I/Os before switching (after ':') must be a whole number of at least 1"))
            }
            every = n
        }
        if let kind = Kind(rawValue: name) { return .success(FileService(kind, every: every)) }
        return .failure(InputError(option: "file_service_type", value: value, " is not a file service type; fio has random, roundrobin, sequential, zipf, pareto, normal and gauss"))
    }
}

/// Which of a worker's files its next I/O goes to, by `FileService`, and what each file has left
/// of its share: a size-based file that has moved its share is passed over. Allocation-free per I/O.
public struct FileRotation: Sendable {
    public let service: FileService
    /// Bytes issued to each file and its share (`.max`: no limit).
    private var shares: [(issued: UInt64, limit: UInt64)]
    /// The file the next I/O goes to (while not `finished`).
    public private(set) var current = 0
    private var left: Int
    private var doneCount = 0
    private var rng: Xoshiro256

    public init(_ service: FileService, limits: [UInt64], seed: UInt64) {
        self.service = service
        shares = limits.map { (0, $0) }
        left = service.every
        for limit in limits where limit == 0 { doneCount += 1 }
        rng = Xoshiro256(seed: seed ^ 0x6669_6C65_7365_7276)
        if service.kind == .random && shares.count > 1 { current = Int(rng.next(below: UInt64(shares.count))) }
        if !finished && isDone(current) { advance() }
    }

    /// Every file has moved its share.
    public var finished: Bool { doneCount == shares.count }

    private func isDone(_ file: Int) -> Bool { shares[file].issued >= shares[file].limit }

    /// An I/O of `bytes` went to `current`: once its share is moved, or after `every` I/Os, the
    /// next file is chosen (a sequential service stays until the file is done).
    public mutating func issued(bytes: UInt64) {
        shares[current].issued &+= bytes
        if isDone(current) {
            doneCount += 1
            left = service.every
            advance()
            return
        }
        guard shares.count > 1 else { return }
        left -= 1
        guard left == 0 else { return }
        left = service.every
        if service.kind != .sequential { advance() }
    }

    private mutating func advance() {
        guard !finished else { return }
        if service.kind == .random {
            // A uniform pick among the files not done.
            var k = Int(rng.next(below: UInt64(shares.count - doneCount)))
            for f in shares.indices where !isDone(f) {
                if k == 0 { current = f; return }
                k -= 1
            }
        }
        repeat { current = (current + 1) % shares.count } while isDone(current)
    }
}
