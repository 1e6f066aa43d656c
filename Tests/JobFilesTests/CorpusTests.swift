import Foundation
import Testing
@testable import JobFiles
import TestSupport

/// Every file in `corpus/` is parsed by tierbench and by real fio (`fio --showcmd`, which prints
/// the options of each job as fio parsed them: aliases resolved, `${VAR}`, keywords and arithmetic
/// substituted). Per job, the options fio saw must be exactly the options tierbench took, with
/// the same values once both are normalised here (sizes to bytes with the file's `kb_base`, times
/// to nanoseconds with the option's default unit, lists element by element). The normalisation is
/// this file's own, not the parser's, so a unit or alias mistake in the parser fails here.
@Suite struct CorpusTests {
    static let environment = ["TB_SIZE": "3m", "TB_RW": "randwrite"]

    /// `--showcmd` cannot show a global section that follows a job (it prints its options after
    /// that job's, as if they were that job's): such files are checked in `testGlobalAfterJobAppliesBelowOnly`.
    static let showcmdAmbiguous: Set<String> = ["27-globals-after-jobs.fio"]

    static var corpusFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: corpusDirectory)) ?? []).filter { $0.hasSuffix(".fio") }.sorted()
    }

    @Test func corpusHasTwentyFiles() {
        #expect(Self.corpusFiles.count - Self.showcmdAmbiguous.count >= 20)
    }

    @Test func corpusMatchesFioShowcmd() throws {
        guard let fio = fioPath else { try Test.cancel("fio is not installed: the corpus cannot be compared with fio --showcmd") }
        var compared = 0
        for name in Self.corpusFiles where !Self.showcmdAmbiguous.contains(name) {
            let path = "\(corpusDirectory)/\(name)"
            let out = try execute(fio, ["--showcmd", path], environment: Self.environment)
            #expect(out.status == 0, "\(name): fio --showcmd failed: \(out.stderr)")
            #expect(!(out.stderr.contains("fio:")), "\(name): fio complained: \(out.stderr)")
            let fioJobs = Self.parseShowcmd(out.stdout)
            let parsed: ParsedJobFile
            do {
                parsed = try FioJobFile.parse(path: path, environment: Self.environment)
            } catch {
                Issue.record("\(name): tierbench refused it: \(error)")
                continue
            }
            #expect(parsed.jobs.map(\.name) == fioJobs.map(\.name), "\(name): job names")
            for (job, fioJob) in zip(parsed.jobs, fioJobs) {
                let expected = Self.expected(fioJob.options)
                var actual: [String: String] = [:]
                for e in job.effective where e.key != "name" {
                    switch e.origin {
                    case .global, .job: actual[e.key] = Self.normalise(e.key, e.value, kbBase: 1024)
                    default: break
                    }
                }
                #expect(actual == expected, "\(name) [\(job.name)]: tierbench's options (left) differ from fio's (right)")
            }
            compared += 1
        }
        print("corpus: \(compared) files compared with \(fio) --showcmd")
        #expect(compared >= 20)
    }

    @Test func globalAfterJobAppliesBelowOnly() throws {
        let parsed = try FioJobFile.parse(path: "\(corpusDirectory)/27-globals-after-jobs.fio")
        #expect(parsed.jobs.map(\.name) == ["a", "b"])
        #expect(parsed.jobs[0].value("bs") == nil)
        #expect(parsed.jobs[1].value("bs") == "65536")
        #expect(parsed.jobs[1].entry("bs")?.origin == .global(file: "\(corpusDirectory)/27-globals-after-jobs.fio", line: 7))
    }

    // MARK: fio's side

    struct FioJob { var name: String; var options: [(String, String?)] }

    /// `fio --a=1 --name=x --b= 4k --c`: options before the first `--name` are global; each
    /// `--name` starts a job that has the global ones first.
    static func parseShowcmd(_ text: String) -> [FioJob] {
        var line = String(text.split(separator: "\n").first ?? "")
        if line.hasPrefix("fio ") { line.removeFirst(4) }
        let tokens = (" " + line).components(separatedBy: " --").dropFirst().map { $0.trimmingCharacters(in: .whitespaces) }
        var global: [(String, String?)] = []
        var jobs: [FioJob] = []
        for t in tokens where !t.isEmpty {
            let parts = t.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let option = (parts[0], parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : nil)
            if option.0 == "name" {
                jobs.append(FioJob(name: option.1 ?? "", options: global))
            } else if jobs.isEmpty {
                global.append(option)
            } else {
                jobs[jobs.count - 1].options.append(option)
            }
        }
        return jobs
    }

    /// fio's options as tierbench keys and normalised values. Options whose value is fio's
    /// default behaviour and tierbench's only one (randrepeat=1, thread, ...) map to nothing.
    static func expected(_ options: [(String, String?)]) -> [String: String] {
        let kbBase = options.last { $0.0 == "kb_base" }?.1.flatMap { Int($0) } ?? 1024
        let keys: [String: String] = [
            "rw": "rw", "rwmixread": "rwmixread", "bs": "bs", "bsrange": "bsrange", "bssplit": "bssplit",
            "iodepth": "iodepth", "iodepth_batch": "iodepth-batch", "iodepth_batch_submit": "iodepth-batch",
            "numjobs": "numjobs", "size": "size", "offset": "offset", "offset_increment": "offset-increment",
            "runtime": "runtime", "ramp_time": "ramp-time", "time_based": "time-based", "loops": "loops",
            "direct": "direct", "randseed": "randseed", "norandommap": "norandommap",
            "random_distribution": "random-distribution", "rate": "rate", "rate_iops": "rate-iops",
            "thinktime": "thinktime", "thinktime_blocks": "thinktime-blocks", "stonewall": "stonewall",
            "new_group": "new-group", "group_reporting": "group-reporting", "verify": "verify",
            "verify_backlog": "verify-backlog", "do_verify": "do-verify", "verify_only": "verify-only", "filename": "filename", "directory": "directory",
            "percentile_list": "percentiles", "ioengine": "ioengine", "continue_on_error": "continue-on-error",
            "buffer_compress_percentage": "buffer-compress-percentage", "buffer_compress_chunk": "buffer-compress-chunk",
            "dedupe_percentage": "dedupe-percentage", "refill_buffers": "refill-buffers", "scramble_buffers": "scramble-buffers",
            "buffer_pattern": "buffer-pattern", "zero_buffers": "zero-buffers", "write_bw_log": "write-bw-log",
            "write_iops_log": "write-iops-log", "write_lat_log": "write-lat-log", "log_avg_msec": "log-avg-msec", "write_hist_log": "write-hist-log", "log_hist_msec": "log-hist-msec", "log_hist_coarseness": "log-hist-coarseness",
            "log_offset": "log-offset", "per_job_logs": "per-job-logs",
            "fsync": "fsync", "fdatasync": "fdatasync", "end_fsync": "end-fsync", "fsync_on_close": "fsync-on-close", "sync": "sync",
            "invalidate": "invalidate", "percentage_random": "percentage-random", "io_size": "io-size", "cpus_allowed": "cpus-allowed",
            "steadystate": "steadystate", "steadystate_duration": "steadystate-duration", "steadystate_ramp_time": "steadystate-ramp-time",
            "nrfiles": "nrfiles", "filename_format": "filename-format", "file_service_type": "file-service-type", "filesize": "filesize",
        ]
        /// Accepted with a note saying what tierbench does instead: no option of tierbench's.
        let notesOnly: Set<String> = ["gtod_reduce", "clocksource", "overwrite", "fallocate", "create_on_open", "allow_file_create"]
        let defaultsOnly: [String: String] = ["randrepeat": "1", "fixedbufs": "1", "registerfiles": "1",
                                              "thread": "1", "mem": "malloc"]
        var out: [String: String] = [:]
        for (name, value) in options {
            if name == "kb_base" || notesOnly.contains(name) { continue }
            if let d = defaultsOnly[name] {
                #expect((value ?? "1") == d, "\(name): the corpus uses only its default value")
                continue
            }
            switch name {
            case "rwmixwrite": out["rwmixread"] = String(100 - Int(value!)!)
            case "buffered": out["direct"] = bool(value) == "true" ? "false" : "true"
            case "ioengine":
                let engines = ["libaio": "io_uring", "aio": "io_uring", "io_uring": "io_uring", "psync": "psync", "sync": "psync", "pvsync": "psync", "pvsync2": "psync"]
                out["ioengine"] = engines[value!] ?? "?\(value!)"
            // One file is tierbench's (and fio's) default: no option.
            case "nrfiles" where value == "1": continue
            case "continue_on_error": out["continue-on-error"] = ["none": "false", "0": "false", "all": "true", "1": "true"][value!] ?? "?"
            // A bare log option: fio names the log after the job.
            case _ where value == nil && ["write_bw_log", "write_iops_log", "write_lat_log"].contains(name): out[keys[name]!] = ""
            default:
                guard let key = keys[name] else { Issue.record("the corpus uses \(name), which this test does not know"); continue }
                out[key] = normalise(key, value ?? "1", kbBase: kbBase)
            }
        }
        return out
    }

    // MARK: Normalisation (independent of the parser)

    static func normalise(_ key: String, _ value: String, kbBase: Int) -> String {
        switch key {
        case "size" where value.hasSuffix("%"): return value
        case "size", "offset", "offset-increment", "buffer-compress-chunk", "io-size", "filesize": return bytes(value, kbBase).map(String.init) ?? "?\(value)"
        case "rw":
            // fio's offset modifier: bytes after a sequential kind, a count after a random one.
            let parts = value.lowercased().split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return value.lowercased() }
            let n = parts[0].hasPrefix("rand") ? leadingInteger(parts[1]).map(String.init) : bytes(parts[1], kbBase).map(String.init)
            return "\(parts[0]):\(n ?? "?\(parts[1])")"
        case "cpus-allowed":
            return value.split(separator: ",").flatMap { item -> [String] in
                let ends = item.split(separator: "-").compactMap { Int($0) }
                return ends.count == 2 ? (ends[0]...ends[1]).map(String.init) : [String(item)]
            }.joined(separator: ",")
        case "bs", "rate": return list(value) { bytes($0, kbBase).map(String.init) }
        case "bsrange":
            return list(value) { r in
                let ends = r.split(whereSeparator: { $0 == "-" || $0 == ":" }).map(String.init)
                return ends.count == 2 ? "\(bytes(ends[0], kbBase) ?? 0)-\(bytes(ends[1], kbBase) ?? 0)" : nil
            }
        case "bssplit":
            return list(value) { d in
                d.split(separator: ":").map { item in
                    let p = item.split(separator: "/").map(String.init)
                    return "\(bytes(p[0], kbBase) ?? 0)" + (p.count > 1 ? "/\(p[1])" : "")
                }.joined(separator: ":")
            }
        case "runtime", "ramp-time", "steadystate-duration", "steadystate-ramp-time": return nanoseconds(value, defaultUnit: 1e9).map(String.init) ?? "?\(value)"
        case "thinktime": return nanoseconds(value, defaultUnit: 1e3).map(String.init) ?? "?\(value)"
        case "time-based", "norandommap", "stonewall", "new-group", "group-reporting", "direct", "continue-on-error",
             "refill-buffers", "scramble-buffers", "zero-buffers", "log-offset", "per-job-logs", "invalidate", "do-verify", "verify-only":
            return bool(value)
        case "percentiles":
            return value.split(whereSeparator: { $0 == ":" || $0 == "," }).map { String(Double($0) ?? -1) }.joined(separator: ",")
        case "rate-iops", "rwmixread", "iodepth", "iodepth-batch", "numjobs", "loops", "randseed", "thinktime-blocks", "verify-backlog",
             "buffer-compress-percentage", "dedupe-percentage", "log-avg-msec", "log-hist-msec", "log-hist-coarseness", "percentage-random":
            return list(value) { leadingInteger($0).map(String.init) }
        case "filename-format", "filename": return value
        default: return value.lowercased()
        }
    }

    /// A whole number as fio's strtoll reads it: its leading digits (`16*1` is 16).
    static func leadingInteger(_ text: String) -> Int? { Int(text.trimmingCharacters(in: .whitespaces).prefix { $0.isNumber }) }

    static func bool(_ v: String?) -> String { ["1", "true", "yes", "on"].contains((v ?? "1").lowercased()) ? "true" : "false" }

    /// A per-direction list element by element; an empty element (fio: that direction's default)
    /// stays empty, and an empty trim element (the third) is nothing.
    static func list(_ value: String, _ element: (String) -> String?) -> String {
        var parts = value.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        if parts.count == 3, parts[2].isEmpty { parts.removeLast() }
        return parts.map { $0.isEmpty ? "" : element($0) ?? "?\($0)" }.joined(separator: ",")
    }

    /// `1.5m`, `4KiB`, `0x1000`, `8KB`: with kb_base=1000 only the `i` spellings are powers of 1024.
    static func bytes(_ text: String, _ kbBase: Int) -> UInt64? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t.hasPrefix("0x") { return UInt64(t.dropFirst(2), radix: 16) }
        let number = t.prefix { $0.isNumber || $0 == "." }
        let unit = t.dropFirst(number.count)
        guard let n = Double(number) else { return nil }
        guard let power = ["": 0, "b": 0, "k": 1, "m": 2, "g": 3, "t": 4, "p": 5][unit.first.map { String($0) } ?? ""] else { return nil }
        let base = kbBase == 1000 && !unit.contains("i") ? 1000.0 : 1024.0
        return UInt64((n * pow(base, Double(power))).rounded())
    }

    static func nanoseconds(_ text: String, defaultUnit: Double) -> UInt64? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        let number = t.prefix { $0.isNumber || $0 == "." }
        guard let n = Double(number) else { return nil }
        let units: [String: Double] = ["": defaultUnit, "us": 1e3, "usec": 1e3, "ms": 1e6, "msec": 1e6, "s": 1e9, "sec": 1e9, "m": 60e9, "min": 60e9, "h": 3600e9, "d": 86400e9]
        guard let u = units[String(t.dropFirst(number.count))] else { return nil }
        return UInt64(n * u)
    }
}
