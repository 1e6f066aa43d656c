import Foundation
import Workload

/// Where an option's value came from, for `tierbench explain` and for errors.
public enum OptionOrigin: Sendable, Equatable, CustomStringConvertible {
    /// tierbench's default (nothing set it).
    case defaultValue
    /// fio's default, applied to jobs from fio files where it differs from tierbench's
    /// (`direct=0`, `ioengine=psync`, `iodepth_batch_submit=1`).
    case fioDefault
    /// A `[global]` section (fio) or the `global` block (native), at the option's line.
    case global(file: String, line: Int)
    /// A job's section or entry, at the option's line.
    case job(file: String, line: Int)
    /// A `run`/`explain` option on the command line.
    case commandLine

    public var description: String {
        switch self {
        case .defaultValue: "default"
        case .fioDefault: "fio default"
        case .global(let f, let l): "global section (\(f):\(l))"
        case .job(let f, let l): "job section (\(f):\(l))"
        case .commandLine: "command line"
        }
    }

    /// `file:line` for a file origin.
    public var location: String? {
        switch self {
        case .global(let f, let l), .job(let f, let l): "\(f):\(l)"
        default: nil
        }
    }
}

/// One option of one job, in tierbench's spelling (the long option names of `run`, e.g.
/// `iodepth-batch`), with its value normalised (sizes in bytes or 1024-based units, times with an
/// explicit unit) and where it came from. Both job-file formats produce these.
public struct OptionEntry: Sendable, Equatable {
    /// tierbench's option name (`bs`, `offset-increment`, `target`, `percentiles`, ...).
    public var key: String
    public var value: String
    public var origin: OptionOrigin
    /// The option as written in the file (`blocksize=4k`), for messages; the key for the command line.
    public var spelled: String
    public var column: Int
    /// The value as written in the file (`4k` for `value` 4096), for messages; nil: as `value`.
    public var written: String?

    public init(key: String, value: String, origin: OptionOrigin, spelled: String, column: Int = 1, written: String? = nil) {
        self.key = key; self.value = value; self.origin = origin; self.spelled = spelled; self.column = column
        self.written = written == value ? nil : written
    }
}

/// One job from a job file: its name, where it was declared, and its options in order (global
/// ones first; a later entry for the same key wins).
public struct JobEntries: Sendable, Equatable {
    public var name: String
    public var file: String
    public var line: Int
    public var entries: [OptionEntry]

    public init(name: String, file: String, line: Int, entries: [OptionEntry]) {
        self.name = name; self.file = file; self.line = line; self.entries = entries
    }

    /// The winning entry for `key`.
    public func entry(_ key: String) -> OptionEntry? { entries.last { $0.key == key } }
    public func value(_ key: String) -> String? { entry(key)?.value }

    /// One entry per key (the winning one), in the order of their first appearance.
    public var effective: [OptionEntry] {
        var seen = Set<String>()
        var keys: [String] = []
        for e in entries where seen.insert(e.key).inserted { keys.append(e.key) }
        return keys.map { entry($0)! }
    }
}

/// A mistake in a job file: where (file, line, column, option) and what. One line.
public struct JobFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    /// The option or key concerned, when there is one.
    public var key: String?
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, key: String? = nil, _ message: String) {
        self.file = file; self.line = line; self.column = column; self.key = key; self.message = message
    }

    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        if let column { s += ":\(column)" }
        s += ": "
        if let key, !key.isEmpty { s += "option `\(key)`: " }
        return s + message
    }
}

/// Levenshtein distance, for "did you mean".
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.utf8), b = Array(b.utf8)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}

/// The closest of `candidates` to `word`, if close enough to be a typo. Ties go to a `preferred`
/// name (the options tierbench supports), then alphabetical.
func closest(_ word: String, in candidates: some Sequence<String>, preferred: Set<String> = []) -> String? {
    let limit = Swift.max(2, word.count / 3)
    var best: (Int, Int, String)?
    for c in candidates {
        let d = editDistance(word.lowercased(), c)
        let rank = (d, preferred.contains(c) ? 0 : 1, c)
        if d <= limit, best.map({ rank < $0 }) ?? true { best = rank }
    }
    return best?.2
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    var blankTrimmed: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}

extension OptionSpelling {
    /// A fio job file's words: `bs=4q`, options by fio's names (`iodepth_batch`, `percentile_list`).
    public static let fio = OptionSpelling(name: fioName, subject: { key, value in value.map { "\(fioName(key))=\($0)" } ?? fioName(key) })
    /// A tierbench job file's words: `bs: 4q`, options by their keys.
    public static let native = OptionSpelling(name: { $0 }, subject: { key, value in value.map { "\(key): \($0)" } ?? key })

    /// fio's name for a tierbench option key.
    @Sendable static func fioName(_ key: String) -> String {
        switch key {
        case "target": "filename"
        case "percentiles": "percentile_list"
        default: key.replacingOccurrences(of: "-", with: "_")
        }
    }

    /// The words of the job file at `path` (by its extension, as `JobPlan.isNative`).
    public static func of(file path: String) -> OptionSpelling { JobPlan.isNative(path) ? .native : .fio }
}
