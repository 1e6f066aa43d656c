import ArgumentParser
import JobFiles
import Stats
import Workload

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print every job's effective options from job files, and where each came from (default, global section, job section, command line).")

    @Argument(help: "Job files, as for run: fio's, or tierbench's YAML/JSON (.yaml, .yml, .json).")
    var jobFiles: [String]
    @Option(help: "The run's target, over the files' filename/directory.")
    var target: String?
    @OptionGroup var job: JobFlags
    @Option(parsing: .unconditional, help: "Latency percentiles, over the files' percentile_list.")
    var percentiles: String?
    @Flag(name: .customLong("ignore-unsupported"), help: "A valid fio option tierbench does not support is a warning, not an error.")
    var ignoreUnsupported = false
    @Option(name: .customLong("output-format"), help: "text (default) or json.")
    var outputFormat: ExplainFormat = .text

    func run() throws {
        guard let loaded = try loadJobFiles(jobFiles, job: job, target: target, percentiles: percentiles, ignoreUnsupported: ignoreUnsupported) else {
            throw ValidationError("explain needs a job file; give e.g. tierbench explain jobs.fio")
        }
        let text: String
        if outputFormat == .json {
            do { text = try loaded.plan.explainJSON() } catch {
                printError("tierbench: error: cannot encode the explanation: \(error)")
                throw ExitCode(1)
            }
        } else {
            text = loaded.plan.explainText()
        }
        if !writeAll(1, text) { throw ExitCode(1) }
    }
}

/// The jobs from `files` with the command line over them, the notes and warnings printed; nil when
/// no file is given. A mistake in a file is one line on stderr and exit status 2.
func loadJobFiles(_ files: [String], job: JobFlags, target: String?, percentiles: String?,
                  ignoreUnsupported: Bool) throws -> (plan: JobPlan, percentiles: PercentileList)? {
    guard !files.isEmpty else {
        if ignoreUnsupported { throw ValidationError("--ignore-unsupported applies to job files; give one, or drop it") }
        return nil
    }
    var commandLine = job.commandLineEntries
    if let target { commandLine.append(("target", target)) }
    if let percentiles { commandLine.append(("percentiles", percentiles)) }
    let plan: JobPlan
    do {
        plan = try JobPlan.load(files: files, commandLine: commandLine, ignoreUnsupported: ignoreUnsupported)
    } catch {
        printError("tierbench: error: \(error.description)")
        throw ExitCode(2)
    }
    for w in plan.warnings { printError("tierbench: warning: \(w)") }
    for n in plan.notes { printError("tierbench: note: \(n)") }
    var list = PercentileList.fioDefault
    if let p = plan.percentiles {
        do { list = try PercentileList(parsing: p.value, option: p.origin == .commandLine ? "--percentiles" : "percentile_list") } catch {
            let location = p.origin.location.map { "\($0): " } ?? ""
            printError("tierbench: error: \(location)\(error.message)")
            throw ExitCode(2)
        }
    }
    return (plan, list)
}

extension JobFlags {
    /// Every job option of `run` and `explain` by its long name, which is its key in
    /// `TierbenchOptions` (the native format's key table): the one list both the command line's
    /// own job and the override of job files are built from. `CommandLineOverrideTests` checks
    /// that every option `--help` lists is here (a new flag left out fails there).
    static var valueOptions: [(String, KeyPath<JobFlags, String?>)] {
        [("rw", \.rw), ("rwmixread", \.rwmixread), ("bs", \.bs), ("bsrange", \.bsrange), ("bssplit", \.bssplit),
         ("random-distribution", \.randomDistribution), ("rate", \.rate), ("rate-iops", \.rateIops),
         ("thinktime", \.thinktime), ("thinktime-blocks", \.thinktimeBlocks), ("loops", \.loops),
         ("iodepth", \.iodepth), ("iodepth-batch", \.iodepthBatch), ("numjobs", \.numjobs), ("size", \.size),
         ("offset", \.offset), ("offset-increment", \.offsetIncrement), ("runtime", \.runtime),
         ("ramp-time", \.rampTime), ("direct", \.direct), ("randseed", \.randseed), ("ioengine", \.ioengine),
         ("name", \.name), ("verify", \.verify), ("verify-backlog", \.verifyBacklog)]
    }
    static var flagOptions: [(String, KeyPath<JobFlags, Bool>)] {
        [("time-based", \.timeBased), ("norandommap", \.norandommap), ("continue-on-error", \.continueOnError)]
    }

    /// The options given on the command line, by their long names, for job files to take over.
    var commandLineEntries: [(String, String)] {
        var out: [(String, String)] = []
        for (key, path) in Self.valueOptions { if let v = self[keyPath: path] { out.append((key, v)) } }
        for (key, path) in Self.flagOptions where self[keyPath: path] { out.append((key, "true")) }
        return out
    }
}
