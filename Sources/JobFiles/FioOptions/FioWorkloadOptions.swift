import Text
import Workload

extension FioOptionTable {
    /// What and how much a job does: direction, sizes, depth, time, pacing, randomness, reporting groups.
    static let workloadOptions = Family(
        names: ["name", "description", "rw", "percentage_random", "io_size", "rwmixread", "rwmixwrite", "bs", "bsrange", "bssplit", "iodepth", "iodepth_batch_submit", "numjobs", "size", "offset", "offset_increment", "runtime", "ramp_time", "time_based", "loops", "randseed", "randrepeat", "norandommap", "random_distribution", "rate", "rate_iops", "thinktime", "thinktime_blocks", "stonewall", "new_group", "group_reporting", "percentile_list", "continue_on_error"],
        flags: ["group_reporting", "new_group", "norandommap", "randrepeat", "stonewall", "time_based"],
        map: mapWorkload)

    private static func mapWorkload(_ name: String, _ value: String, _ c: Context) throws(FioValues.Failure) -> Outcome? {
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
            let n = random ? try FioValues.integer(parts[1]) : String(try FioValues.size(parts[1], kbBase: c.kbBase))
            return .set([("rw", "\(parts[0]):\(n)")])
        case "percentage_random": return .set([("percentage-random", try FioValues.integers(value))])
        case "io_size": return .set([("io-size", String(try FioValues.size(value, kbBase: c.kbBase)))])
        case "rwmixread": return .set([("rwmixread", try FioValues.integer(value))])
        case "rwmixwrite":
            let w = try FioValues.integer(value)
            guard let n = Int(w), n <= 100 else { throw FioValues.Failure(value: value, " is outside 0-100") }
            return .set([("rwmixread", String(100 - n))])
        case "bs": return .set([("bs", try FioValues.sizes(value, kbBase: c.kbBase))])
        case "bsrange": return .set([("bsrange", try FioValues.ranges(value, kbBase: c.kbBase))])
        case "bssplit": return .set([("bssplit", try FioValues.bssplit(value, kbBase: c.kbBase))])
        case "iodepth": return .set([("iodepth", try FioValues.integer(value))])
        case "iodepth_batch_submit": return .set([("iodepth-batch", try FioValues.integer(value))])
        case "numjobs": return .set([("numjobs", try FioValues.integer(value))])
        case "size":
            if value.hasSuffix("%") { return .set([("size", value.trimmingBlanks)]) }  // of the target, at run time
            return .set([("size", String(try FioValues.size(value, kbBase: c.kbBase)))])
        case "offset": return .set([("offset", String(try FioValues.size(value, kbBase: c.kbBase)))])
        case "offset_increment": return .set([("offset-increment", String(try FioValues.size(value, kbBase: c.kbBase)))])
        case "runtime": return .set([("runtime", try c.time(value, "s"))])
        case "ramp_time": return .set([("ramp-time", try c.time(value, "s"))])
        case "time_based": return .set([("time-based", try FioValues.bool(value) ? "true" : "false")])
        case "loops": return .set([("loops", try FioValues.integer(value))])
        case "randseed": return .set([("randseed", try FioValues.integer(value))])
        case "randrepeat":
            if try FioValues.bool(value) { return .set([]) }  // tierbench's default: the same seed every run
            return .set([("randseed", String(UInt64.random(in: 0...UInt64.max)))], note: "randrepeat=0: a random seed for this run")
        case "norandommap": return .set([("norandommap", try FioValues.bool(value) ? "true" : "false")])
        case "random_distribution": return .set([("random-distribution", value)])
        case "rate": return .set([("rate", try FioValues.sizes(value, kbBase: c.kbBase))])
        case "rate_iops": return .set([("rate-iops", try FioValues.integers(value))])
        case "thinktime": return .set([("thinktime", try c.time(value, "us"))])
        case "thinktime_blocks": return .set([("thinktime-blocks", try FioValues.integer(value))])
        case "stonewall": return .set([("stonewall", try FioValues.bool(value) ? "true" : "false")])
        case "new_group": return .set([("new-group", try FioValues.bool(value) ? "true" : "false")])
        case "group_reporting": return .set([("group-reporting", try FioValues.bool(value) ? "true" : "false")])
        case "percentile_list":
            return .set([("percentiles", value.split(separator: ":").map { $0.trimmingBlanks }.joined(separator: ","))])
        case "continue_on_error":
            switch value.lowercased() {
            case "0", "none": return .set([("continue-on-error", "false")])
            case "1", "all": return .set([("continue-on-error", "true")])
            default: return .unsupported("continue_on_error=\(value) is valid fio but tierbench continues on all errors or none; give all or none")
            }
        default: return nil
        }
    }
}
