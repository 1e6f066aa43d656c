import ArgumentParser
import Check
import Engine
import Glibc
import Harness
import Profiles
import Report
import Workload

struct CheckTier: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run a tier's suite on --target and judge it against what the tier promises (or judge --results without I/O).",
        discussion: """
            IOPS tiers: 16 KiB random read and write at a queue depth from Little's law (verified by stepping), \
            sequential 1 MiB read and write, the 70/30 mix at 8 KiB, 4 KiB random read at QD1 for latency. \
            Throughput (HDD) tiers: sequential 1 MiB read and write; --sustained drains the credit bucket first. \
            A metric passes when it reaches the promised share of expected in the promised share of 1 s intervals. \
            Exit status: 0 pass, 3 an SLA failed, 1 error (including input that cannot be read and a class or claim \
            that cannot be evaluated: the message says why and the fix), 2 usage.
            """)

    @OptionGroup var tier: TierOptions
    @Option(help: "With -f: a claim whose class and size to check instead of --class and --size: a PVC's name, STATEFULSET/TEMPLATE, or a replica's PVC name (data-db-0).")
    var claim: String?
    @Option(help: "The volume to measure: a block device, a file, a directory (a temporary file inside), or a new file's path (created, removed afterwards).")
    var target: String?
    @Option(help: "A published requirement to measure and judge instead of a tier: etcd (fdatasync p99 under 10 ms, etcd's disk check). Give --target a directory on the volume.")
    var requirement: String?
    @Option(help: "Judge an existing result instead of running: a tierbench JSON (run --output-format json) or a fio JSON (--output-format=json).")
    var results: String?
    @Option(parsing: .unconditional, help: "Measured time per job (default 30s).")
    var runtime: String = "30s"
    @Option(name: .customLong("ramp-time"), parsing: .unconditional, help: "Unmeasured warm-up per job (default 2s).")
    var rampTime: String = "2s"
    @Option(name: .customLong("step-time"), parsing: .unconditional, help: "Measured time per queue-depth step (default 3s).")
    var stepTime: String = "3s"
    @Option(parsing: .unconditional, help: "Queue depth for the random jobs: skips the stepping search.")
    var iodepth: String?
    @Flag(help: "Credit tiers: run each job until a full burst bucket would be empty, and judge only the time after (may take hours; the plan is printed first).")
    var sustained = false
    @Option(name: .customLong("share-of-expected"), parsing: .unconditional, help: "Override the tier's promised share of expected (0-1], e.g. 0.9.")
    var shareOfExpected: String?
    @Option(name: .customLong("share-of-time"), parsing: .unconditional, help: "Override the tier's promised share of intervals (0-1], e.g. 0.99.")
    var shareOfTime: String?
    @Option(name: .customLong("output-format"), help: "human (default), json, jsonl (one line `{\"type\": \"result\", \"check\": ..., \"run\": ...}` with the verdicts and the suite's measurements: what `zones` collects from each pod's log), or prometheus (text exposition for node_exporter's textfile collector).")
    var outputFormat: CheckFormat = .human
    @Option(help: "Write the report to this file instead of stdout.")
    var output: String?
    @Option(help: "Also write a JUnit XML file: one test suite per class, one test case per metric.")
    var junit: String?
    @Option(name: .customLong("save-results"), help: "Also write the suite's measurements (tierbench JSON), to judge again later with --results.")
    var saveResults: String?
    @Option(name: .customLong("file-size"), parsing: .unconditional, help: "Size of the temporary file for a directory --target (default 1g).")
    var fileSize: String = "1g"
    @OptionGroup var safety: SafetyFlags
    @Option(help: "Progress line on stderr (auto: only when stderr is a terminal).")
    var progress: ProgressChoice = .auto
    @OptionGroup var historyFlags: HistoryFlags
    @Option(help: "After the check, push its metrics (verdicts, expected and measured values, the suite's IOPS and latency) to this Prometheus Pushgateway (http://HOST:PORT).")
    var push: String?
    @Option(name: .customLong("metric-label"), help: "An identity label NAME=VALUE on every Prometheus metric and in --push's group, e.g. zone=us-east-1a (repeat per label).")
    var metricLabel: [String] = []

    struct Settings {
        var subjects: [CheckSubject]
        var promises: [Promise]
        var runtimeNs: UInt64 = 0, rampNs: UInt64 = 0, stepNs: UInt64 = 0
        var depth: Int?
        var fileBytes: UInt64 = 1 << 30
        var showProgress = false
        /// The suite's run, for --history.
        let suite = SuiteResult()
        var gateway: Pushgateway?
        var labels: Exposition.Labels = []
    }

    final class SuiteResult { var result: RunResult? }

    /// A usage mistake or unreadable input found before anything runs.
    struct CheckSetupError: Error {
        let error: TierOptionsError
        init(_ e: TierOptionsError) { error = e }
        init(_ e: ValidationFailure) { error = .usage(e.message) }
    }

    func validate() throws(CheckSetupError) -> Settings {
        do { return try settings() } catch let e as CheckSetupError { throw e } catch let e as ValidationFailure { throw CheckSetupError(e) } catch {
            throw CheckSetupError(.usage("\(error)"))
        }
    }

    func settings() throws -> Settings {
        let gateway = try pushTarget(push)
        let labels = try metricLabels(metricLabel)
        if target == nil && results == nil { throw ValidationFailure("give --target (a device, file or directory to measure) or --results FILE (a result to judge)") }
        if target != nil && results != nil { throw ValidationFailure("--target runs the suite and --results judges a result without running; give one of them") }
        for (path, option) in [(output, "--output"), (junit, "--junit"), (saveResults, "--save-results")] {
            if let path { try OutputPlan.checkWritable(path, target: target, option: option) }
        }
        if results != nil && saveResults != nil { throw ValidationFailure("--save-results saves a run's measurements; with --results nothing runs") }
        func share(_ text: String?, _ option: String) throws(ValidationFailure) -> Double? {
            guard let text else { return nil }
            guard let v = Double(text), v > 0, v <= 1 else { throw ValidationFailure("\(option) \(text) is not a share in (0, 1]; give e.g. \(option) 0.9") }
            return v
        }
        let e = try share(shareOfExpected, "--share-of-expected"), t = try share(shareOfTime, "--share-of-time")
        var defaultSize: Quantity?
        if let target, case .blockDevice? = try? Targets.classify(target) {
            let fd = open(target, O_RDONLY | O_CLOEXEC)
            if fd >= 0, let g = try? Targets.blockDeviceGeometry(fd) { defaultSize = Quantity(bytes: Int64(g.sizeBytes)) }
            if fd >= 0 { close(fd) }
        }
        let subjects: [CheckSubject]
        do {
            subjects = try tier.selection(claim: claim).checkSubjects(defaultSize: defaultSize, judgingResults: results != nil) {
                printError("tierbench: warning: \($0)")
            }
        } catch {
            throw CheckSetupError(TierOptionsError(error))
        }
        var s = Settings(subjects: subjects, promises: subjects.map { Promise.of($0.profile, shareOfExpected: e, shareOfTime: t) })
        func duration(_ text: String, _ option: String, minimum: UInt64) throws(ValidationFailure) -> UInt64 {
            let ns: UInt64
            do { ns = try Units.parseDuration(text, option: option) } catch { throw ValidationFailure(error.message) }
            guard ns >= minimum else { throw ValidationFailure("\(option) \(text) is too short; give at least \(minimum / 1_000_000_000)s") }
            return ns
        }
        s.runtimeNs = try duration(runtime, "--runtime", minimum: 1_000_000_000)
        s.rampNs = try duration(rampTime, "--ramp-time", minimum: 0)
        s.stepNs = try duration(stepTime, "--step-time", minimum: 1_000_000_000)
        if let iodepth {
            do { s.depth = try Units.parseInteger(iodepth, option: "--iodepth") } catch { throw ValidationFailure(error.message) }
            guard let d = s.depth, (1...RawJobOptions.maxIodepth).contains(d) else {
                throw ValidationFailure("--iodepth \(iodepth) is outside 1-\(RawJobOptions.maxIodepth)")
            }
        }
        do { s.fileBytes = try Units.parseSize(fileSize, option: "--file-size") } catch { throw ValidationFailure(error.message) }
        guard s.fileBytes >= 16 << 20 else { throw ValidationFailure("--file-size \(fileSize) is below 16m; give e.g. --file-size 1g") }
        s.showProgress = progress.enabled
        s.gateway = gateway
        s.labels = labels
        return s
    }

    func run() throws {
        if let requirement { return try runRequirement(requirement) }
        let settings: Settings
        do { settings = try validate() } catch { throw error.error.exit() }

        var verdicts: [SubjectVerdict] = []
        var interrupted = false
        var runFailed = false
        var run: RunResult?
        if let results {
            let jobs: [MeasuredJob]
            do { (jobs, run) = try MeasuredResults.loadWithRun(results) } catch { throw ValidationError(error.message) }
            for (subject, promise) in zip(settings.subjects, settings.promises) {
                let judge = Judge(subject: subject, promise: promise)
                let notes = jobs.contains { $0.intervals.isEmpty } ? ["fio JSON has no 1-second series: rates are judged on each job's mean"] : []
                verdicts.append(SubjectVerdict(subject: subject, promise: promise, depthSearch: nil, notes: notes, metrics: jobs.flatMap(judge.judge)))
            }
        } else {
            let (verdict, wasInterrupted, failed, suite) = try measure(settings)
            verdicts = [verdict]
            interrupted = wasInterrupted
            runFailed = failed
            run = suite
        }

        var doc = CheckDocument(version: Runner.version, target: target, results: results, subjects: verdicts, interrupted: interrupted)
        doc.command = recordedCommand
        doc.startTimeUtc = run?.startTimeUTC
        doc.environment = run?.environment
        doc.device = run?.device
        let text = switch outputFormat {
        case .json: try CheckReport.json(doc)
        case .jsonl: try CheckReport.resultLine(doc, run: run)
        case .prometheus: CheckMetrics.exposition(doc, run: run, extra: settings.labels).render()
        case .human: CheckReport.human(doc)
        }
        var writeFailed = false
        if let output {
            do { try writeOutput(text, to: output) } catch { printError("tierbench: error: \(error.message)"); writeFailed = true }
        } else if !writeAll(1, text) {
            writeFailed = true
        }
        if let junit {
            do { try writeOutput(CheckReport.junit(doc), to: junit, option: "--junit") } catch { printError("tierbench: error: \(error.message)"); writeFailed = true }
        }
        if !historyFlags.record(check: doc, suite: settings.suite.result, resultsFile: results) { writeFailed = true }
        if let gateway = settings.gateway,
           !pushMetrics(CheckMetrics.exposition(doc, run: run, extra: settings.labels), to: gateway,
                        grouping: CheckMetrics.grouping(doc, run: run, extra: settings.labels), interrupted: interrupted) {
            writeFailed = true
        }
        if let stopped = stoppedBySignal() { throw stopped }
        if runFailed || writeFailed { throw ExitCode(1) }
        if doc.failed { throw ExitCode(3) }
    }

    /// Runs Check's suite (the depth search first) on the target, judges it. Returns the verdict,
    /// whether a signal stopped it, whether an I/O error failed a job, and the suite's run (nil
    /// when stopped before it).
    func measure(_ s: Settings) throws -> (SubjectVerdict, Bool, Bool, RunResult?) {
        RunControl.shared.installSignalHandlers()
        let (terminal, observer) = consoleObserver(showProgress: s.showProgress)
        let target = CheckTarget(target!)
        defer { target.remove() }
        let suite = SuiteRun(subject: s.subjects[0], promise: s.promises[0], runtimeNanoseconds: s.runtimeNs, rampNanoseconds: s.rampNs,
                             stepNanoseconds: s.stepNs, depth: s.depth, sustained: sustained)
        let outcome: SuiteRun.Outcome
        do {
            outcome = try suite.measure(note: observer.note, stopped: { RunControl.shared.stopRequestedBy != nil }) { jobs throws(RunError) in
                var request = RunRequest(targetPath: target.path, jobs: jobs)
                request.intervalNanoseconds = 1_000_000_000
                request.overwrite = target.created
                safety.apply(to: &request)
                request.defaultNewFileBytes = s.fileBytes
                defer { terminal.clear() }
                return try Runner(request, observer: observer).run()
            }
        } catch {
            throw reported(error)
        }
        guard var result = outcome.result else { return (outcome.verdict, outcome.interrupted, outcome.failed, nil) }
        result.command = recordedCommand
        s.suite.result = result
        if let saveResults {
            let json = try JSONReport.render(result)
            do { try writeOutput(json, to: saveResults, option: "--save-results") } catch { printError("tierbench: error: \(error.message)") }
        }
        for job in result.jobs where job.failed {
            printError("tierbench: error: job \(job.name) failed: \(job.firstError ?? "I/O error")")
        }
        return (outcome.verdict, outcome.interrupted, outcome.failed, result)
    }
}
