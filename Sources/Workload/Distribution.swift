import Glibc
import Text

/// fio's `random_distribution`: which blocks random I/O hits. `random` is uniform; `zipf:THETA`,
/// `pareto:H` and `normal:SIGMA` (SIGMA in percent of the range) make some blocks hot, with an
/// optional `:CENTER` (0-1) placing the peak. A non-uniform distribution turns the random map off,
/// as in fio.
public struct RandomDistribution: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case random, zipf, pareto, normal, zoned, zonedAbs = "zoned_abs" }
    public var kind: Kind
    /// zipf: theta; pareto: h; normal: standard deviation in percent of the range.
    public var parameter: Double?
    /// Where the most probable block lies, 0-1 of the range (fio's second value); nil: fio's default.
    public var center: Double?
    /// zoned / zoned_abs: consecutive zones from the start of the range, each taking `access`
    /// percent of the I/Os spread uniformly over it; `size` is percent of the range (zoned) or bytes
    /// (zoned_abs).
    public var zones: [Zone]?

    public struct Zone: Codable, Sendable, Equatable {
        public var access: Int
        public var size: UInt64
        public init(access: Int, size: UInt64) { self.access = access; self.size = size }
    }

    public init(kind: Kind, parameter: Double? = nil, center: Double? = nil, zones: [Zone]? = nil) {
        self.kind = kind; self.parameter = parameter; self.center = center; self.zones = zones
    }
    public static let uniform = RandomDistribution(kind: .random)
    public var isUniform: Bool { kind == .random }

    /// As fio writes it: `zipf:1.2`, `normal:20:0.5`.
    public var fioText: String {
        var s = kind.rawValue
        if let zones { return s + zones.map { ":\($0.access)/\($0.size)" }.joined() }
        if let parameter { s += ":\(parameter)" }
        if let center { s += ":\(center)" }
        return s
    }

    public static func parse(_ text: String, option: String = "random-distribution") throws(InputError) -> RandomDistribution {
        let t = text.trimmingBlanks.lowercased()
        if t.contains(",") {
            throw InputError(option: option, value: text, ": a distribution per direction is not supported yet; give one for both, e.g. zipf:1.2")
        }
        let parts = t.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let name = parts[0]
        func number(_ i: Int) throws(InputError) -> Double? {
            guard i < parts.count else { return nil }
            guard let v = Double(parts[i]), v.isFinite else {
                throw InputError(option: option, value: text, ": '\(parts[i])' is not a number; give e.g. zipf:1.2, pareto:0.3 or normal:20")
            }
            return v
        }
        switch name {
        case "random":
            guard parts.count == 1 else { throw InputError(option: option, value: text, ": random takes no value; give random, zipf:THETA, pareto:H or normal:SIGMA") }
            return .uniform
        case "zipf", "pareto", "normal":
            guard parts.count <= 3 else { throw InputError(option: option, value: text, " has too many values; give \(name):VALUE[:CENTER]") }
            // Without a value, fio's defaults (FIO_DEF_ZIPF, FIO_DEF_PARETO; normal: 0).
            let value = try number(1) ?? (name == "zipf" ? 1.1 : name == "pareto" ? 0.2 : 0)
            let center = try number(2)
            if let center, !(0...1).contains(center) {
                throw InputError(option: option, value: text, ": the center \(parts[2]) is outside 0-1; give a share of the range, e.g. \(name):\(parts[1]):0.25")
            }
            switch name {
            case "zipf":
                guard value > 0 && value != 1 else { throw InputError(option: option, value: text, ": zipf theta must be above 0 and not 1; give e.g. zipf:1.2") }
                return RandomDistribution(kind: .zipf, parameter: value, center: center)
            case "pareto":
                guard value > 0 && value < 1 else { throw InputError(option: option, value: text, ": the pareto power must be between 0 and 1 (exclusive); give e.g. pareto:0.3") }
                return RandomDistribution(kind: .pareto, parameter: value, center: center)
            default:
                guard (0...100).contains(value) else { throw InputError(option: option, value: text, ": the normal deviation is a percentage of the range, 0-100; give e.g. normal:20") }
                return RandomDistribution(kind: .normal, parameter: value, center: center)
            }
        case "zoned", "zoned_abs":
            return try zoned(absolute: name == "zoned_abs", Array(parts.dropFirst()), text: text, option: option)
        default:
            throw InputError(option: option, value: text, " is not a distribution; use random, zipf:THETA, pareto:H or normal:SIGMA")
        }
    }
}

