import Foundation
import Text
import Workload

/// What a job file (either format) gives: its jobs in order, notes to print once (an engine run
/// on the nearest tierbench engine), and warnings for options refused under `--ignore-unsupported`.
public struct ParsedJobFile: Sendable {
    public var jobs: [JobEntries] = []
    public var notes: [String] = []
    public var warnings: [String] = []
}

/// fio's INI job files: `[sections]`, global scoping, comments, bare flags, `include`, `${VAR}`,
/// fio's keywords and arithmetic, units and `kb_base`, aliases. Each option maps through
/// `FioOptionTable` to tierbench's options; the rest is refused by name.
public enum FioJobFile {
    struct Line {
        var file: String
        var number: Int
        var text: String
        /// Before `${VAR}` expansion, for messages.
        var raw: String
    }

    struct Section {
        var name: String
        var global: Bool
        var header: Line
        var lines: [Line] = []
    }

    /// Parses one fio job file. `environment` supplies `${VAR}`; `ignoreUnsupported` turns a valid
    /// fio option tierbench does not support into a warning instead of an error.
    public static func parse(path: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                             ignoreUnsupported: Bool = false) throws(JobFileError) -> ParsedJobFile {
        var lines: [Line] = []
        try read(path, environment: environment, into: &lines, including: [])
        return try parse(lines: lines, file: path, ignoreUnsupported: ignoreUnsupported)
    }

    /// Parses job-file text (tests); `file` names it in errors and origins.
    public static func parse(text: String, file: String, environment: [String: String] = [:],
                             ignoreUnsupported: Bool = false) throws(JobFileError) -> ParsedJobFile {
        var lines: [Line] = []
        try split(text, file: file, environment: environment, into: &lines, including: [])
        return try parse(lines: lines, file: file, ignoreUnsupported: ignoreUnsupported)
    }

