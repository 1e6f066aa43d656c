import ArgumentParser
import Glibc
import Engine
import Harness
import JobFiles
import Report
import Stats
import Workload

struct Tierbench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tierbench",
        abstract: "Storage benchmark on io_uring and O_DIRECT that knows what cloud disk tiers promise.",
        version: Runner.version,
        subcommands: [Run.self, Verify.self, Explain.self, Expect.self, CheckTier.self, Zones.self, HistoryCommand.self, GateCommand.self, ReportCommand.self],
        defaultSubcommand: Run.self)
}

/// Writes one line to stderr. Control characters in it (from a path or name the user typed) are
/// shown escaped, so the line stays one line and cannot drive the terminal.
func printError(_ line: String) {
    let text = line.hasSuffix("\n") ? String(line.dropLast()) : line
    writeAll(2, InputError.printable(text) + "\n")
}

/// Writes all of `text` to a file descriptor (stdout: 1, stderr: 2), retrying short writes.
/// Returns false when the descriptor refused it.
@discardableResult
func writeAll(_ fd: Int32, _ text: String) -> Bool {
    var bytes = Array(text.utf8)
    var done = 0
    while done < bytes.count {
        let n = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return false }
        done += n
    }
    return true
}

struct JobFlags: ParsableArguments {
    @Option(help: "Workload: read, write, randread, randwrite, readwrite, randrw (fio's names), or the presets seqread, seqwrite, mixed (randrw, 70% reads). Without it: the default suite.")
    var rw: String?
    @Option(parsing: .unconditional, help: "Percentage of reads in a mixed workload (0-100; fio's default 50, mixed: 70).")
    var rwmixread: String?
    @Option(parsing: .unconditional, help: "Block size, with k/m/g units (1024 base). Default 4k. Per direction as fio: 4k,64k = reads 4k, writes 64k.")
    var bs: String?
    @Option(parsing: .unconditional, help: "Block size range MIN-MAX (fio's bsrange): each I/O a multiple of MIN up to MAX, e.g. 4k-64k; per direction 4k-16k,8k-64k.")
    var bsrange: String?
    @Option(parsing: .unconditional, help: "Weighted block sizes (fio's bssplit), SIZE/PERCENT:..., e.g. 4k/10:64k/50:32k/40 (a blank percentage takes the rest); per direction with a comma.")
    var bssplit: String?
    @Option(name: .customLong("random-distribution"), parsing: .unconditional, help: "Which blocks random I/O hits (fio's random_distribution): random (default), zipf:THETA, pareto:H, normal:SIGMA (percent of the range), each with an optional :CENTER (0-1). Skewed ones use no random map.")
    var randomDistribution: String?
    @Option(parsing: .unconditional, help: "Bandwidth cap per clone in bytes per second (k/m/g units), e.g. 10m; per direction 10m,5m; ,5m limits only writes.")
    var rate: String?
    @Option(name: .customLong("rate-iops"), parsing: .unconditional, help: "I/O cap per clone per second, e.g. 500; per direction 500,200 (with several block sizes, counted in the smallest, as fio).")
    var rateIops: String?
    @Option(parsing: .unconditional, help: "Stall this long after every --thinktime-blocks I/Os, once they completed (default unit us, as fio; e.g. 2ms).")
    var thinktime: String?
    @Option(name: .customLong("thinktime-blocks"), parsing: .unconditional, help: "I/Os between two --thinktime stalls. Default 1.")
    var thinktimeBlocks: String?
    @Option(parsing: .unconditional, help: "Run a size-based job this many times over its size (fio's loops; time-based jobs ignore it). Default 1.")
    var loops: String?
    @Option(parsing: .unconditional, help: "I/Os in flight per job. Default 1.")
    var iodepth: String?
    @Option(name: .customLong("iodepth-batch"), parsing: .unconditional, help: "Submit once this many I/Os are queued (fio's iodepth_batch_submit, default 1). Default 4 for random workloads, 1 for sequential ones.")
    var iodepthBatch: String?
    @Option(parsing: .unconditional, help: "Clones of the job, run concurrently, one thread and ring each. Default 1.")
    var numjobs: String?
    @Option(parsing: .unconditional, help: "Bytes each clone covers (k/m/g/t). Default: to the end of the target; 1g for a new file.")
    var size: String?
    @Option(parsing: .unconditional, help: "Byte offset where the job's range starts.")
    var offset: String?
    @Option(name: .customLong("offset-increment"), parsing: .unconditional, help: "Clone i starts at offset + i x this.")
    var offsetIncrement: String?
    @Option(parsing: .unconditional, help: "Measured run time (units us, ms, s, m, h; default s). Without --time-based: a limit on a size-based job. Suite default 10s.")
    var runtime: String?
    @Flag(name: .customLong("time-based"), help: "Run for --runtime, wrapping around the range, instead of stopping after --size.")
    var timeBased = false
    @Option(name: .customLong("ramp-time"), parsing: .unconditional, help: "Run this long before measuring (excluded from results). Suite default 2s.")
    var rampTime: String?
    @Option(parsing: .unconditional, help: "1: O_DIRECT (default); 0: buffered through the page cache.")
    var direct: String?
    @Option(parsing: .unconditional, help: "Seed for offsets and the read/write mix; the default is fixed, so runs repeat.")
    var randseed: String?
    @Flag(help: "Draw random offsets independently (may repeat blocks) instead of covering each block once per pass.")
    var norandommap = false
    @Option(help: "io_uring, psync, or auto (default: io_uring, falling back to psync with a note).")
    var ioengine: String?
    @Flag(name: .customLong("continue-on-error"), help: "Count failed I/Os and go on, instead of stopping the job at the first.")
    var continueOnError = false
    @Option(help: "Job name in the results.")
    var name: String?
    @Option(help: "crc32c, crc32 or pattern: every written block carries a verify header; after the job every block written is read back and checked (exit status 4 on a failure).")
    var verify: String?
    @Option(name: .customLong("verify-backlog"), parsing: .unconditional, help: "Verify while writing, every N writes (not supported yet).")
    var verifyBacklog: String?

