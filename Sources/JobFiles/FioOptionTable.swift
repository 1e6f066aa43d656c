import Foundation
import Text
import Workload

/// How each fio option maps onto tierbench's options (`TierbenchOptions`): supported with fio's
/// meaning, or refused by name. An option fio knows (`FioOptionNames`) that is not handled here is
/// refused as "valid fio but not supported"; one fio does not know is unknown ("did you mean").
enum FioOptionTable {
    /// fio's aliases (options.c `alias`), to the name this table uses: every alias fio 3.33 has,
    /// as `fio --cmdhelp=NAME` and `fio --enghelp=ENGINE,NAME` report them (checked against fio
    /// by `AliasTests`). Mostly alias -> fio's canonical name; for `iodepth_batch` (canonical in
    /// fio) the table uses its alias `iodepth_batch_submit`. `proto` is an alias in two engines
    /// (net's `protocol`, rdma's `verb`); neither is supported, so either refusal is right.
    static let aliases: [String: String] = [
        "readwrite": "rw", "blocksize": "bs", "blocksize_range": "bsrange", "blockalign": "ba",
        "blocksize_unaligned": "bs_unaligned", "iomem": "mem", "mem_align": "iomem_align", "io_limit": "io_size",
        "iodepth_batch": "iodepth_batch_submit", "iodepth_batch_complete": "iodepth_batch_complete_min",
        "wait_for_previous": "stonewall", "timeout": "runtime", "fileoffset": "offset", "nr_files": "nrfiles",
        "ratemin": "rate_min", "ratecycle": "rate_cycle", "disable_bw": "disable_bw_measurement", "fill_fs": "fill_device",
        "ss": "steadystate", "ss_dur": "steadystate_duration", "ss_ramp": "steadystate_ramp_time", "proto": "protocol",
    ]

    /// fio's engine options and the engines that have them (`fio --enghelp=ENGINE`, fio 3.33:
    /// engines/io_uring.c, engines/sync.c for pvsync2, engines/libaio.c); fio accepts one only
    /// after `ioengine=` names such an engine.
    static let engineOptions: [String: [String]] = {
        var table: [String: [String]] = [:]
        let engines: [(String, [String])] = [
            ("io_uring", ["hipri", "cmdprio_percentage", "cmdprio_class", "cmdprio", "cmdprio_bssplit", "fixedbufs", "registerfiles",
                          "sqthread_poll", "sqthread_poll_cpu", "nonvectored", "uncached", "nowait", "force_async", "cmd_type"]),
            ("pvsync2", ["hipri", "hipri_percentage", "uncached", "nowait"]),
            ("libaio", ["userspace_reap", "cmdprio_percentage", "cmdprio_class", "cmdprio", "cmdprio_bssplit", "nowait"]),
        ]
        for (engine, options) in engines { for o in options { table[o, default: []].append(engine) } }
        return table
    }()

    /// fio's engine names as fio finds them (ioengines.c: `aio` is `libaio`).
    static func engineName(_ value: String) -> String {
        let v = value.lowercased()
        return v == "aio" ? "libaio" : v
    }

    /// Single numbers (sizes, counts, times) whose value may be an expression without parentheses.
    static let numeric: Set<String> = [
        "bs", "iodepth", "iodepth_batch_submit", "numjobs", "size", "io_size", "offset", "offset_increment", "runtime", "ramp_time",
        "loops", "rwmixread", "rwmixwrite", "thinktime", "thinktime_blocks", "verify_backlog", "randseed", "rate", "rate_iops",
    ]

    enum Outcome {
        /// tierbench options to set (key, value), and a note to print once.
        case set([(String, String)], note: String? = nil)
        /// Valid fio, not supported by tierbench (or not with this value).
        case unsupported(String)
        /// Not a valid value for the option.
        case invalid(FioValues.Failure)
    }

    struct Context {
        var kbBase: Int
        /// A time value came from an arithmetic expression (fio's unit for those: microseconds).
        var isExpression: Bool
    }

    /// Maps one option (canonical name, value as written after substitution; nil for a bare flag).
    static func map(_ name: String, _ value: String?, _ c: Context) -> Outcome {
        do throws(FioValues.Failure) {
            return try mapThrowing(name, value, c)
        } catch {
            return .invalid(error)
        }
    }

