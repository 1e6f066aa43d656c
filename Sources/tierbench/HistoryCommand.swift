import ArgumentParser
import Foundation
import History

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "The SQLite history of runs: import results, list, show, export, prune, ack a known change.",
        subcommands: [HistoryImport.self, HistoryList.self, HistoryShow.self, HistorySeries.self, HistoryExport.self, HistoryPrune.self, HistoryAck.self])
}

struct HistoryImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Add existing results (tierbench JSON or fio JSON) to the history, one transaction per run; a result already in it is skipped.")
    @Option(help: "The SQLite history (created if missing).")
    var history: String
    @Option(help: "A key=value label for the imported runs (repeatable).")
    var label: [String] = []
    @Argument(help: "Result files: tierbench run --output-format json, or fio --output-format=json / json+.")
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("give the result files to import, e.g. tierbench history import --history runs.sqlite result.json") }
    }

    func run() throws {
        let labels: [String: String]
        do { labels = try Labels.parse(label) } catch { throw ValidationError(error.message) }
        // Every file is read first: a bad one is refused before anything is written.
        var records: [RunRecord] = []
        for f in files {
            do { records.append(try RunImport.load(f, labels: labels)) } catch { throw ValidationError(error.message) }
        }
        let store = try openHistory(history, create: true)
        for (file, record) in zip(files, records) {
            switch try historyStep({ () throws(HistoryError) in try store.record(record) }) {
            case .recorded(let id): writeAll(1, "\(file): recorded as run \(id)\n")
            case .duplicate(let id): writeAll(1, "\(file): already in the history as run \(id), skipped\n")
            }
        }
    }
}

struct HistoryList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the runs, oldest first.")
    @OptionGroup var select: SeriesFilterFlags
    @Option(parsing: .unconditional, help: "Only the newest N runs.")
    var last: Int?
    @Option(name: .customLong("output-format"), help: "human (default) or json.")
    var outputFormat: String = "human"

    func run() throws {
        guard ["human", "json"].contains(outputFormat) else { throw ValidationError("--output-format \(outputFormat): use human or json") }
        if let last, last < 1 { throw ValidationError("--last \(last) must be at least 1") }
        let filter = try select.filter()
        let store = try openHistory(select.history)
        var runs = try historyStep { () throws(HistoryError) in try store.runs(filter) }
        if let last { runs = Array(runs.suffix(last)) }
        writeAll(1, outputFormat == "json" ? try HistoryReportFormat.json(runs) : HistoryReportFormat.runs(runs))
    }
}

struct HistoryShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one run in full (RUN), or the points of series (--series) with their boundaries and acks.")
    @OptionGroup var select: SeriesFilterFlags
    @Argument(help: ArgumentHelp("A run id (from history list).", valueName: "run"))
    var runID: Int64?
    @Option(name: .customLong("output-format"), help: "human (default) or json.")
    var outputFormat: String = "human"

    func run() throws {
        guard ["human", "json"].contains(outputFormat) else { throw ValidationError("--output-format \(outputFormat): use human or json") }
        guard (runID == nil) != (select.series == nil) else { throw ValidationError("give a RUN id, or --series PATTERN to show series; one of them") }
        let filter = try select.filter()
        let store = try openHistory(select.history)
        if let id = runID {
            guard let detail = try historyStep({ () throws(HistoryError) in try store.run(id) }) else {
                throw ValidationError("run \(id): no such run in \(select.history); see tierbench history list --history \(select.history)")
            }
            writeAll(1, outputFormat == "json" ? try HistoryReportFormat.json(detail) : HistoryReportFormat.run(detail))
            return
        }
        let series = try historyStep { () throws(HistoryError) in try store.series(filter) }
        if series.isEmpty { throw ValidationError("--series \(select.series!): no series matches; see tierbench history series --history \(select.history)") }
        let segments = try historyStep { () throws(HistoryError) in try store.segments() }
        struct Shown: Encodable { var series: SeriesInfo; var points: [Point]; var acks: [AckRecord] }
        struct Point: Encodable { var runId: Int64; var startedEpoch: Double; var value: Double; var segment: SegmentKey?; var samples: [Double] }
        var shown: [Shown] = []
        var text = ""
        for s in series {
            let points = try historyStep { () throws(HistoryError) in try store.points(series: s.id, limit: Int.max) }
            let since = filter.since?.timeIntervalSince1970 ?? -.infinity
            let kept = points.filter { $0.epoch >= since }
            let acks = try historyStep { () throws(HistoryError) in try store.acks(series: s.id) }
            text += HistoryReportFormat.seriesPoints(s, points: kept, segments: segments, acks: acks) + "\n"
            shown.append(Shown(series: s, points: kept.map { Point(runId: $0.runID, startedEpoch: $0.epoch, value: $0.value, segment: segments[$0.segmentID], samples: $0.samples) }, acks: acks))
        }
        writeAll(1, outputFormat == "json" ? try HistoryReportFormat.json(shown) : text)
    }
}

