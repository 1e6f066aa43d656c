import Workload

extension FioOptionTable {
    /// fio's log files.
    static let logOptions = Family(
        names: ["write_bw_log", "write_iops_log", "write_lat_log", "write_hist_log", "log_hist_msec", "log_hist_coarseness", "log_avg_msec", "log_offset", "per_job_logs"],
        flags: ["log_offset", "per_job_logs"],
        // A bare log option is fio's "the job's name" as the prefix.
        bare: ["write_bw_log": "", "write_iops_log": "", "write_lat_log": "", "write_hist_log": ""],
        map: mapLog)

    private static func mapLog(_ name: String, _ value: String, _ c: Context) throws(FioValues.Failure) -> Outcome? {
        switch name {
        case "log_avg_msec", "log_hist_msec", "log_hist_coarseness":
            return .set([(name.replacingOccurrences(of: "_", with: "-"), try FioValues.integer(value))])
        case "log_offset", "per_job_logs":
            return .set([(name.replacingOccurrences(of: "_", with: "-"), try FioValues.bool(value) ? "1" : "0")])
        case "write_bw_log", "write_iops_log", "write_lat_log", "write_hist_log": return .set([(name.replacingOccurrences(of: "_", with: "-"), value)])
        default: return nil
        }
    }
}
