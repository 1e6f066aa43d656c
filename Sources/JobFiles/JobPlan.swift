import Foundation
import Workload

/// Job files (both formats) and command-line options made into what `run` needs: the jobs in
/// order, the run's one target and percentile list, and where every value came from.
public struct JobPlan: Sendable {
    /// Each job's entries: defaults, global, job, then command line (a later entry wins).
    public var jobs: [JobEntries]
    /// One resolved spec per job, in order.
    public var specs: [JobSpec]
    /// The run's target (`--target`, or the `filename`/`directory` every job gives), nil: jobs
    /// give different files (each spec's `targetPath`) or none (tierbench's default scratch file).
    public var target: OptionEntry?
    /// The run's percentile list (fio's `percentile_list`, `percentiles`), as "99,99.9".
    public var percentiles: OptionEntry?
    public var notes: [String]
    public var warnings: [String]
    /// The job (index in `jobs`) each spec comes from (a job without `rw` gives the default suite's five).
    public var specJobs: [Int] = []

    /// A native (YAML/JSON) file by its extension; anything else is a fio job file.
    public static func isNative(_ path: String) -> Bool {
        let ext = (path as NSString).pathExtension.lowercased()
        return ["yaml", "yml", "json"].contains(ext)
    }

    /// Loads `files` in order (a later file's first job gets fio's implicit stonewall), then puts
    /// `commandLine` (key/value, tierbench spelling) over every job, and resolves each job.
    public static func load(files: [String], commandLine: [(String, String)] = [],
                            environment: [String: String] = ProcessInfo.processInfo.environment,
                            ignoreUnsupported: Bool = false) throws(JobFileError) -> JobPlan {
        var parsed: [ParsedJobFile] = []
        for file in files {
            var p = isNative(file) ? try NativeJobFile.parse(path: file)
                : try FioJobFile.parse(path: file, environment: environment, ignoreUnsupported: ignoreUnsupported)
            if !parsed.isEmpty, !p.jobs.isEmpty {
                let first = p.jobs[0]
                p.jobs[0].entries.append(OptionEntry(key: "stonewall", value: "true", origin: .job(file: first.file, line: first.line),
                                                     spelled: "stonewall (implicit: first job of a later file)"))
            }
            parsed.append(p)
        }
        return try make(parsed, commandLine: commandLine)
    }

    /// The plan for parsed files (tests give parsed text).
    public static func make(_ parsed: [ParsedJobFile], commandLine: [(String, String)] = []) throws(JobFileError) -> JobPlan {
        var jobs = parsed.flatMap(\.jobs)
        let cli = commandLine.map { OptionEntry(key: $0.0, value: $0.1, origin: .commandLine, spelled: "--\($0.0)") }
        for i in jobs.indices {
            jobs[i].entries += cli.filter { $0.key != "target" && $0.key != "percentiles" }
            if let n = jobs[i].value("name") { jobs[i].name = n }
        }
        let cliTarget = cli.last { $0.key == "target" }
        let jobTargets = jobs.map { cliTarget == nil ? jobTarget($0) : nil }
        let target = cliTarget ?? commonTarget(jobTargets)
        let percentiles = try runLevel(jobs, key: "percentiles", commandLine: cli.last { $0.key == "percentiles" }) { $0.entry("percentiles") }
        var specs: [JobSpec] = []
        var specJobs: [Int] = []
        for (index, job) in jobs.enumerated() {
            let raw = TierbenchOptions.raw(job.entries)
            let files = cliTarget == nil ? try fileSet(job) : nil
            do {
                var resolved = try raw.resolve()
                for i in resolved.indices {
                    resolved[i].targetPath = jobTargets[index]?.value
                    resolved[i].fileSet = files
                }
                specs += resolved
                specJobs += Array(repeating: index, count: resolved.count)
            } catch {
                throw locate(error, in: job)
            }
        }
        return JobPlan(jobs: jobs, specs: specs, target: target, percentiles: percentiles,
                       notes: parsed.flatMap(\.notes), warnings: parsed.flatMap(\.warnings), specJobs: specJobs)
    }

