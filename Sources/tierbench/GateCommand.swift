import ArgumentParser
import Foundation
import History

struct GateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate",
        abstract: "Judge the newest run of each series (or --results FILE, before it is recorded) against its history.",
        discussion: """
            A series is one metric of one workload (job name and parameter hash) in one direction on one target \
            (tier or class and zone, or host and device), with the run's labels. A regression needs all of: a significant \
            difference from the trailing window (Mann-Whitney U on interval samples and Student's t on run values, p < 0.002), \
            a change of at least 5% (10% for p99 and above), and beyond 2.5 sd of the window's run-to-run noise; or a sustained \
            shift found by change-point detection (E-divisive means with a t-test, window 50, p 0.001, 6 points after). \
            A change of tool version, kernel, engine or instance type starts a new segment, never judged against the old one; \
            `history ack` accepts a known change. Exit status: 0 no regression, 3 a regression, 1 error, 2 usage.
            """)

    @OptionGroup var select: SeriesFilterFlags
    @Option(help: "Judge this result (tierbench or fio JSON) as the newest run, without recording it.")
    var results: String?
    @Option(parsing: .unconditional, help: "Trailing runs compared with the newest (default 30).")
    var window: Int = 30
    @Option(name: .customLong("p-value"), parsing: .unconditional, help: "Significance: p below this (default 0.002).")
    var pValue: Double = 0.002
    @Option(name: .customLong("min-change"), parsing: .unconditional, help: "Minimum relative change in percent (default 5).")
    var minChange: Double = 5
    @Option(name: .customLong("min-tail-change"), parsing: .unconditional, help: "Minimum relative change in percent for p99 and above (default 10).")
    var minTailChange: Double = 10
    @Option(parsing: .unconditional, help: "A change must be beyond this many standard deviations of the window's run-to-run noise (default 2.5).")
    var sigmas: Double = 2.5
    @Option(name: .customLong("min-runs"), parsing: .unconditional, help: "Runs a series needs before the newest for a verdict (default 5).")
    var minRuns: Int = 5
    @Option(name: .customLong("cp-window"), parsing: .unconditional, help: "Change points: E-divisive window (default 50).")
    var cpWindow: Int = 50
    @Option(name: .customLong("cp-p-value"), parsing: .unconditional, help: "Change points: p of the t-test (default 0.001).")
    var cpPValue: Double = 0.001
    @Option(name: .customLong("cp-min-points"), parsing: .unconditional, help: "Change points: points needed on each side of a change (default 6).")
    var cpMinPoints: Int = 6
    @Option(parsing: .unconditional, help: "Newest runs of each series read (default 200).")
    var lookback: Int = 200
    @Flag(name: .customLong("fail-on-improvement"), help: "A significant improvement fails the gate too (a cache appearing can be as wrong as a slowdown).")
    var failOnImprovement = false
    @Flag(name: .customLong("only-changes"), help: "Human table: leave out the series that are ok.")
    var onlyChanges = false
    @Option(name: .customLong("output-format"), help: "human (default), json, junit or prometheus (tierbench_regression per series, for node_exporter's textfile collector).")
    var outputFormat: String = "human"
    @Option(help: "Write the report to this file instead of stdout.")
    var output: String?
    @Option(help: "Also write a JUnit XML file: one test case per series.")
    var junit: String?

    func thresholds() throws -> GateThresholds {
        var t = GateThresholds()
        func positive(_ v: Int, _ name: String) throws -> Int {
            guard v >= 1 else { throw ValidationError("\(name) \(v) must be at least 1") }
            return v
        }
        func probability(_ v: Double, _ name: String) throws -> Double {
            guard v > 0, v < 1 else { throw ValidationError("\(name) \(v) is not a p-value; give a number between 0 and 1, e.g. 0.002") }
            return v
        }
        func percent(_ v: Double, _ name: String) throws -> Double {
            guard v >= 0, v.isFinite else { throw ValidationError("\(name) \(v) must be a percentage of 0 or more, e.g. 5") }
            return v / 100
        }
        t.window = try positive(window, "--window")
        t.pValue = try probability(pValue, "--p-value")
        t.minimumChange = try percent(minChange, "--min-change")
        t.minimumTailChange = try percent(minTailChange, "--min-tail-change")
        guard sigmas >= 0, sigmas.isFinite else { throw ValidationError("--sigmas \(sigmas) must be 0 or more, e.g. 2.5") }
        t.noiseSigmas = sigmas
        t.minimumRuns = try positive(minRuns, "--min-runs")
        t.changePointWindow = try positive(cpWindow, "--cp-window")
        guard cpWindow >= 4 else { throw ValidationError("--cp-window \(cpWindow) must be at least 4") }
        t.changePointPValue = try probability(cpPValue, "--cp-p-value")
        guard cpMinPoints >= 2 else { throw ValidationError("--cp-min-points \(cpMinPoints) must be at least 2") }
        t.changePointMinimumPoints = cpMinPoints
        t.lookback = try positive(lookback, "--lookback")
        t.failOnImprovement = failOnImprovement
        return t
    }

    func run() throws {
        guard ["human", "json", "junit", "prometheus"].contains(outputFormat) else {
            throw ValidationError("--output-format \(outputFormat) is not a format of gate; use human, json, junit or prometheus")
        }
        let thresholds = try self.thresholds()
        let filter = try select.filter()
        do {
            for (path, option) in [(output, "--output"), (junit, "--junit")] { if let path { try OutputPlan.checkWritable(path, target: nil, option: option) } }
        } catch { throw ValidationError(error.message) }
        let candidate: RunRecord?
        do { candidate = try results.map { path throws(HistoryError) in try RunImport.load(path, option: "--results") } } catch { throw ValidationError(error.message) }
        let store = try openHistory(select.history)
        let gate = Gate(thresholds: thresholds, filter: filter)
        let report = try historyStep { () throws(HistoryError) in
            if let candidate { return try gate.judge(candidate, file: results!, store: store) }
            return try gate.judge(store)
        }
        let text: String
        switch outputFormat {
        case "json": text = try report.json()
        case "junit": text = report.junit()
        case "prometheus": text = report.exposition().render()
        default: text = report.human(onlyChanges: onlyChanges)
        }
        var writeFailed = false
        if let output {
            do { try writeOutput(text, to: output) } catch { printError("tierbench: error: \(error.message)"); writeFailed = true }
        } else if !writeAll(1, text) {
            writeFailed = true
        }
        if let junit {
            do { try writeOutput(report.junit(), to: junit, option: "--junit") } catch { printError("tierbench: error: \(error.message)"); writeFailed = true }
        }
        if writeFailed { throw ExitCode(1) }
        if report.failed { throw ExitCode(3) }
    }
}
