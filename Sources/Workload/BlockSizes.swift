/// One weighted block size of a `bssplit`.
public struct BlockSplitEntry: Codable, Sendable, Equatable {
    public var bytes: UInt64
    /// Share of this direction's I/Os, whole percent (the entries of a split add up to 100).
    public var percent: Int
    public init(bytes: UInt64, percent: Int) { self.bytes = bytes; self.percent = percent }
}

/// The block sizes of one direction: one size (`minBytes == maxBytes`), a range (fio's `bsrange`:
/// multiples of `minBytes` up to `maxBytes`) or a weighted split (fio's `bssplit`).
public struct BlockSizeChoice: Codable, Sendable, Equatable {
    public var minBytes: UInt64
    public var maxBytes: UInt64
    /// With `bssplit`: the entries in ascending size (as fio sorts them), percentages adding up to 100.
    public var split: [BlockSplitEntry]?

    public init(fixed bytes: UInt64) { minBytes = bytes; maxBytes = bytes; split = nil }
    public init(minBytes: UInt64, maxBytes: UInt64) { self.minBytes = minBytes; self.maxBytes = maxBytes; split = nil }
    public init(split: [BlockSplitEntry]) {
        let sorted = split.sorted { $0.bytes < $1.bytes }
        self.split = sorted
        minBytes = sorted.first?.bytes ?? 0
        maxBytes = sorted.last?.bytes ?? 0
    }

    public var isFixed: Bool { split == nil && minBytes == maxBytes }

    /// As fio would write it: `4k`, `4k-16k`, `4k/10:64k/90`.
    public var fioText: String {
        if let split { return split.map { "\(Units.fioSize($0.bytes))/\($0.percent)" }.joined(separator: ":") }
        return minBytes == maxBytes ? Units.fioSize(minBytes) : "\(Units.fioSize(minBytes))-\(Units.fioSize(maxBytes))"
    }
}

/// Block sizes per direction (fio's `bs`, `bsrange` and `bssplit`, each a "read,write[,trim]" list).
public struct BlockSizes: Codable, Sendable, Equatable {
    public var read: BlockSizeChoice
    public var write: BlockSizeChoice
    public init(read: BlockSizeChoice, write: BlockSizeChoice) { self.read = read; self.write = write }
    public subscript(_ direction: Direction) -> BlockSizeChoice { direction == .read ? read : write }
}

/// Draws the length of each I/O from a `BlockSizes`, as fio's `get_next_buflen`: a range gives
/// `min + max * u` rounded down to a multiple of `min` (capped at `max`); a split picks the entry
/// whose cumulative percentage first covers the draw. A length that would cross `limit` is drawn
/// again (fio's `io_u_fits`), falling back to the smallest size. Allocation-free per call.
public struct BlockLengthPicker: Sendable {
    let sizes: BlockSizes
    var rng: Xoshiro256

    public init(_ sizes: BlockSizes, seed: UInt64) {
        self.sizes = sizes
        rng = Xoshiro256(seed: seed ^ 0xB5B5_1DE5_0F0F_7A7A)
    }

    /// The length of the next I/O in `direction`, at most `room` bytes when any size fits there.
    public mutating func next(_ direction: Direction, room: UInt64) -> UInt64 {
        let choice = direction == .read ? sizes.read : sizes.write
        if choice.minBytes == choice.maxBytes && choice.split == nil { return choice.minBytes }
        if room < choice.minBytes { return choice.minBytes }
        for _ in 0..<16 {
            let length = draw(choice)
            if length <= room { return length }
        }
        return choice.minBytes
    }

    mutating func draw(_ choice: BlockSizeChoice) -> UInt64 {
        let minBytes = choice.minBytes
        var length: UInt64
        if let split = choice.split {
            let r = rng.next(below: 100)  // 0..<100
            var cumulative = 0
            length = split[split.count - 1].bytes
            for entry in split where entry.percent > 0 {
                cumulative += entry.percent
                if r < UInt64(cumulative) { length = entry.bytes; break }
            }
            return length
        }
        // fio: buflen = minbs + maxbs * u, u in [0, 1); aligned down to minbs; at most maxbs.
        length = minBytes &+ choice.maxBytes.multipliedFullWidth(by: rng.next()).high
        length -= length % minBytes
        return min(length, choice.maxBytes)
    }
}

extension BlockSizes {
    /// Parses fio's `bs`, `bsrange` and `bssplit` values (each a per-direction comma list;
    /// `option` is the key errors name). A direction takes its `bssplit`, else its `bsrange`,
    /// else its `bs`, else 4 KiB (fio's precedence). A third (trim) value is accepted and ignored:
    /// tierbench issues no trims.
    public static func parse(bs: String?, bsrange: String?, bssplit: String?,
                             bsOption: String = "bs", bsrangeOption: String = "bsrange",
                             bssplitOption: String = "bssplit") throws(InputError) -> BlockSizes {
        var choices = [BlockSizeChoice(fixed: 4096), BlockSizeChoice(fixed: 4096)]
        if let bs {
            let parts = try perDirection(bs, option: bsOption)
            for d in 0..<2 { if let p = parts[d] { choices[d] = BlockSizeChoice(fixed: try size(p, option: bsOption, whole: bs)) } }
        }
        if let bsrange {
            let parts = try perDirection(bsrange, option: bsrangeOption)
            for d in 0..<2 { if let p = parts[d] { choices[d] = try range(p, option: bsrangeOption, whole: bsrange) } }
        }
        if let bssplit {
            let parts = try perDirection(bssplit, option: bssplitOption)
            for d in 0..<2 { if let p = parts[d] { choices[d] = try split(p, option: bssplitOption, whole: bssplit) } }
        }
        return BlockSizes(read: choices[0], write: choices[1])
    }

