import ArgumentParser
import Glibc
import Harness
import Workload

/// After a run: one stderr line per verify failure (the first `VerifyScan.reportLimit` of the
/// run) and a summary per verifying clone. Returns true when any block failed.
func reportVerify(_ result: RunResult) -> Bool {
    var shown = 0
    var failed = false
    for job in result.jobs {
        guard let v = job.verify else { continue }
        for f in v.firstFailures where shown < VerifyScan.reportLimit {
            printError("tierbench: verify: job \(job.name)\(job.parameters.numjobs > 1 ? " clone \(job.clone)" : ""): \(f.message)")
            shown += 1
        }
        printError("tierbench: verify: job \(job.name)\(job.parameters.numjobs > 1 ? " clone \(job.clone)" : ""): \(summary(v))")
        if v.failures > 0 { failed = true }
    }
    return failed
}

func summary(_ v: VerifyResult) -> String {
    let kinds = v.failuresByKind.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
    return "\(v.blocksChecked) blocks checked (\(v.mode?.rawValue ?? "any mode")), \(v.failures) failed\(kinds.isEmpty ? "" : " (\(kinds))")"
}

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a target written earlier with --verify: every block's header (offset, length) and its checksum or pattern.",
        discussion: """
            Without the writing run's generation map this cannot tell which write to a block was the last, so a \
            lost write is only found with --require-newest-run, when the last writing run covered the whole range. \
            Exit status 4 when a block fails.
            """)

    @Option(help: "The file or block device to check.")
    var target: String
    @Option(parsing: .unconditional, help: "The block size it was written with. Default 4k.")
    var bs: String?
    @Option(parsing: .unconditional, help: "Bytes to check from --offset. Default: to the end (whole blocks).")
    var size: String?
    @Option(parsing: .unconditional, help: "Where the range starts. Default 0.")
    var offset: String?
    @Option(parsing: .unconditional, help: "1: O_DIRECT reads (default); 0: through the page cache.")
    var direct: String?
    @Option(help: "crc32c, crc32 or pattern: only blocks written in this mode pass. Default: each block's own mode.")
    var verify: String?
    @Flag(name: .customLong("require-newest-run"), help: "Report blocks written by an older run than the newest found in the range as stale (right when the last writing run wrote every block of the range).")
    var requireNewestRun = false

    func run() throws {
        var request = TargetVerifyRequest(path: target)
        do throws(InputError) {
            if let bs {
                request.blockSizeBytes = try Units.parseSize(bs, option: "bs")
                if request.blockSizeBytes == 0 { throw InputError("--bs 0 is not a block size; give e.g. --bs 4k") }
            }
            if let size {
                request.sizeBytes = try Units.parseSize(size, option: "size")
                if request.sizeBytes == 0 { throw InputError("--size 0 checks nothing; give a size such as 1g") }
            }
            if let offset { request.offsetBytes = try Units.parseSize(offset, option: "offset") }
            if let direct { request.direct = try RawJobOptions.direct(direct) }
            if let verify { request.mode = try VerifyMode.parse(verify) }
        } catch {
            throw ValidationError(error.message)
        }
        request.requireNewestRun = requireNewestRun
        RunControl.shared.installSignalHandlers()
        let report: TargetVerifyReport
        do { report = try TargetVerifier.verify(request) } catch { throw reported(error) }
        let v = report.result
        for f in v.firstFailures { printError("tierbench: verify: \(f.message)") }
        var runs = ""
        if let newest = report.newestRun {
            runs = "; \(report.runs) writing run\(report.runs == 1 ? "" : "s"), the newest (\(newest)) wrote \(report.newestRunBlocks) blocks"
        }
        writeAll(1, "\(report.path): offset \(report.offsetBytes), \(report.lengthBytes) bytes in blocks of \(report.blockSizeBytes): \(summary(v))\(runs)\n")
        if v.failures > 0 { throw ExitCode(4) }
    }
}