    static func mapThrowing(_ name: String, _ given: String?, _ c: Context) throws(FioValues.Failure) -> Outcome {
        let flagOptions: Set<String> = ["time_based", "norandommap", "stonewall", "new_group", "group_reporting", "direct",
                                        "buffered", "thread", "fixedbufs", "registerfiles", "randrepeat", "do_verify", "gtod_reduce",
                                        "overwrite", "create_on_open", "allow_file_create", "invalidate",
                                        "sqthread_poll", "hipri", "nonvectored",
                                        "refill_buffers", "scramble_buffers", "zero_buffers", "log_offset", "per_job_logs",
                                        "end_fsync", "fsync_on_close"]
        // A bare log option is fio's "the job's name" as the prefix.
        if given == nil, ["write_bw_log", "write_iops_log", "write_lat_log"].contains(name) {
            return .set([(name.replacingOccurrences(of: "_", with: "-"), "")])
        }
        guard let value = given ?? (flagOptions.contains(name) ? "1" : nil) else {
            if FioOptionNames.all.contains(name) && !handled.contains(name) { return .unsupported(unsupported(name)) }
            throw FioValues.Failure("needs a value, e.g. \(name)=...")
        }
        let kb = c.kbBase
        func time(_ unit: String) throws(FioValues.Failure) -> String { try FioValues.time(value, defaultUnit: c.isExpression ? "us" : unit) }
        switch name {
        case "name": return .set([("name", value)])
        case "description": return .set([])  // free text; fio only prints it
        case "rw":
            let parts = value.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            if ["trim", "randtrim", "trimwrite", "randtrimwrite"].contains(parts[0].lowercased()) {
                return .unsupported("rw=\(value) is valid fio but tierbench does not issue trims; give read, write, randread, randwrite, rw or randrw")
            }
            guard parts.count == 2 else { return .set([("rw", value)]) }
            // fio's offset modifier: a hole in bytes after each sequential I/O, or for a random
            // job the number of I/Os per random offset (options.c str_rw_cb).
            let random = (try? ReadWrite.parse(parts[0]).0.isRandom) ?? false
            let n = random ? try FioValues.integer(parts[1]) : String(try FioValues.size(parts[1], kbBase: kb))
            return .set([("rw", "\(parts[0]):\(n)")])
        case "percentage_random": return .set([("percentage-random", try FioValues.integers(value))])
        case "io_size": return .set([("io-size", String(try FioValues.size(value, kbBase: kb)))])
        case "invalidate": return .set([("invalidate", try FioValues.bool(value) ? "1" : "0")])
        case "cpus_allowed":
            do { return .set([("cpus-allowed", try CPUList.parse(value).map(String.init).joined(separator: ","))]) } catch { throw FioValues.Failure(error) }
        case "rwmixread": return .set([("rwmixread", try FioValues.integer(value))])
        case "rwmixwrite":
            let w = try FioValues.integer(value)
            guard let n = Int(w), n <= 100 else { throw FioValues.Failure(value: value, " is outside 0-100") }
            return .set([("rwmixread", String(100 - n))])
        case "bs": return .set([("bs", try FioValues.sizes(value, kbBase: kb))])
        case "bsrange": return .set([("bsrange", try FioValues.ranges(value, kbBase: kb))])
        case "bssplit": return .set([("bssplit", try FioValues.bssplit(value, kbBase: kb))])
        case "iodepth": return .set([("iodepth", try FioValues.integer(value))])
        case "iodepth_batch_submit": return .set([("iodepth-batch", try FioValues.integer(value))])
        case "numjobs": return .set([("numjobs", try FioValues.integer(value))])
        case "size":
            if value.hasSuffix("%") { return .set([("size", value.trimmingBlanks)]) }  // of the target, at run time
            return .set([("size", String(try FioValues.size(value, kbBase: kb)))])
        case "offset": return .set([("offset", String(try FioValues.size(value, kbBase: kb)))])
        case "offset_increment": return .set([("offset-increment", String(try FioValues.size(value, kbBase: kb)))])
        case "runtime": return .set([("runtime", try time("s"))])
        case "ramp_time": return .set([("ramp-time", try time("s"))])
        case "time_based": return .set([("time-based", try FioValues.bool(value) ? "true" : "false")])
        case "loops": return .set([("loops", try FioValues.integer(value))])
        case "direct": return .set([("direct", try FioValues.bool(value) ? "1" : "0")])
        case "buffered": return .set([("direct", try FioValues.bool(value) ? "0" : "1")])
        case "randseed": return .set([("randseed", try FioValues.integer(value))])
        case "randrepeat":
            if try FioValues.bool(value) { return .set([]) }  // tierbench's default: the same seed every run
            return .set([("randseed", String(UInt64.random(in: 0...UInt64.max)))], note: "randrepeat=0: a random seed for this run")
        case "norandommap": return .set([("norandommap", try FioValues.bool(value) ? "true" : "false")])
        case "random_distribution": return .set([("random-distribution", value)])
        case "rate": return .set([("rate", try FioValues.sizes(value, kbBase: kb))])
        case "rate_iops": return .set([("rate-iops", try FioValues.integers(value))])
        case "thinktime": return .set([("thinktime", try time("us"))])
        case "thinktime_blocks": return .set([("thinktime-blocks", try FioValues.integer(value))])
        case "stonewall": return .set([("stonewall", try FioValues.bool(value) ? "true" : "false")])
        case "new_group": return .set([("new-group", try FioValues.bool(value) ? "true" : "false")])
        case "group_reporting": return .set([("group-reporting", try FioValues.bool(value) ? "true" : "false")])
        case "percentile_list":
            return .set([("percentiles", value.split(separator: ":").map { $0.trimmingBlanks }.joined(separator: ","))])
        case "filename":
            if value.contains(":") { return .unsupported("filename=\(value) names several files (':'); tierbench runs on one target, give one filename") }
            return .set([("filename", value)])
        case "directory":
            if value.contains(":") { return .unsupported("directory=\(value) names several directories (':'); give one") }
            // As fio ("... is not a directory"), with or without filename: a missing directory
            // would otherwise become a regular file at that path.
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: value, isDirectory: &isDirectory) else {
                throw FioValues.Failure(value: value, " does not exist; create the directory first (fio refuses it too)")
            }
            guard isDirectory.boolValue else { throw FioValues.Failure(value: value, " is not a directory; give a directory (or filename= for a file)") }
            return .set([("directory", value)])
        case "nrfiles":
            return try FioValues.integer(value) == "1" ? .set([]) : .unsupported("nrfiles=\(value): tierbench runs on one file; give nrfiles=1")
        case "fsync", "fdatasync": return .set([(name, try FioValues.integer(value))])
        case "sync":
            switch value.lowercased() {
            case "0", "none": return .set([])
            case "1", "sync", "dsync":
                return .unsupported("sync=\(value) (every write opened O_\(value.lowercased() == "dsync" ? "DSYNC" : "SYNC")) is valid fio but not supported yet; give \(value.lowercased() == "dsync" ? "fdatasync" : "fsync")=1 (a sync after every write, timed on its own) instead")
            default: throw FioValues.Failure(value: value, " is not none, 0, sync, 1 or dsync")
            }
        case "end_fsync", "fsync_on_close":
            return .set([(name.replacingOccurrences(of: "_", with: "-"), try FioValues.bool(value) ? "1" : "0")])
        case "do_verify":
            return try FioValues.bool(value) ? .set([]) : .unsupported("do_verify=0 (write verify headers, never check them) is valid fio but not supported")
        case "verify":
            switch value.lowercased() {
            case "0", "null": return .set([])
            case "crc32c", "crc32c-intel": return .set([("verify", "crc32c")])
            default: return .unsupported("verify=\(value) is valid fio but tierbench verifies with crc32c only; give verify=crc32c")
            }
        case "verify_backlog": return .set([("verify-backlog", try FioValues.integer(value))])
        case "continue_on_error":
            switch value.lowercased() {
            case "0", "none": return .set([("continue-on-error", "false")])
            case "1", "all": return .set([("continue-on-error", "true")])
            default: return .unsupported("continue_on_error=\(value) is valid fio but tierbench continues on all errors or none; give all or none")
            }
        case "ioengine":
            switch value.lowercased() {
            case "io_uring": return .set([("ioengine", "io_uring")])
            case "libaio": return .set([("ioengine", "io_uring")], note: "ioengine=libaio runs on tierbench's io_uring engine (the nearest)")
            case "aio": return .set([("ioengine", "io_uring")], note: "ioengine=aio (fio's name for libaio) runs on tierbench's io_uring engine (the nearest)")
            case "psync": return .set([("ioengine", "psync")])
            case "sync", "pvsync", "pvsync2":
                return .set([("ioengine", "psync")], note: "ioengine=\(value) runs on tierbench's psync engine (the nearest)")
            default: return .unsupported("ioengine=\(value) is valid fio but tierbench has io_uring and psync only (libaio and the sync engines run on the nearest)")
            }
        case "fixedbufs", "registerfiles":
            // tierbench always registers the file and buffers up to 64 KiB; it cannot turn that off.
            return try FioValues.bool(value) ? .set([]) : .unsupported("\(name)=0 is valid fio but tierbench always registers the file and buffers up to 64 KiB")
        case "thread":
            return try FioValues.bool(value) ? .set([])
                : .set([], note: "thread=0: tierbench runs every job as threads of one process (fio's thread=1); the I/O is the same")
        case "gtod_reduce":
            return try FioValues.bool(value)
                ? .set([], note: "gtod_reduce=1: not needed; tierbench's timing is already cheap (two clock reads per batch of I/Os) and it keeps every latency number")
                : .set([])
        case "clocksource":
            guard ["gettimeofday", "clock_gettime", "cpu"].contains(value.lowercased()) else {
                throw FioValues.Failure(value: value, " is not a clock source; fio has gettimeofday, clock_gettime and cpu")
            }
            return .set([], note: "clocksource=\(value): tierbench always times with clock_gettime(CLOCK_MONOTONIC)")
        case "overwrite":
            return try FioValues.bool(value)
                ? .set([], note: "overwrite=1: tierbench writes a new file in full before jobs that read it; a write job on a new file writes into its preallocated (posix_fallocate) blocks")
                : .set([])
        case "fallocate":
            switch value.lowercased() {
            case "native", "posix", "1": return .set([])  // fio's default, and what tierbench does for a new file
            case "none", "0", "keep", "truncate":
                return .set([], note: "fallocate=\(value): tierbench always preallocates a new file with posix_fallocate (fio's fallocate=posix)")
            default: throw FioValues.Failure(value: value, " is not a fallocate mode; fio has none, native, posix, keep and truncate")
            }
        case "create_on_open":
            return try FioValues.bool(value)
                ? .set([], note: "create_on_open=1: tierbench creates a new file before the jobs start, not when a job opens it; the I/O is the same")
                : .set([])
        case "allow_file_create":
            return try FioValues.bool(value) ? .set([])
                : .unsupported("allow_file_create=0 (never create a file) is valid fio but tierbench creates a missing target (and removes it after the run); remove the option and give an existing file")
        case "mem":
            return value.lowercased() == "malloc" ? .set([]) : .unsupported("mem=\(value) is valid fio but tierbench allocates aligned buffers itself (mem=malloc)")
        case "hipri", "hipri_percentage":
            return .unsupported("\(name) (polled completions, RWF_HIPRI) is valid fio but tierbench does not poll for completions; remove it (latencies then include the completion interrupt, as in fio without it)")
        case "kb_base":
            guard value == "1000" || value == "1024" else { throw FioValues.Failure(value: value, " is not 1000 or 1024") }
            return .set([])  // applied by the parser to the section's sizes
        case "buffer_compress_percentage", "dedupe_percentage", "log_avg_msec":
            return .set([(name.replacingOccurrences(of: "_", with: "-"), try FioValues.integer(value))])
        case "buffer_compress_chunk": return .set([("buffer-compress-chunk", String(try FioValues.size(value, kbBase: kb)))])
        case "refill_buffers", "scramble_buffers", "zero_buffers", "log_offset", "per_job_logs":
            return .set([(name.replacingOccurrences(of: "_", with: "-"), try FioValues.bool(value) ? "1" : "0")])
        case "buffer_pattern":
            guard WriteData.parsePattern(value) != nil else {
                throw FioValues.Failure("\(value) is not a pattern tierbench reads; give hex (0xdeadbeef), a number or a quoted string (\"abc\"); fio's %o/%t formats are not supported")
            }
            return .set([("buffer-pattern", value)])
        case "write_bw_log", "write_iops_log", "write_lat_log": return .set([(name.replacingOccurrences(of: "_", with: "-"), value)])
        case "write_hist_log":
            return .unsupported("write_hist_log is valid fio but tierbench does not write fio's histogram logs yet; give write_lat_log with log_avg_msec=N (mean latencies per interval) or read the percentiles of each interval in --output-format json")
        default:
            return .unsupported(unsupported(name))
        }
    }

    static func unsupported(_ name: String) -> String { "valid fio option, but tierbench does not support it" }

    /// Options the table handles (for messages and docs/job-files.md).
    static let handled: Set<String> = [
        "name", "description", "rw", "rwmixread", "rwmixwrite", "bs", "bsrange", "bssplit", "iodepth", "iodepth_batch_submit",
        "numjobs", "size", "offset", "offset_increment", "runtime", "ramp_time", "time_based", "loops", "direct", "buffered",
        "randseed", "randrepeat", "norandommap", "random_distribution", "rate", "rate_iops", "thinktime", "thinktime_blocks",
        "stonewall", "new_group", "group_reporting", "percentile_list", "filename", "directory", "nrfiles", "fsync",
        "do_verify", "verify", "verify_backlog", "continue_on_error", "ioengine", "fixedbufs", "registerfiles", "thread",
        "mem", "kb_base", "buffer_compress_percentage", "buffer_compress_chunk", "dedupe_percentage", "refill_buffers",
        "scramble_buffers", "buffer_pattern", "zero_buffers", "write_bw_log", "write_iops_log", "write_lat_log",
        "log_avg_msec", "log_offset", "per_job_logs", "fdatasync", "end_fsync", "fsync_on_close", "sync",
        "percentage_random", "io_size", "invalidate", "cpus_allowed", "gtod_reduce", "clocksource", "overwrite", "fallocate",
        "create_on_open", "allow_file_create",
    ]
}
