import Foundation
import Workload
import Yams

/// tierbench's own job files, YAML or JSON: a `global` mapping of defaults and a `jobs` list of
/// mappings, every key one of `run`'s long option names (`iodepth-batch`; `iodepth_batch` is
/// accepted too), plus `target` and `percentiles`. `stonewall: true` on a job starts a new group:
/// it runs after every job before it has ended.
public enum NativeJobFile {
    public static func parse(path: String) throws(JobFileError) -> ParsedJobFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw JobFileError(file: path, FileManager.default.fileExists(atPath: path) ? "the job file cannot be read (or is a directory)" : "the job file does not exist")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw JobFileError(file: path, "the job file is not UTF-8 text") }
        return try parse(text: text, file: path)
    }

    public static func parse(text: String, file: String) throws(JobFileError) -> ParsedJobFile {
        let root: Node
        do {
            guard let n = try Yams.compose(yaml: text) else { throw JobFileError(file: file, "the file is empty; give a `jobs` list") }
            root = n
        } catch let e as JobFileError {
            throw e
        } catch let e as YamlError {
            throw yamlError(e, file: file)
        } catch {
            throw JobFileError(file: file, "malformed YAML or JSON: \(error)")
        }
        func at(_ node: Node, key: String? = nil, _ message: String) -> JobFileError {
            JobFileError(file: file, line: node.mark?.line, column: node.mark?.column, key: key, message)
        }
        guard case .mapping(let top) = root else { throw at(root, "expected a mapping with `global` and `jobs`") }
        var globalEntries: [OptionEntry] = []
        var jobsNode: Node?
        for (k, v) in top {
            switch k.string {
            case "global":
                globalEntries = try entries(v, file: file, global: true)
            case "jobs":
                jobsNode = v
            default:
                let name = k.string ?? "?"
                throw at(k, key: name, "unknown top-level key" + (closest(name, in: ["global", "jobs"]).map { "; did you mean `\($0)`?" } ?? "; use `global` and `jobs`"))
            }
        }
        guard let jobsNode else { throw at(root, "no `jobs` list; add `jobs:` with one mapping per job") }
        guard case .sequence(let list) = jobsNode, !list.isEmpty else { throw at(jobsNode, key: "jobs", "expected a non-empty list of jobs") }
        var result = ParsedJobFile()
        for (i, jobNode) in list.enumerated() {
            let line = jobNode.mark?.line ?? 0
            var all = [OptionEntry(key: "rw", value: "read", origin: .defaultValue, spelled: "rw")]
            all += globalEntries + (try entries(jobNode, file: file, global: false))
            let name = all.last { $0.key == "name" }?.value ?? all.last { $0.key == "rw" }?.value ?? "job\(i + 1)"  // as resolve() names it
            result.jobs.append(JobEntries(name: name, file: file, line: line, entries: all))
        }
        return result
    }

    static func entries(_ node: Node, file: String, global: Bool) throws(JobFileError) -> [OptionEntry] {
        guard case .mapping(let map) = node else {
            throw JobFileError(file: file, line: node.mark?.line, column: node.mark?.column, key: global ? "global" : nil,
                               "expected a mapping of option: value")
        }
        var out: [OptionEntry] = []
        for (k, v) in map {
            let typed = k.string ?? ""
            let key = typed.replacingOccurrences(of: "_", with: "-")
            let line = k.mark?.line ?? 0, column = k.mark?.column ?? 0
            func fail(_ message: String) -> JobFileError { JobFileError(file: file, line: line, column: column, key: typed, message) }
            guard let option = TierbenchOptions.byKey[key] else {
                if let s = closest(key, in: TierbenchOptions.all.map(\.key)) { throw fail("unknown option; did you mean `\(s)`?") }
                if FioOptionNames.all.contains(typed) { throw fail("is a fio option; a tierbench job file takes `run`'s option names (see docs/job-files.md), or run a .fio file") }
                throw fail("unknown option; the options are those of `tierbench run` (see docs/job-files.md)")
            }
            let value: String
            switch v {
            case .scalar(let s): value = s.string
            case .sequence(let seq):
                // A per-direction list: [4k, 64k] is "4k,64k".
                var parts: [String] = []
                for item in seq {
                    guard case .scalar(let s) = item else { throw fail("expected a value or a list of values") }
                    parts.append(s.string)
                }
                value = parts.joined(separator: ",")
            default: throw fail("expected a value, found a mapping")
            }
            let origin: OptionOrigin = global ? .global(file: file, line: line) : .job(file: file, line: line)
            if option.kind == .flag {
                guard let f = BooleanValue.parse(value) else {
                    throw JobFileError(file: file, line: line, column: column, "\(OptionSpelling.native.subject(typed, value)) is not true or false")
                }
                out.append(OptionEntry(key: key, value: f ? "true" : "false", origin: origin, spelled: typed, column: column, written: value))
            } else {
                if value.isEmpty { throw fail("is empty; give a value") }
                out.append(OptionEntry(key: key, value: value, origin: origin, spelled: typed, column: column))
            }
        }
        return out
    }

    static func yamlError(_ e: YamlError, file: String) -> JobFileError {
        switch e {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let what = [context.map { "\($0.text)" }, problem].compactMap { $0 }.filter { !$0.isEmpty }
            return JobFileError(file: file, line: mark.line, column: mark.column, "malformed YAML or JSON: \(what.joined(separator: ", "))")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return JobFileError(file: file, line: context.mark.line, column: context.mark.column, key: duplicates.first,
                                "given twice in one mapping; give each option once")
        default:
            return JobFileError(file: file, "malformed YAML or JSON: \(e)")
        }
    }
}
