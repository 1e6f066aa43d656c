import ArgumentParser
import Check
import Foundation
import Harness
import History
import Zones

/// `--history FILE` and `--label key=value` on `run`, `check` and `zones run` (one run per
/// measured volume, with its zone, node, instance type, class and tier).
struct HistoryFlags: ParsableArguments {
    @Option(help: "Append the run to this SQLite history (created if missing), for `tierbench gate` and `tierbench history`.")
    var history: String?
    @Option(help: "With --history: a key=value label for the run (repeatable). tier, class, zone, node and instance_type fill the run's own fields.")
    var label: [String] = []

    func validate() throws {
        if history == nil && !label.isEmpty { throw ValidationError("--label goes with --history FILE (the labels are stored with the run)") }
        do { _ = try Labels.parse(label) } catch { throw ValidationError(error.message) }
        // A file that cannot take the run is refused before anything runs.
        if let history {
            do { _ = try HistoryStore(path: history, create: true) } catch { throw ValidationError(error.message) }
        }
    }

    /// Records a finished run; says so on stderr. Returns false when the history could not take it.
    func record(_ result: RunResult, source: String, check: CheckDocument? = nil) -> Bool {
        guard let history else { return true }
        if result.interrupted || result.failed {
            printError("tierbench: note: not recorded in \(history): the run \(result.interrupted ? "was interrupted" : "failed")")
            return true
        }
        var record = RunImport.record(result, source: source, labels: (try? Labels.parse(label)) ?? [:])
        if let check { RunImport.apply(check: check, to: &record) }
        return store(record, history)
    }

    /// `zones run`: every measured volume as one run (one transaction each), labelled with its
    /// zone, node and instance type and the class and tier; volumes not measured are skipped.
    func record(zones outcomes: [VolumeOutcome], storageClass: String, tier: String) -> Bool {
        guard let history else { return true }
        let labels = (try? Labels.parse(label)) ?? [:]
        for key in ["zone", "node", "instance_type", "class", "tier"] where labels[key] != nil {
            printError("tierbench: note: --label \(key) is ignored by zones run: each volume's own \(key) is recorded")
        }
        var ok = true
        for o in outcomes where o.state == .measured {
            guard let run = o.run else { continue }
            if run.interrupted || run.failed {
                printError("tierbench: note: \(o.slot.name) not recorded in \(history): its run \(run.interrupted ? "was interrupted" : "failed")")
                continue
            }
            let record = RunImport.record(zoneVolume: run, zone: o.slot.zone, node: o.node, instanceType: o.instanceType, storageClass: storageClass,
                                          tier: tier, verdict: o.verdict, labels: labels)
            if !store(record, history) { ok = false }
        }
        return ok
    }

    /// `check`: the suite's run (or the `--results` file judged), with the verdicts.
    func record(check: CheckDocument, suite: RunResult?, resultsFile: String?) -> Bool {
        if let resultsFile { return record(resultsFile: resultsFile, check: check) }
        return suite.map { record($0, source: "check", check: check) } ?? true
    }

    /// `check --results FILE --history DB`: the judged file, with the verdicts.
    func record(resultsFile path: String, check: CheckDocument) -> Bool {
        guard let history else { return true }
        do {
            var record = try RunImport.load(path, source: "check", labels: try Labels.parse(label), option: "--results")
            RunImport.apply(check: check, to: &record)
            return store(record, history)
        } catch {
            printError("tierbench: error: \(error.message)")
            return false
        }
    }

    private func store(_ record: RunRecord, _ history: String) -> Bool {
        do {
            let store = try HistoryStore(path: history, create: true)
            switch try store.record(record) {
            case .recorded(let id): printError("tierbench: note: recorded as run \(id) in \(history)")
            case .duplicate(let id): printError("tierbench: note: already in \(history) as run \(id)")
            }
            return true
        } catch {
            printError("tierbench: error: \(error.message)")
            return false
        }
    }
}

/// Opens a history that must exist (read commands), with usage errors for a bad file.
func openHistory(_ path: String, create: Bool = false) throws -> HistoryStore {
    do { return try HistoryStore(path: path, create: create) } catch { throw ValidationError(error.message) }
}

/// Runs a history operation: a database error is one line and exit status 1.
func historyStep<T>(_ body: () throws(HistoryError) -> T) throws -> T {
    do { return try body() } catch {
        printError("tierbench: error: \(error.message)")
        throw ExitCode(1)
    }
}