    /// The command line's own job (no job file): the same entries job files take over, through
    /// the same key table.
    var raw: RawJobOptions {
        var r = TierbenchOptions.raw(commandLineEntries.map { OptionEntry(key: $0.0, value: $0.1, origin: .commandLine, spelled: "--\($0.0)") })
        r.stonewall = true  // jobs from the command line run one after another
        return r
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one workload, the default suite (seq write/read 1m QD8, rand read/write 4k QD32, mixed 70/30 8k QD16), or the jobs of job files.")

    @Argument(help: "Job files, run one after another: fio's (.fio or any other name) or tierbench's YAML/JSON (.yaml, .yml, .json). Options given here override the files' values.")
    var jobFiles: [String] = []
    @Option(help: "File, directory (a temporary file inside) or block device. Default: a temporary 1 GiB file under the current directory, removed afterwards.")
    var target: String?
    @OptionGroup var job: JobFlags
    @Flag(name: .customLong("ignore-unsupported"), help: "With job files: a valid fio option tierbench does not support is a warning, not an error.")
    var ignoreUnsupported = false
    @OptionGroup var safety: SafetyFlags
    @Option(name: .customLong("output-format"), help: "One or several of human, json, jsonl (the result as one `{\"type\": \"result\"}` line), fio-json, csv, prometheus (text exposition for node_exporter's textfile collector), comma-separated. Default human.")
    var outputFormat: String = "human"
    @Option(help: "File for the format in the same position of --output-format (repeat per format); a format without one goes to stdout.")
    var output: [String] = []
    @Option(parsing: .unconditional, help: "Latency percentiles to report, e.g. 50,99,99.9. Default fio's list (1 ... 99.99).")
    var percentiles: String?
    @Option(parsing: .unconditional, help: "Length of a time-series interval (us, ms, s, m; default s). Default 1s.")
    var interval: String?
    @Option(name: .customLong("status-interval"), parsing: .unconditional, help: "Stream JSON Lines: with --output-format json, one record per interval of this length, then the result.")
    var statusInterval: String?
    @Option(help: "Progress line on stderr (auto: only when stderr is a terminal).")
    var progress: ProgressChoice = .auto
    @Flag(name: .customLong("checksum-reads"), help: "Digest every buffer read (read_digest in the JSON), to check reads against the file.")
    var checksumReads = false
    @OptionGroup var historyFlags: HistoryFlags
    @Option(help: "After the run, push its metrics to this Prometheus Pushgateway (http://HOST:PORT), grouped by job `tierbench`, host and target.")
    var push: String?
    @Option(name: .customLong("metric-label"), help: "An identity label NAME=VALUE on every Prometheus metric and in --push's group, e.g. zone=us-east-1a (repeat per label).")
    var metricLabel: [String] = []

    func run() throws {
        let jobs: [JobSpec]
        var request: RunRequest
        let plan: OutputPlan
        let showProgress: Bool
        let gateway: Pushgateway?
        let extraLabels: Exposition.Labels
        let fromFiles = try loadJobFiles(jobFiles, job: job, target: target, percentiles: percentiles, ignoreUnsupported: ignoreUnsupported)
        do throws(ValidationFailure) {
            if let fromFiles {
                jobs = fromFiles.plan.specs
                request = RunRequest(targetPath: fromFiles.plan.target?.value, jobs: jobs)
                request.percentiles = fromFiles.percentiles
            } else {
                do { jobs = try job.raw.resolve() } catch { throw ValidationFailure(error.message) }
                request = RunRequest(targetPath: target, jobs: jobs)
            }
            if fromFiles == nil, let percentiles {
                do { request.percentiles = try PercentileList(parsing: percentiles) } catch { throw ValidationFailure(error.message) }
            }
            let intervalNs = try interval.map { text throws(ValidationFailure) in try Self.intervalLength(text, option: "--interval") }
            let statusNs = try statusInterval.map { text throws(ValidationFailure) in try Self.intervalLength(text, option: "--status-interval") }
            if let intervalNs, let statusNs, intervalNs != statusNs {
                throw ValidationFailure("--interval \(interval!) and --status-interval \(statusInterval!) differ; a status record covers one interval, so give one of them")
            }
            // fio's log_avg_msec is the run's interval: the logs' lines are its series.
            let logNs: UInt64?
            do {
                logNs = try FioLogWriter.interval(jobs)
                try FioLogWriter.check(jobs, overwrite: safety.overwrite)
            } catch { throw ValidationFailure(error.message) }
            if let logNs, let given = statusNs ?? intervalNs, given != logNs {
                throw ValidationFailure("log_avg_msec=\(logNs / 1_000_000) sets the run's interval and --\(statusNs != nil ? "status-interval" : "interval") gives another; give one of them")
            }
            request.intervalNanoseconds = statusNs ?? intervalNs ?? logNs ?? 1_000_000_000
            plan = try OutputPlan(formats: outputFormat, outputs: output, target: request.targetPath, streamJSON: statusNs != nil)
            showProgress = progress.enabled
            gateway = try pushTarget(push)
            extraLabels = try metricLabels(metricLabel)
        } catch {
            throw ValidationError(error.message)
        }
        safety.apply(to: &request)
        request.checksumReads = checksumReads
        RunControl.shared.installSignalHandlers()

        // Streamed JSON Lines go where `json` goes: stdout, or its file (opened now, written as the run goes).
        let streamDestination = plan.streamJSON ? plan.destinations.first { $0.format == .json }?.path : nil
        var streamFD: Int32 = plan.streamJSON ? 1 : -1
        if plan.streamJSON, let path = streamDestination {
            streamFD = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            if streamFD < 0 { throw ValidationError("--output \(path): \(Errno.current.text)") }
        }
        defer { if streamFD > 2 { close(streamFD) } }

        let (terminal, observerBase) = consoleObserver(showProgress: showProgress)
        var observer = observerBase
        let perIO = PerIOLogs()
        observer.perIOLog = perIO.add
        if plan.streamJSON {
            observer.interval = { event in
                if let line = try? JSONReport.intervalLine(event) { writeAll(streamFD, line) }
            }
        }
        var result: RunResult
        do {
            result = try Runner(request, observer: observer).run()
            result.command = recordedCommand
            terminal.clear()
        } catch {
            terminal.clear()
            // A job from a file: its mistake at the file's line, in the file's words.
            if case .input(let mistake, let index) = error, let fromFiles {
                throw reported(.usage(fromFiles.plan.locate(mistake, spec: index).description))
            }
            throw reported(error)
        }

        var writeFailed = false
        for message in FioLogWriter.write(jobs, results: result.jobs, perIO: perIO, overwrite: safety.overwrite).errors {
            printError("tierbench: error: \(message)"); writeFailed = true
        }
        for (format, path) in plan.destinations {
            let text: String
            switch format {
            case .human: text = HumanReport.render(result, percentiles: percentiles == nil && fromFiles?.plan.percentiles == nil ? [50, 99, 99.9] : request.percentiles.values)
            case .json: text = plan.streamJSON ? try JSONReport.resultLine(result) : try JSONReport.render(result)
            case .fioJSON: text = try FioJSONReport.render(result)
            case .csv: text = CSVReport.render(result)
            case .jsonl: text = try JSONReport.resultLine(result)
            case .prometheus: text = RunMetrics.exposition(result, identity: RunMetrics.identity(result).with(extraLabels)).render()
            }
            if format == .json && plan.streamJSON {
                if !writeAll(streamFD, text) { printError("tierbench: error: cannot write the JSON Lines result: \(Errno.current.text)"); writeFailed = true }
            } else if let path {
                do { try writeOutput(text, to: path) } catch { printError("tierbench: error: \(error.message)"); writeFailed = true }
            } else if !writeAll(1, text) {
                printError("tierbench: error: cannot write to stdout: \(Errno.current.text)"); writeFailed = true
            }
        }
        let identity = RunMetrics.identity(result).with(extraLabels)
        if let gateway, !pushMetrics(RunMetrics.exposition(result, identity: identity), to: gateway, grouping: identity, interrupted: result.interrupted) {
            writeFailed = true
        }
        for job in result.jobs where job.failed {
            printError("tierbench: error: job \(job.name) failed: \(job.firstError ?? "I/O error")")
        }
        let verifyFailed = reportVerify(result)
        if !historyFlags.record(result, source: "run") { writeFailed = true }
        if let stopped = stoppedBySignal() { throw stopped }
        if result.failed || writeFailed { throw ExitCode(1) }
        if verifyFailed { throw ExitCode(4) }
    }

    static func intervalLength(_ text: String, option: String) throws(ValidationFailure) -> UInt64 {
        let ns: UInt64
        do { ns = try Units.parseDuration(text, option: option) } catch { throw ValidationFailure(error.message) }
        guard ns >= 10_000_000 else { throw ValidationFailure("\(option) \(text) is shorter than 10ms; give 10ms or more, e.g. 1s") }
        return ns
    }
}

/// Notes as stderr lines and, when shown, the progress line: what a run reports to the console.
func consoleObserver(showProgress: Bool) -> (TerminalLine, RunObserver) {
    let terminal = TerminalLine(enabled: showProgress)
    var observer = RunObserver(note: { line in terminal.clear(); printError("tierbench: note: \(line)") })
    if showProgress { observer.progress = { terminal.show(ProgressLine.render($0)) } }
    return (terminal, observer)
}

/// The progress line on stderr, redrawn in place (carriage return, erase line).
final class TerminalLine {
    let enabled: Bool
    private var shown = false
    init(enabled: Bool) { self.enabled = enabled }

    func show(_ text: String) {
        guard enabled else { return }
        writeAll(2, "\r\u{1B}[K" + text)
        shown = true
    }

    func clear() {
        guard enabled && shown else { return }
        writeAll(2, "\r\u{1B}[K")
        shown = false
    }
}