    static func read(_ path: String, environment: [String: String], into lines: inout [Line], including: [String]) throws(JobFileError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDir: ObjCBool = false
            let why = FileManager.default.fileExists(atPath: path, isDirectory: &isDir) ? (isDir.boolValue ? "is a directory" : "cannot be read") : "does not exist"
            throw JobFileError(file: path, "the job file \(why)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw JobFileError(file: path, "the job file is not UTF-8 text") }
        try split(text, file: path, environment: environment, into: &lines, including: including + [path])
    }

    static func split(_ text: String, file: String, environment: [String: String], into lines: inout [Line], including: [String]) throws(JobFileError) {
        // "\r\n" is one Character in Swift: split on it too, or a Windows file is one long line.
        let rawLines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        for (i, raw) in rawLines.enumerated() {
            var s = FioValues.expandEnvironment(String(raw.hasSuffix("\r") ? raw.dropLast() : raw), environment)
            s = String(s.trimmingBlanks)
            if s.isEmpty || s.hasPrefix(";") || s.hasPrefix("#") { continue }
            if let cut = s.firstIndex(where: { $0 == ";" || $0 == "#" }) { s = String(s[..<cut].trimmingBlanks) }
            if s.hasPrefix("include ") || s.hasPrefix("include\t") {
                let name = String(s.dropFirst(8).trimmingBlanks)
                guard !name.isEmpty else { throw JobFileError(file: file, line: i + 1, key: "include", "names no file; write include FILE") }
                let dir = (file as NSString).deletingLastPathComponent
                let path = name.hasPrefix("/") || dir.isEmpty ? name : (dir as NSString).appendingPathComponent(name)
                if including.contains(path) || including.count > 16 {
                    throw JobFileError(file: file, line: i + 1, key: "include", "\(name) includes itself (through \(including.joined(separator: " -> ")))")
                }
                do { try read(path, environment: environment, into: &lines, including: including) } catch {
                    // A mistake inside the included file is reported there; a file that cannot be read, here.
                    if error.line != nil { throw error }
                    throw JobFileError(file: file, line: i + 1, key: "include", "\(path): \(error.message)")
                }
                continue
            }
            if s.hasPrefix("["), including.count > 1 {
                throw JobFileError(file: file, line: i + 1, "\(s): an included file may not contain sections (fio); keep its options only")
            }
            lines.append(Line(file: file, number: i + 1, text: s, raw: String(raw)))
        }
    }

    static func parse(lines: [Line], file: String, ignoreUnsupported: Bool) throws(JobFileError) -> ParsedJobFile {
        var sections: [Section] = []
        for line in lines {
            if line.text.hasPrefix("[") {
                guard line.text.hasSuffix("]"), line.text.count > 2 else {
                    throw JobFileError(file: line.file, line: line.number, "\(line.text) is not a section header; write [name]")
                }
                let name = String(line.text.dropFirst().dropLast().trimmingBlanks)
                sections.append(Section(name: name, global: name.hasPrefix("global"), header: line))
            } else {
                guard !sections.isEmpty else {
                    throw JobFileError(file: line.file, line: line.number, column: 1, key: optionName(line.text),
                                       "an option outside any section; put it under [global] or a [job]")
                }
                sections[sections.count - 1].lines.append(line)
            }
        }
        var result = ParsedJobFile()
        var globals: [OptionEntry] = []
        var globalKbBase = 1024
        var globalEngine: String?
        for section in sections {
            // kb_base and ioengine apply to the whole section, wherever they are written in it.
            var kbBase = globalKbBase
            var engine = globalEngine
            for line in section.lines {
                let (name, value) = split(line.text)
                if name == "kb_base", let v = value, let n = Int(v), n == 1000 || n == 1024 { kbBase = n }
                if name == "ioengine", let v = value { engine = FioOptionTable.engineName(v) }
            }
            var entries: [OptionEntry] = []
            for line in section.lines {
                let origin: OptionOrigin = section.global ? .global(file: line.file, line: line.number) : .job(file: line.file, line: line.number)
                let (rawName, rawValue) = split(line.text)
                let name = FioOptionTable.aliases[rawName] ?? rawName
                func fail(_ message: String) -> JobFileError {
                    JobFileError(file: line.file, line: line.number, column: 1, key: rawName, message)
                }
                guard FioOptionNames.all.contains(rawName) || FioOptionNames.all.contains(name) else {
                    let suggestion = closest(rawName, in: FioOptionNames.all.union(TierbenchOptions.all.map { $0.key.replacingOccurrences(of: "-", with: "_") }),
                                             preferred: FioOptionTable.handled)
                    throw fail("unknown option" + (suggestion.map { "; did you mean `\($0)`?" } ?? " (neither fio nor tierbench has it)"))
                }
                if let engines = FioOptionTable.engineOptions[name], !engines.contains(engine ?? "psync") {
                    let after = engines.map { "ioengine=\($0)" }.joined(separator: " or ")
                    throw fail("is an option of the \(engines.joined(separator: " and ")) engine\(engines.count > 1 ? "s" : ""); fio accepts it only after \(after)\(engine.map { ", not ioengine=\($0)" } ?? " (the default engine is psync)")")
                }
                if let v = rawValue, v.isEmpty {
                    throw fail("\(rawName)= has no value; give one" + (line.raw.contains("${") ? " (an undefined ${VAR} is empty)" : ""))
                }
                var value = rawValue
                var isExpression = false
                /// A value's mistake in fio's words, at file:line: `bs=4q: unknown unit ...`.
                func invalid(_ f: FioValues.Failure) -> JobFileError {
                    JobFileError(file: line.file, line: line.number, f.message(option: rawName, value: rawValue, substituted: value))
                }
                if let v = rawValue {
                    do {
                        let note: String?
                        (value, isExpression, note) = try FioValues.substitute(v, bare: FioOptionTable.numeric.contains(name))
                        if let note { result.notes.append("\(line.file):\(line.number): \(rawName)=\(note)") }
                    } catch { throw invalid(error) }
                }
                switch FioOptionTable.map(name, value, .init(kbBase: kbBase, isExpression: isExpression)) {
                case .set(let pairs, let note):
                    if let note, !result.notes.contains(note) { result.notes.append(note) }
                    for (key, v) in pairs {
                        entries.append(OptionEntry(key: key, value: v, origin: origin, spelled: rawName, column: 1, written: rawValue))
                    }
                case .unsupported(let why):
                    let message = "\(line.file):\(line.number): option `\(rawName)`: \(why)"
                    guard ignoreUnsupported else { throw fail(why + " (--ignore-unsupported skips it with a warning)") }
                    result.warnings.append(message + "; ignored (--ignore-unsupported)")
                case .invalid(let failure):
                    throw invalid(failure)
                }
            }
            if section.global {
                globals += entries
                globalKbBase = kbBase
                globalEngine = engine
            } else {
                let header = section.header
                var all: [OptionEntry] = [
                    OptionEntry(key: "rw", value: "read", origin: .fioDefault, spelled: "rw"),
                    OptionEntry(key: "direct", value: "0", origin: .fioDefault, spelled: "direct"),
                    // fio's default engine is psync (synchronous: queue depth 1, as tierbench's
                    // psync runs), submitting each I/O on its own (iodepth_batch_submit=1).
                    OptionEntry(key: "ioengine", value: "psync", origin: .fioDefault, spelled: "ioengine"),
                    OptionEntry(key: "iodepth-batch", value: "1", origin: .fioDefault, spelled: "iodepth-batch"),
                    OptionEntry(key: "name", value: section.name, origin: .job(file: header.file, line: header.number), spelled: "name"),
                ]
                all += globals.filter { $0.key != "name" } + entries
                ignoreSequentialDistribution(&all, job: section.name, notes: &result.notes)
                noteLogOptionsWithoutLog(all, job: section.name, notes: &result.notes)
                result.jobs.append(JobEntries(name: all.last { $0.key == "name" }!.value, file: header.file, line: header.number, entries: all))
            }
        }
        if result.jobs.isEmpty { throw JobFileError(file: file, "no job section; add one, e.g. [job1] with rw=read") }
        return result
    }

    /// fio accepts `random_distribution` and `percentage_random` on a sequential job and ignores
    /// them; so does tierbench, saying so.
    static func ignoreSequentialDistribution(_ entries: inout [OptionEntry], job: String, notes: inout [String]) {
        guard let rw = entries.last(where: { $0.key == "rw" }).flatMap({ try? ReadWrite.parse(String($0.value.prefix { $0 != ":" })).0 }),
              !rw.isRandom else { return }
        for (key, name) in [("random-distribution", "random_distribution"), ("percentage-random", "percentage_random")] {
            guard let d = entries.last(where: { $0.key == key }) else { continue }
            if key == "random-distribution", (try? RandomDistribution.parse(d.value))?.isUniform == true { continue }
            entries.removeAll { $0.key == key }
            let at = d.origin.location.map { "\($0): " } ?? ""
            notes.append("\(at)job `\(job)`: \(name)=\(d.written ?? d.value) shapes random offsets and rw=\(rw.rawValue) is sequential; ignored, as fio does")
        }
    }

    /// fio accepts `log_avg_msec`, `log_offset` and `per_job_logs` on a job that writes no log
    /// (no `write_bw_log`, `write_iops_log`, `write_lat_log`) and they do nothing; so does
    /// tierbench, saying so.
    static func noteLogOptionsWithoutLog(_ entries: [OptionEntry], job: String, notes: inout [String]) {
        guard !entries.contains(where: { ["write-bw-log", "write-iops-log", "write-lat-log"].contains($0.key) }) else { return }
        for key in ["log-avg-msec", "log-offset", "per-job-logs"] {
            guard let d = entries.last(where: { $0.key == key }) else { continue }
            let at = d.origin.location.map { "\($0): " } ?? ""
            notes.append("\(at)job `\(job)`: \(d.spelled)=\(d.written ?? d.value) does nothing without write_bw_log, write_iops_log or write_lat_log (as in fio); ignored")
        }
    }

    /// `key = value` (spaces around `=` allowed) or a bare `key`.
    static func split(_ text: String) -> (String, String?) {
        guard let eq = text.firstIndex(of: "=") else { return (text, nil) }
        return (String(text[..<eq].trimmingBlanks), String(text[text.index(after: eq)...].trimmingBlanks))
    }

    static func optionName(_ text: String) -> String { split(text).0 }
}