struct HistorySeries: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "series", abstract: "List the series (ids for --series and history ack).")
    @OptionGroup var select: SeriesFilterFlags
    @Option(name: .customLong("output-format"), help: "human (default) or json.")
    var outputFormat: String = "human"

    func run() throws {
        guard ["human", "json"].contains(outputFormat) else { throw ValidationError("--output-format \(outputFormat): use human or json") }
        let filter = try select.filter()
        let store = try openHistory(select.history)
        let series = try historyStep { () throws(HistoryError) in try store.series(filter) }
        writeAll(1, outputFormat == "json" ? try HistoryReportFormat.json(series) : HistoryReportFormat.series(series))
    }
}

struct HistoryExport: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Export the points of the series (one row per run and series) as CSV or JSON.")
    @OptionGroup var select: SeriesFilterFlags
    @Option(help: "csv (default) or json.")
    var format: String = "csv"
    @Option(help: "Write to this file instead of stdout.")
    var output: String?

    func run() throws {
        guard ["csv", "json"].contains(format) else { throw ValidationError("--format \(format): use csv or json") }
        if let output { do { try OutputPlan.checkWritable(output, target: nil) } catch { throw ValidationError(error.message) } }
        let filter = try select.filter()
        let store = try openHistory(select.history)
        let rows = try historyStep { () throws(HistoryError) in try store.export(filter) }
        let text = format == "json" ? try HistoryReportFormat.json(rows) : HistoryReportFormat.csv(rows)
        if let output {
            do { try writeOutput(text, to: output) } catch { printError("tierbench: error: \(error.message)"); throw ExitCode(1) }
        } else if !writeAll(1, text) { throw ExitCode(1) }
    }
}

struct HistoryPrune: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "prune", abstract: "Remove old runs: older than an age, or all but the newest N.")
    @Option(help: "The SQLite history.")
    var history: String
    @Option(name: .customLong("older-than"), help: "Remove runs older than this age (90d, 12w) or date (2026-01-01).")
    var olderThan: String?
    @Option(parsing: .unconditional, help: "Keep only the newest N runs.")
    var keep: Int?
    @Flag(name: .customLong("dry-run"), help: "Say what would be removed, remove nothing.")
    var dryRun = false
    @Flag(help: "Afterwards give the space back to the file system (VACUUM).")
    var vacuum = false

    func run() throws {
        guard olderThan != nil || keep != nil else { throw ValidationError("give --older-than AGE (e.g. 90d) or --keep N (or both)") }
        if let keep, keep < 0 { throw ValidationError("--keep \(keep) must be 0 or more") }
        let date: Date?
        do { date = try olderThan.map { text throws(HistoryError) in try SinceParser.parse(text, option: "--older-than") } } catch { throw ValidationError(error.message) }
        let store = try openHistory(history)
        let removed = try historyStep { () throws(HistoryError) in try store.prune(olderThan: date, keep: keep, dryRun: dryRun) }
        if vacuum && !dryRun { try historyStep { () throws(HistoryError) in try store.vacuum() } }
        let left = try historyStep { () throws(HistoryError) in try store.runCount() }
        writeAll(1, "\(dryRun ? "would remove" : "removed") \(removed.count) run\(removed.count == 1 ? "" : "s")\(removed.isEmpty ? "" : " (\(Self.ranges(removed)))"); \(dryRun ? left : left) run\(left == 1 ? "" : "s") left\(dryRun ? " now" : "")\n")
    }

    /// "1-40, 45".
    static func ranges(_ ids: [Int64]) -> String {
        var parts: [String] = []
        var i = 0
        while i < ids.count {
            var j = i
            while j + 1 < ids.count && ids[j + 1] == ids[j] + 1 { j += 1 }
            parts.append(i == j ? "\(ids[i])" : "\(ids[i])-\(ids[j])")
            i = j + 1
        }
        return parts.joined(separator: ", ")
    }
}

struct HistoryAck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ack", abstract: "Accept a known change (a new kernel, a new tier) in a series: from run --since on it is judged only against itself.")
    @Option(help: "The SQLite history.")
    var history: String
    @Argument(help: "The series: an id, a glob or a part of the name (see tierbench history series); all that match are acked.")
    var series: String
    @Option(parsing: .unconditional, help: "The first run of the accepted level (a run id from history list).")
    var since: Int64
    @Option(help: "Why the change is accepted (kept and listed in gate reports).")
    var reason: String

    func run() throws {
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--reason is empty; say why the change is accepted, e.g. --reason \"kernel 6.8\"") }
        let store = try openHistory(history)
        var filter = HistoryFilter()
        filter.series = series
        let matched = try historyStep { () throws(HistoryError) in try store.series(filter) }
        if matched.isEmpty { throw ValidationError("series \(series): no series matches; see tierbench history series --history \(history)") }
        let acks: [AckRecord]
        do { acks = try store.ack(matched, sinceRun: since, reason: reason) } catch { throw ValidationError(error.message) }
        for a in acks { writeAll(1, "acked series \(a.seriesID) (\(a.series)) since run \(a.sinceRunID): \(a.reason)\n") }
    }
}
