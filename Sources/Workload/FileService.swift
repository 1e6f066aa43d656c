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

/// Which of a worker's files its next I/O goes to, by `FileService`, skipping files that are done
/// (a size-based file that has moved its share). Allocation-free per I/O.
public struct FileRotation: Sendable {
    public let service: FileService
    public let count: Int
    /// The file the next I/O goes to.
    public private(set) var current = 0
    private var left: Int
    private var done: [Bool]
    private var doneCount = 0
    private var rng: Xoshiro256

    public init(_ service: FileService, files: Int, seed: UInt64) {
        self.service = service
        count = max(files, 1)
        left = service.every
        done = Array(repeating: false, count: count)
        rng = Xoshiro256(seed: seed ^ 0x6669_6C65_7365_7276)
        if service.kind == .random && count > 1 { current = Int(rng.next(below: UInt64(count))) }
    }

    /// Every file is done.
    public var finished: Bool { doneCount == count }

    /// An I/O went to `current`: after `every` of them the next file is chosen.
    public mutating func issued() {
        guard count > 1 else { return }
        left -= 1
        if left > 0 && !done[current] { return }
        left = service.every
        if service.kind != .sequential || done[current] { advance() }
    }

    /// `file` has moved its share: no more I/Os go to it.
    public mutating func markDone(_ file: Int) {
        guard !done[file] else { return }
        done[file] = true
        doneCount += 1
        if file == current && !finished { left = service.every; advance() }
    }

    private mutating func advance() {
        guard !finished else { return }
        if service.kind == .random {
            // A uniform pick among the files not done.
            var k = Int(rng.next(below: UInt64(count - doneCount)))
            for f in 0..<count where !done[f] {
                if k == 0 { current = f; return }
                k -= 1
            }
        }
        repeat { current = (current + 1) % count } while done[current]
    }
}
