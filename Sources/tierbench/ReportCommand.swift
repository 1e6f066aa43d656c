import ArgumentParser
import Engine
import Glibc
import Check
import Harness
import History
import Report
import Zones

/// `tierbench report`: one self-contained HTML file from results. The logic is in the Report
/// module (the run view, the page), in Check (the check view), Zones (the zones view) and
/// History (the history view); this reads the files, picks the view per document kind and
/// writes the page.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write one self-contained HTML report (charts, tables, environment; opens offline) from tierbench results.",
        discussion: """
            Takes the JSON of `tierbench run --output-format json` (also its --status-interval JSON Lines), of \
            `tierbench check --output-format json` and of `tierbench zones run --output-format json`, and a history \
            database (--history on run, check and zones run, or history import): each series over its runs, with the \
            boundaries (tool version, kernel, engine, instance type), acks, change points and the runs the gate failed \
            marked; --series, --label, --metric and --since pick the series as they do for `tierbench gate` (default: the \
            gate's metrics), and the verdicts are the gate's with its default thresholds. Several files give one page with \
            a section each. \
            Exit status: 0 written, 1 a file that cannot be read or is of a kind not supported, 2 usage.
            """)

    @Argument(help: "Result files: tierbench run JSON (tierbench/1), check JSON (tierbench-check/1), zones run JSON (tierbench-zones/1), or a history database (SQLite).")
    var files: [String] = []
    @Option(name: [.short, .long], help: "The HTML file to write (replaced if it exists). Default: stdout.")
    var output: String?
    @Option(help: "The page's title. Default: from the results.")
    var title: String?
    /// History: the series to draw, as `tierbench gate` picks them (default: the gate's metrics).
    @OptionGroup var pick: SeriesSelectFlags

    func run() throws {
        guard !files.isEmpty else {
            throw ValidationError("give a result file: tierbench report RESULT.json --output report.html")
        }
        if let output {
            do { try OutputPlan.checkWritable(output, target: nil) } catch { throw ValidationError(error.message) }
            for f in files where realPath(f) != nil && realPath(f) == realPath(output) {
                throw ValidationError("--output \(output) is the input \(f); give another file for the report")
            }
        }
        let filter = try pick.filter()
        var inputs: [ReportInput] = []
        for file in files {
            do { inputs.append(try ReportInput.load(file)) } catch { fail(error.message) }
        }
        if pick.picksSeries && !inputs.contains(where: { if case .history = $0 { true } else { false } }) {
            throw ValidationError("--series, --label, --metric and --since pick series of a history database; give one (tierbench report runs.sqlite --series iops)")
        }
        // A check is drawn with the run it judged when that run is among the files.
        let runs = inputs.compactMap { if case .run(let r) = $0 { r } else { nil } }
        var sections: [Section] = []
        var pages: [Page] = []
        for (i, (file, input)) in zip(files, inputs).enumerated() {
            switch input {
            case .run(let result):
                let id = files.count == 1 ? "run" : "run\(i + 1)"
                sections.append(RunView.section(result, id: id))
                pages.append(RunView.page(result, source: file))
            case .check(let data):
                let doc: CheckDocument
                do { doc = try CheckReport.decode(data) } catch {
                    fail("\(file): not a valid tierbench-check/1 document (\(ReportInput.describe(error))); give the output of `tierbench check --output-format json`")
                }
                let id = files.count == 1 ? "check" : "check\(i + 1)"
                let run = runs.first { CheckView.judged(doc, in: $0) }
                sections.append(CheckView.section(doc, id: id, run: run))
                pages.append(CheckView.page(doc, source: file, run: run))
            case .zones(let data):
                let doc: ZonesDocument
                do { doc = try ZonesView.decode(data) } catch {
                    fail("\(file): not a valid tierbench-zones/1 document (\(ReportInput.describe(error))); give the output of `tierbench zones run --output-format json`")
                }
                let id = files.count == 1 ? "zones" : "zones\(i + 1)"
                sections.append(ZonesView.section(doc, id: id))
                pages.append(ZonesView.page(doc, source: file))
            case .history:
                let id = files.count == 1 ? "history" : "history\(i + 1)"
                do throws(HistoryError) {
                    let store = try HistoryStore(path: file, create: false, option: "report")
                    let timelines = try SeriesTimeline.timelines(store, filter: filter)
                    if timelines.isEmpty {
                        fail("\(file): no series \(pick.picksSeries ? "matches the selection" : "in the history")\(pick.picksSeries ? "; see tierbench history series --history \(file)" : "; record runs into it first (tierbench run --history \(file))")")
                    }
                    sections.append(try HistoryView.section(timelines, store: store, id: id))
                    pages.append(try HistoryView.page(timelines, store: store, version: Runner.version))
                } catch {
                    // The store's messages name the file themselves.
                    printError("tierbench: error: \(error.message)")
                    Glibc.exit(1)
                }
            }
        }
        var page = pages.count == 1 ? pages[0] : Page(title: "tierbench report: \(files.count) results", subtitle: files.joined(separator: ", "),
                                                      sections: sections, generator: "tierbench \(Runner.version) report")
        if let title { page.title = title }
        let html = try HTMLPage.render(page)
        if let output {
            do { try writeOutput(html, to: output) } catch { fail(error.message) }
        } else if !writeAll(1, html) {
            fail("cannot write to stdout: \(Errno.current.text)")
        }
    }

    func fail(_ message: String) -> Never {
        printError("tierbench: error: report \(message)")
        Glibc.exit(1)
    }
}
