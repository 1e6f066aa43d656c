import Engine
import Glibc
import Harness
import Report
import Text
import Workload

/// The output formats and where each goes (`--output-format`, `--output`).
enum OutputFormat: String, CaseIterable {
    case human, json, fioJSON = "fio-json", csv, prometheus
    /// The result as one JSON Lines record, `{"type": "result", ...}` (framed for container logs).
    case jsonl
}

struct OutputPlan {
    /// Each requested format with its file, or nil for stdout (at most one).
    var destinations: [(format: OutputFormat, path: String?)]
    /// With `--status-interval`: `json` is written as JSON Lines while the run goes.
    var streamJSON: Bool

    /// Pairs the i-th `--output` with the i-th format; formats without a file go to stdout.
    init(formats text: String, outputs: [String], target: String?, streamJSON: Bool) throws(ValidationFailure) {
        var formats: [OutputFormat] = []
        for name in text.split(separator: ",", omittingEmptySubsequences: false).map({ $0.trimmingBlanks.lowercased() }) {
            guard let f = OutputFormat(rawValue: name) else {
                throw ValidationFailure("--output-format \(text): '\(name)' is not a format; use human, json, jsonl, fio-json, csv or prometheus, comma-separated")
            }
            guard !formats.contains(f) else { throw ValidationFailure("--output-format \(text) names \(name) twice; give each format once") }
            formats.append(f)
        }
        guard outputs.count <= formats.count else {
            throw ValidationFailure("--output is given \(outputs.count) times for \(formats.count) format(s); give one --output per format of --output-format, in the same order")
        }
        guard outputs.count >= formats.count - 1 else {
            throw ValidationFailure("--output-format \(text) sends \(formats.count - outputs.count) formats to stdout; give one --output FILE per format (at most one may go to stdout)")
        }
        var seen = Set<String>()
        for path in outputs {
            guard seen.insert(path).inserted else { throw ValidationFailure("--output \(path) is given twice; give each format its own file") }
            try Self.checkWritable(path, target: target)
        }
        destinations = formats.enumerated().map { i, f in (f, i < outputs.count ? outputs[i] : nil) }
        if streamJSON && !formats.contains(.json) {
            throw ValidationFailure("--status-interval streams JSON Lines; add --output-format json (or drop --status-interval)")
        }
        self.streamJSON = streamJSON
    }

    /// Refuses, before anything runs, an output that cannot be written or would clobber the target.
    static func checkWritable(_ path: String, target: String?, option: String = "--output") throws(ValidationFailure) {
        guard !path.isEmpty else { throw ValidationFailure("\(option) is empty; give a file path") }
        var st = stat()
        if stat(path, &st) == 0 {
            let kind = st.st_mode & S_IFMT
            if kind == S_IFDIR { throw ValidationFailure("\(option) \(path) is a directory; give a file path") }
            if kind == S_IFBLK { throw ValidationFailure("\(option) \(path) is a block device; give a file path") }
            if let target, let a = realPath(target), let b = realPath(path), a == b {
                throw ValidationFailure("\(option) \(path) is the benchmark target; give another file")
            }
            if access(path, W_OK) != 0 { throw ValidationFailure("\(option) \(path): \(Errno.current.text); give a writable path") }
        } else {
            let slash = path.lastIndex(of: "/")
            let dir = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
            var d = stat()
            guard stat(dir, &d) == 0, (d.st_mode & S_IFMT) == S_IFDIR else {
                throw ValidationFailure("\(option) \(path): directory \(dir) does not exist; create it or give another path")
            }
            if access(dir, W_OK) != 0 { throw ValidationFailure("\(option) \(path): cannot write in \(dir) (\(Errno.current.text)); give a writable path") }
        }
    }
}

/// A usage error found by the CLI itself (exit 2, one line).
struct ValidationFailure: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// Writes `text` to `path`: through a temporary file renamed into place for a regular file (no
/// half-written result is ever left), directly for a device or pipe (/dev/null, a FIFO).
func writeOutput(_ text: String, to path: String, option: String = "--output") throws(ValidationFailure) {
    var st = stat()
    let special = stat(path, &st) == 0 && (st.st_mode & S_IFMT) != S_IFREG
    let temp = special ? path : "\(path).tierbench-\(getpid()).tmp"
    let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw ValidationFailure("\(option) \(path): \(Errno.current.text)") }
    let ok = writeAll(fd, text)
    let syncOK = special || fsync(fd) == 0
    close(fd)
    guard ok && syncOK else {
        if !special { unlink(temp) }
        throw ValidationFailure("\(option) \(path): writing failed (\(Errno.current.text))")
    }
    if !special && rename(temp, path) != 0 {
        let e = Errno.current
        unlink(temp)
        throw ValidationFailure("\(option) \(path): \(e.text)")
    }
}

/// `--push URL`: the Pushgateway, checked before anything runs.
func pushTarget(_ url: String?) throws(ValidationFailure) -> Pushgateway? {
    guard let url else { return nil }
    do { return try Pushgateway(url) } catch { throw ValidationFailure(error.message) }
}

/// `--metric-label NAME=VALUE` (repeatable): extra identity labels on every metric and in the push's group.
func metricLabels(_ texts: [String]) throws(ValidationFailure) -> Exposition.Labels {
    do { return try Exposition.Labels.parse(texts) } catch { throw ValidationFailure(error.message) }
}

/// Pushes one run's (or check's) metrics after it ended; false (with the reason on stderr) when
/// the Pushgateway could not take them.
func pushMetrics(_ exposition: Exposition, to gateway: Pushgateway, grouping: Exposition.Labels, interrupted: Bool) -> Bool {
    if interrupted {
        printError("tierbench: note: --push: not pushed, the run was interrupted (a partial run would stand in the dashboards as a whole one)")
        return true
    }
    do { try gateway.push(exposition.render(), grouping: grouping) } catch {
        printError("tierbench: error: \(error.message)")
        return false
    }
    return true
}

/// The command line as results record it: the program as `tierbench`, then its arguments.
var recordedCommand: [String] { ["tierbench"] + CommandLine.arguments.dropFirst() }
