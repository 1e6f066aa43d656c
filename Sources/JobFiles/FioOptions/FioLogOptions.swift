import Workload

extension FioOptionTable {
    /// fio's log files.
    static let logOptions = Family(
        names: ["write_bw_log", "write_iops_log", "write_lat_log", "write_hist_log", "log_avg_msec", "log_offset", "per_job_logs"],
        flags: ["log_offset", "per_job_logs"],
        // A bare log option is fio's "the job's name" as the prefix.
        bare: ["write_bw_log": "", "write_iops_log": "", "write_lat_log": ""],
        map: mapLog)

    private static func mapLog(_ name: String, _ value: String, _ c: Context) throws(FioValues.Failure) -> Outcome? {
        switch name {
        case "log_avg_msec":
            return .set([(name.replacingOccurrences(of: "_", with: "-"), try FioValues.integer(value))])
        case "log_offset", "per_job_logs":
            return .set([(name.replacingOccurrences(of: "_", with: "-"), try FioValues.bool(value) ? "1" : "0")])
        case "write_bw_log", "write_iops_log", "write_lat_log": return .set([(name.replacingOccurrences(of: "_", with: "-"), value)])
        case "write_hist_log":
            return .unsupported("write_hist_log is valid fio but tierbench does not write fio's histogram logs yet; give write_lat_log with log_avg_msec=N (mean latencies per interval) or read the percentiles of each interval in --output-format json")
        default: return nil
        }
    }
}