    /// fio's per-direction list: "a" = a for all; "a,b" = read a, write (and trim) b; an empty
    /// entry keeps the default; a value not followed by a comma applies to the directions after it.
    /// Returns the read and write entries (nil: default).
    public static func perDirection(_ text: String, option: String) throws(InputError) -> [String?] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { String(String($0).trimmingCharacters()) }
        guard parts.count <= 3 else {
            throw InputError(option: option, value: text, " has \(parts.count) comma-separated values; give at most read,write,trim")
        }
        if parts.allSatisfy(\.isEmpty) { throw InputError(option: option, value: nil, " is empty; give a value, or read,write values") }
        var result: [String?] = []
        for d in 0..<2 {
            let p = d < parts.count ? parts[d] : parts[parts.count - 1]
            result.append(p.isEmpty ? nil : p)
        }
        return result
    }

    static func size(_ text: String, option: String, whole: String) throws(InputError) -> UInt64 {
        let v = try Units.parseSize(text, option: option)
        if v == 0 { throw InputError(option: option, value: whole, ": 0 is not a block size; give e.g. 4k") }
        if v > 1 << 30 { throw InputError(option: option, value: whole, ": \(text) is above the 1 GiB limit; give e.g. 1m") }
        return v
    }

    static func range(_ text: String, option: String, whole: String) throws(InputError) -> BlockSizeChoice {
        // fio takes MIN-MAX or MIN:MAX.
        let ends = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "-" || $0 == ":" }).map(String.init)
        guard ends.count <= 2, !ends.contains(where: \.isEmpty) else {
            throw InputError(option: option, value: whole, ": '\(text)' is not a range; give MIN-MAX, e.g. 4k-64k")
        }
        let lo = try size(ends[0], option: option, whole: whole)
        let hi = ends.count == 2 ? try size(ends[1], option: option, whole: whole) : lo
        guard lo <= hi else { throw InputError(option: option, value: whole, ": the minimum \(ends[0]) is above the maximum \(ends[1]); give MIN-MAX, e.g. 4k-64k") }
        return BlockSizeChoice(minBytes: lo, maxBytes: hi)
    }

    static func split(_ text: String, option: String, whole: String) throws(InputError) -> BlockSizeChoice {
        var entries: [(bytes: UInt64, percent: Int?)] = []
        for item in text.split(separator: ":", omittingEmptySubsequences: false).map(String.init) {
            let pair = item.split(separator: "/", omittingEmptySubsequences: false).map { String(String($0).trimmingCharacters()) }
            guard pair.count <= 2, !pair[0].isEmpty else {
                throw InputError(option: option, value: whole, ": '\(item)' is not SIZE/PERCENT; give e.g. 4k/10:64k/90")
            }
            let bytes = try size(pair[0], option: option, whole: whole)
            var percent: Int? = nil
            if pair.count == 2 && !pair[1].isEmpty {
                guard let p = Int(pair[1]), (0...100).contains(p) else {
                    throw InputError(option: option, value: whole, ": '\(pair[1])' is not a whole percentage from 0 to 100; give e.g. 4k/10:64k/90")
                }
                percent = p
            }
            entries.append((bytes, percent))
        }
        guard entries.count <= 64 else { throw InputError(option: option, value: whole, " has \(entries.count) sizes; fio's limit is 64 per direction") }
        let given = entries.compactMap(\.percent).reduce(0, +)
        let blanks = entries.filter { $0.percent == nil }.count
        if given > 100 { throw InputError(option: option, value: whole, ": the percentages add up to \(given); they must add up to 100") }
        if blanks == 0 && given != 100 {
            throw InputError(option: option, value: whole, ": the percentages add up to \(given); make them add up to 100, or leave one blank (e.g. 64k/) to take the rest")
        }
        // fio fills blank percentages evenly with the rest; the last blank also takes what the
        // division leaves, so the split adds up to 100.
        var rest = 100 - given
        var filled: [BlockSplitEntry] = []
        var blanksLeft = blanks
        for e in entries {
            if let p = e.percent { filled.append(BlockSplitEntry(bytes: e.bytes, percent: p)); continue }
            let share = blanksLeft == 1 ? rest : (100 - given) / blanks
            rest -= share; blanksLeft -= 1
            filled.append(BlockSplitEntry(bytes: e.bytes, percent: share))
        }
        // The same size twice: one entry with the summed share.
        var merged: [BlockSplitEntry] = []
        for e in filled {
            if let i = merged.firstIndex(where: { $0.bytes == e.bytes }) { merged[i].percent += e.percent } else { merged.append(e) }
        }
        let used = merged.filter { $0.percent > 0 }
        if used.count == 1 { return BlockSizeChoice(fixed: used[0].bytes) }
        return BlockSizeChoice(split: used)
    }
}
