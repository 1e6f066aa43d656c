import ArgumentParser
import Glibc
import Harness
import Report
import Workload

struct Tierbench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tierbench",
        abstract: "Storage benchmark on io_uring and O_DIRECT that knows what cloud disk tiers promise.",
        version: Runner.version,
        subcommands: [Run.self],
        defaultSubcommand: Run.self)
}

/// Ends the process with a status once output is written.
struct ExitNow: Error { let code: Int32 }

func printError(_ line: String) {
    writeAll(2, line.hasSuffix("\n") ? line : line + "\n")
}

/// Writes all of `text` to a file descriptor (stdout: 1, stderr: 2), retrying short writes.
func writeAll(_ fd: Int32, _ text: String) {
    var bytes = Array(text.utf8)
    var done = 0
    while done < bytes.count {
        let n = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return }
        done += n
    }
}

struct JobFlags: ParsableArguments {
    @Option(help: "Workload: read, write, randread, randwrite, readwrite, randrw (fio's names), or the presets seqread, seqwrite, mixed (randrw, 70% reads). Without it: the default suite.")
    var rw: String?
    @Option(parsing: .unconditional, help: "Percentage of reads in a mixed workload (0-100; fio's default 50, mixed: 70).")
    var rwmixread: String?
    @Option(parsing: .unconditional, help: "Block size, with k/m/g units (1024 base). Default 4k.")
    var bs: String?
    @Option(parsing: .unconditional, help: "I/Os in flight per job. Default 1.")
    var iodepth: String?
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

    var raw: RawJobOptions {
        var r = RawJobOptions()
        r.rw = rw; r.rwmixread = rwmixread; r.bs = bs; r.iodepth = iodepth; r.numjobs = numjobs
        r.size = size; r.offset = offset; r.offsetIncrement = offsetIncrement; r.runtime = runtime
        r.timeBased = timeBased; r.rampTime = rampTime; r.direct = direct; r.randseed = randseed
        r.norandommap = norandommap; r.ioengine = ioengine; r.continueOnError = continueOnError; r.name = name
        return r
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one workload, or the default suite (seq write/read 1m QD8, rand read/write 4k QD32, mixed 70/30 8k QD16).")

    @Option(help: "File, directory (a temporary file inside) or block device. Default: a temporary 1 GiB file under the current directory, removed afterwards.")
    var target: String?
    @OptionGroup var job: JobFlags
    @Flag(name: .customLong("allow-device-writes"), help: "Allow a job to write to a block device (destroys its data).")
    var allowDeviceWrites = false
    @Flag(help: "Allow a job to write into an existing file tierbench did not create.")
    var overwrite = false
    @Option(name: .customLong("output-format"), help: "human (default) or json.")
    var outputFormat: String = "human"
    @Flag(name: .customLong("checksum-reads"), help: "Digest every buffer read (read_digest in the JSON), to check reads against the file.")
    var checksumReads = false

    func run() throws {
        let format = outputFormat.lowercased()
        guard format == "human" || format == "json" else {
            throw ValidationError("--output-format \(outputFormat) is not a format; use human or json")
        }
        let jobs: [JobSpec]
        do { jobs = try job.raw.resolve() } catch { throw ValidationError(error.message) }
        var request = RunRequest(targetPath: target, jobs: jobs)
        request.allowDeviceWrites = allowDeviceWrites
        request.overwrite = overwrite
        request.checksumReads = checksumReads
        RunControl.shared.installSignalHandlers()
        let result: RunResult
        do {
            result = try Runner(request) { printError("tierbench: note: \($0)") }.run()
        } catch {
            printError("tierbench: error: \(error.description)")
            if case .usage = error { throw ExitNow(code: 2) }
            throw ExitNow(code: RunControl.shared.stopRequestedBy.map { 128 + $0 } ?? 1)
        }
        let text = format == "json" ? try JSONReport.render(result) : HumanReport.render(result)
        writeAll(1, text)
        for job in result.jobs where job.failed {
            printError("tierbench: error: job \(job.name) failed: \(job.firstError ?? "I/O error")")
        }
        if let signal = RunControl.shared.stopRequestedBy { throw ExitNow(code: 128 + signal) }
        if result.failed { throw ExitNow(code: 1) }
    }
}