extension RandomDistribution {
    /// fio's `zoned:60/10:30/20:10/70` (access percent / size percent of the range) and
    /// `zoned_abs:60/1g:40/3g` (sizes in bytes): the accesses add up to 100, zoned's sizes to at
    /// most 100 (options.c zone_split_ddir); the range beyond the last zone gets no I/O.
    static func zoned(absolute: Bool, _ items: [String], text: String, option: String) throws(InputError) -> RandomDistribution {
        let example = absolute ? "zoned_abs:60/1g:40/3g" : "zoned:60/10:40/90"
        guard !items.isEmpty else { throw InputError(option: option, value: text, " names no zones; give e.g. \(example)") }
        var zones: [Zone] = []
        for item in items {
            let pair = item.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard pair.count == 2, let access = Int(pair[0]), (0...100).contains(access) else {
                throw InputError(option: option, value: text, ": '\(item)' is not ACCESS%/SIZE; give e.g. \(example)")
            }
            let size: UInt64
            if absolute {
                guard let bytes = try? Units.parseSize(pair[1], option: option), bytes > 0 else {
                    throw InputError(option: option, value: text, ": '\(pair[1])' is not a zone size in bytes; give e.g. \(example)")
                }
                size = bytes
            } else {
                guard let percent = UInt64(pair[1]), (1...100).contains(percent) else {
                    throw InputError(option: option, value: text, ": '\(pair[1])' is not a percentage of the range from 1 to 100; give e.g. \(example)")
                }
                size = percent
            }
            zones.append(Zone(access: access, size: size))
        }
        let access = zones.map(\.access).reduce(0, +)
        guard access == 100 else { throw InputError(option: option, value: text, ": the accesses add up to \(access)%, not 100%; give e.g. \(example)") }
        if !absolute, case let sizes = zones.map(\.size).reduce(0, +), sizes > 100 {
            throw InputError(option: option, value: text, ": the zone sizes add up to \(sizes)% of the range, more than 100%; give e.g. \(example)")
        }
        return RandomDistribution(kind: absolute ? .zonedAbs : .zoned, zones: zones)
    }
}

/// fio's zones as block ranges: the cumulative access percentage that ends each zone, its first
/// block and its blocks (io_u.c __get_next_rand_offset_zoned: a draw from 1 to 100 picks the
/// zone, a uniform draw the block in it).
struct ZoneTable: Sendable {
    var ends: [Int] = []
    var starts: [UInt64] = []
    var lengths: [UInt64] = []

    init(_ d: RandomDistribution, count: UInt64, unit: UInt64) {
        var access = 0
        var start: UInt64 = 0
        for z in d.zones ?? [] {
            let blocks = d.kind == .zonedAbs ? z.size / max(unit, 1) : count.multipliedFullWidth(by: z.size).low / 100
            let length = max(1, min(blocks, count > start ? count - start : 0))
            access += z.access
            ends.append(access)
            starts.append(min(start, count - 1))
            lengths.append(length)
            start += blocks
        }
    }

    func block(_ rng: inout Xoshiro256) -> UInt64 {
        let v = Int(rng.next(below: 100)) + 1
        let i = ends.firstIndex { v <= $0 } ?? ends.count - 1
        return starts[i] + rng.next(below: lengths[i])
    }
}

/// Draws block indices in `0..<count` following a `RandomDistribution`, with fio's algorithms
/// (lib/zipf.c, lib/gauss.c): the value drawn is multiplied by the 64-bit golden ratio (fio's
/// `__hash_u64`) so that hot blocks are spread over the range, then offset and reduced modulo
/// `count`. Allocation-free per draw.
public struct DistributionGenerator: Sendable {
    public let kind: RandomDistribution.Kind
    public let count: UInt64
    var rng: Xoshiro256
    var offset: UInt64 = 0
    // zipf
    var theta = 0.0, zetan = 0.0, zeta2 = 0.0, alpha = 0.0, eta = 0.0
    // pareto
    var paretoPower = 0.0
    // normal
    var stddev: Int64 = 0

