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

        /// A time in fio's syntax, in `unit` when it has none (microseconds for an expression).
        func time(_ value: String, _ unit: String) throws(FioValues.Failure) -> String {
            try FioValues.time(value, defaultUnit: isExpression ? "us" : unit)
        }
    }

    /// Maps one option (canonical name, value as written after substitution; nil for a bare flag).
    static func map(_ name: String, _ value: String?, _ c: Context) -> Outcome {
        do throws(FioValues.Failure) {
            return try mapThrowing(name, value, c)
        } catch {
            return .invalid(error)
        }
    }

    /// A family of options (in FioOptions/, a file each): the names it handles, those fio
    /// accepts bare (`direct` = `direct=1`) with the value a bare one means, and its mapping.
    struct Family: Sendable {
        var names: Set<String>
        var bare: [String: String]
        var map: @Sendable (String, String, Context) throws(FioValues.Failure) -> Outcome?

        init(names: Set<String>, flags: Set<String> = [], bare: [String: String] = [:],
             map: @escaping @Sendable (String, String, Context) throws(FioValues.Failure) -> Outcome?) {
            self.names = names
            self.bare = bare.merging(flags.map { ($0, "1") }) { a, _ in a }
            self.map = map
        }
    }

    static let families: [Family] = [
        workloadOptions, fileOptions, durabilityOptions, verifyOptions, engineOptionFamily, dataOptions, logOptions, steadyStateOptions,
    ]

    static let family: [String: Family] = {
        var table: [String: Family] = [:]
        for f in families { for n in f.names { precondition(table[n] == nil, "\(n) in two option families"); table[n] = f } }
        return table
    }()

    static func mapThrowing(_ name: String, _ given: String?, _ c: Context) throws(FioValues.Failure) -> Outcome {
        guard let f = family[name] else { return .unsupported(unsupported(name)) }
        guard let value = given ?? f.bare[name] else { throw FioValues.Failure("needs a value, e.g. \(name)=...") }
        return try f.map(name, value, c) ?? .unsupported(unsupported(name))
    }

    static func unsupported(_ name: String) -> String { "valid fio option, but tierbench does not support it" }

    /// Options the table handles (for messages and docs/job-files.md).
    static var handled: Set<String> { Set(family.keys) }
}