    /// A mistake found when spec `spec` runs, at the entry that set its option, in that entry's words.
    public func locate(_ error: InputError, spec: Int) -> JobFileError {
        guard specJobs.indices.contains(spec) else { return JobFileError(file: "command line", error.message) }
        return Self.locate(error, in: jobs[specJobs[spec]])
    }

    /// The job's own file: `target`, or `filename` (under `directory` unless absolute); nil: none,
    /// or a file set (several files, fio's generated names: `fileSet`).
    static func jobTarget(_ job: JobEntries) -> OptionEntry? {
        if let target = job.entry("target") { return target }
        guard !hasFileSet(job), var e = job.entry("filename") else { return nil }
        e.value = FioFileSet.splitNames(e.value).first ?? e.value  // fio's `\:` is a colon in the name
        if let dir = job.value("directory"), !e.value.hasPrefix("/") { e.value = (dir as NSString).appendingPathComponent(e.value) }
        return e
    }

    /// The run's one target when every job gives the same one (nil when they differ or some give none).
    static func commonTarget(_ targets: [OptionEntry?]) -> OptionEntry? {
        guard let first = targets.first ?? nil, targets.allSatisfy({ $0?.value == first.value }) else { return nil }
        return first
    }

    /// A run-level option (one per run): the command line's, or the one every job that gives it agrees on.
    static func runLevel(_ jobs: [JobEntries], key: String, commandLine: OptionEntry?,
                         _ pick: (JobEntries) -> OptionEntry?) throws(JobFileError) -> OptionEntry? {
        if let commandLine { return commandLine }
        var chosen: (OptionEntry, JobEntries)?
        for job in jobs {
            guard let e = pick(job) else { continue }
            if let (c, other) = chosen, c.value != e.value {
                let (file, line) = fileLine(e.origin, job)
                throw JobFileError(file: file, line: line, key: "percentile_list",
                                   "job `\(job.name)` gives \(e.value) but job `\(other.name)` gives \(c.value) (\(c.origin.location ?? "")); tierbench runs all jobs of a run with one percentile list: make them agree")
            }
            if chosen == nil { chosen = (e, job) }
        }
        return chosen?.0
    }

    static func fileLine(_ origin: OptionOrigin, _ job: JobEntries) -> (String, Int) {
        switch origin {
        case .global(let f, let l), .job(let f, let l): (f, l)
        default: (job.file, job.line)
        }
    }

    /// `resolve()`'s error carries its option: point at the entry that set it and word it as that
    /// entry's front end does (`--bs 4q` from the command line, `bs=4q` in a fio file at
    /// file:line, `bs: 4q` in a tierbench file at file:line:column).
    static func locate(_ error: InputError, in job: JobEntries) -> JobFileError {
        guard let option = error.option, let e = job.entry(option) else {
            return JobFileError(file: job.file, line: job.line, "job `\(job.name)`: \(error.message(.of(file: job.file)))")
        }
        if e.origin == .commandLine { return JobFileError(file: "command line", key: nil, "job `\(job.name)`: \(error.message)") }
        let (file, line) = fileLine(e.origin, job)
        let spelling = OptionSpelling.of(file: file)
        // The value as the file writes it, where the error quotes the value the entry gave.
        // (A run-time message may quote the size formatted, `1000B` for the entry's 1000.)
        let value = error.value.map { v in
            v == e.value || (try? Units.parseSize(v, option: e.key)).map(String.init) == e.value ? e.written ?? e.value : v
        }
        let subject = spelling.subject(e.spelled, value)
        let inJob = if case .global = e.origin { " (job `\(job.name)`)" } else { "" }
        return JobFileError(file: file, line: line, column: JobPlan.isNative(file) ? e.column : nil,
                            InputError.printable(subject + error.problem(spelling) + inJob))
    }
}