    static let golden: UInt64 = 0x61C8_8646_80B5_83EB
    static let zipfMaxTerms: UInt64 = 10_000_000

    var zones: ZoneTable?

    /// `unit`: the bytes of a block (zoned_abs sizes are in bytes).
    public init(_ d: RandomDistribution, count: UInt64, unit: UInt64 = 1, seed: UInt64) {
        kind = d.kind
        self.count = max(count, 1)
        rng = Xoshiro256(seed: seed ^ 0x0D15_7B1B)
        let n = Double(self.count)
        switch d.kind {
        case .random: break
        case .zoned, .zonedAbs: zones = ZoneTable(d, count: self.count, unit: unit)
        case .zipf, .pareto:
            // fio: a random offset (the first draw), or count x center.
            let first = rng.next32()
            offset = d.center.map { UInt64(n * $0) } ?? UInt64(first)
            if d.kind == .zipf {
                theta = d.parameter ?? 1.2
                zeta2 = pow(1.0, theta) + pow(0.5, theta)
                var z = 0.0
                for i in 0..<min(self.count, Self.zipfMaxTerms) { z += pow(1.0 / Double(i + 1), theta) }
                zetan = z
                alpha = 1.0 / (1.0 - theta)
                eta = (1.0 - pow(2.0 / n, 1.0 - theta)) / (1.0 - zeta2 / zetan)
            } else {
                let h = d.parameter ?? 0.3
                paretoPower = log(h) / log(1.0 - h)
            }
        case .normal:
            let dev = d.parameter ?? 0
            if dev != 0 {
                stddev = Int64(min(ceil(n * dev / 100.0), Double(self.count / 2)))
            }
            // fio keeps this offset in an unsigned int: a center below 0.5 wraps.
            offset = d.center.map { UInt64(bitPattern: Int64(n * ($0 - 0.5))) } ?? 0
        }
    }

    /// A uniform value in [0, 1], as fio's `__rand() / FRAND32_MAX`.
    @inline(__always) mutating func unit() -> Double { Double(rng.next32()) / Double(UInt32.max) }

    public mutating func next() -> UInt64 {
        switch kind {
        case .random:
            return rng.next(below: count)
        case .zoned, .zonedAbs:
            return zones!.block(&rng)
        case .zipf:
            let u = unit()
            let z = u * zetan
            var value: UInt64
            if z < 1.0 {
                value = 1
            } else if z < 1.0 + pow(0.5, theta) {
                value = 2
            } else {
                let x = Double(count) * pow(eta * u - eta + 1.0, alpha)
                value = 1 &+ (x.isFinite && x >= 0 ? UInt64(min(x, Double(count))) : 0)
            }
            return ((value &- 1) &* Self.golden &+ offset) % count
        case .pareto:
            let x = Double(count - 1) * pow(unit(), paretoPower)
            let value = x.isFinite && x >= 0 ? UInt64(min(x, Double(count - 1))) : 0
            return (value &* Self.golden &+ offset) % count
        case .normal:
            // fio's gauss_next: the mean of 12 uniform draws over 0...count (bell-shaped around
            // the middle), plus one uniform deviation in [-stddev/2, stddev/2), halved until the
            // sum stays below count (fio compares unsigned, so a sum below 0 counts as too large).
            var sum: UInt64 = 0
            for _ in 0..<12 { sum &+= UInt64(rng.next32()) % (count &+ 1) }
            sum = (sum &+ 11) / 12
            if stddev > 0 {
                let r = Double(rng.next32()) / (Double(UInt32.max) + 1.0)
                var deviation = Int64(Double(stddev) * r) - stddev / 2
                while sum &+ UInt64(bitPattern: deviation) >= count { deviation /= 2 }
                sum &+= UInt64(bitPattern: deviation)
            }
            return (sum &* Self.golden &+ offset) % count
        }
    }
}

extension Xoshiro256 {
    /// 32 random bits (fio's generators are 32-bit).
    @inline(__always) mutating func next32() -> UInt32 { UInt32(truncatingIfNeeded: next() >> 32) }
}
