import ArgumentParser
import Check
import Harness
import Report
import Workload

/// `check --requirement NAME --target DIR`: runs a published requirement's job (etcd's fdatasync
/// check) on the volume and judges its sync latency bound. Exit status 0 pass, 3 fail, 1 error.
extension CheckTier {
    struct RequirementDocument: Encodable {
        var requirement: RequirementVerdict
        var run: RunResult
    }

    func runRequirement(_ name: String) throws {
        let requirement: Requirement
        do { requirement = try Requirement.named(name) } catch { throw ValidationError(error.message) }
        guard let target else { throw ValidationError("--requirement \(name) measures a volume; give --target (a directory on it: a file is created there and removed after)") }
        guard results == nil else { throw ValidationError("--requirement runs its own job; give --target instead of --results") }
        guard outputFormat == .human || outputFormat == .json else { throw ValidationError("--requirement writes human or json; give --output-format human or json") }
        if let output { try OutputPlan.checkWritable(output, target: target, option: "--output") }
        RunControl.shared.installSignalHandlers()
        let (terminal, observer) = consoleObserver(showProgress: progress.enabled)
        let place = CheckTarget(target)
        defer { place.remove() }
        var request = RunRequest(targetPath: place.path, jobs: [requirement.job])
        request.overwrite = place.created
        request.defaultNewFileBytes = requirement.job.sizeBytes ?? (1 << 30)
        safety.apply(to: &request)
        var result: RunResult
        do {
            defer { terminal.clear() }
            result = try Runner(request, observer: observer).run()
        } catch {
            throw reported(error)
        }
        result.command = recordedCommand
        let verdict = requirement.judge(result)
        let text = outputFormat == .json ? try JSONReport.line(RequirementDocument(requirement: verdict, run: result)) + "\n" : verdict.human
        if let output { try writeOutput(text, to: output) } else if !writeAll(1, text) { throw ExitCode(1) }
        if let stopped = stoppedBySignal() { throw stopped }
        if result.failed { throw ExitCode(1) }
        if !verdict.passed { throw ExitCode(3) }
    }
}
