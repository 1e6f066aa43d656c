/// fio's log files for one job (`write_bw_log`, `write_iops_log`, `write_lat_log`,
/// `log_avg_msec`, `log_offset`, `per_job_logs`): one line per direction per interval of
/// `log_avg_msec`, which is the run's interval (tierbench's series), in fio's file names and
/// line format (HOWTO "Log File Formats").
public struct FioLogs: Codable, Sendable, Equatable {
    /// Each log's prefix ("" is the job's name, as fio's bare `write_bw_log`); nil: not written.
    public var bandwidth: String?
    public var iops: String?
    public var latency: String?
    /// `write_hist_log`: fio's completion-latency histogram log (`PREFIX_clat_hist.N.log`).
    public var histogram: String?
    /// `log_hist_coarseness` (1-6; nil: 0): each step halves the histogram log's columns.
    public var histogramCoarseness: Int?
    /// `log_avg_msec` (or `log_hist_msec`, which must agree): the window, ms.
    public var averageMilliseconds: Int
    /// `log_offset`: the offset column (0 for averaged entries, as fio writes it).
    public var offset: Bool
    /// `per_job_logs` (fio's default 1): `PREFIX_bw.N.log` per clone, N fio's thread number; 0: `PREFIX_bw.log`.
    public var perJob: Bool

    public init(bandwidth: String? = nil, iops: String? = nil, latency: String? = nil, averageMilliseconds: Int,
                offset: Bool = false, perJob: Bool = true) {
        self.bandwidth = bandwidth; self.iops = iops; self.latency = latency
        self.averageMilliseconds = averageMilliseconds; self.offset = offset; self.perJob = perJob
    }

    /// The shortest window: the run's interval is at least 10 ms.
    public static let minimumMilliseconds = 10
}

extension RawJobOptions {
    func resolveLogs(_ job: inout JobSpec) throws(InputError) {
        let logs = [("write_bw_log", writeBwLog), ("write_iops_log", writeIopsLog), ("write_lat_log", writeLatLog)].filter { $0.1 != nil }
        // fio accepts log_avg_msec, log_offset and per_job_logs without a log, and does nothing with them.
        guard logs.first != nil || writeHistLog != nil else { return }
        let ms = try logWindow(averaged: logs.first?.0)
        func flag(_ v: String?, default d: Bool) -> Bool {
            guard let v else { return d }
            return ["1", "true", "yes", "on"].contains(v.lowercased())
        }
        job.logs = FioLogs(bandwidth: writeBwLog, iops: writeIopsLog, latency: writeLatLog, averageMilliseconds: ms,
                           offset: flag(logOffset, default: false), perJob: flag(perJobLogs, default: true))
        job.logs?.histogram = writeHistLog
        job.logs?.histogramCoarseness = try histogramCoarseness()
    }

    /// The logs' window, ms: log_avg_msec for the averaged logs, log_hist_msec for the histogram
    /// log; both are the run's one interval.
    private func logWindow(averaged first: String?) throws(InputError) -> Int {
        var ms: Int?
        if let first { ms = try averageWindow(first) }
        if writeHistLog != nil {
            let hist = try histogramWindow()
            if let ms, ms != hist {
                throw InputError("--log-hist-msec \(hist) differs from --log-avg-msec \(ms); tierbench has one interval for a run, which both set: give them the same value")
            }
            ms = hist
        }
        return ms!
    }

    private func histogramWindow() throws(InputError) -> Int {
        guard let v = logHistMsec, let ms = Int(v), ms > 0 else {
            throw InputError("--write-hist-log without log_hist_msec: fio then writes an empty histogram log; give log_hist_msec=N, e.g. log_hist_msec=1000, for one histogram line per direction every N ms")
        }
        guard ms >= FioLogs.minimumMilliseconds else {
            throw InputError("--log-hist-msec \(v) is shorter than tierbench's shortest interval, \(FioLogs.minimumMilliseconds) ms; give log_hist_msec=\(FioLogs.minimumMilliseconds) or more")
        }
        return ms
    }

    private func histogramCoarseness() throws(InputError) -> Int? {
        guard let v = logHistCoarseness else { return nil }
        guard let c = Int(v), (0...6).contains(c) else {
            throw InputError(option: "log-hist-coarseness", value: v, " is not 0 to 6; give log_hist_coarseness=0 (all of fio's bins) up to 6 (1/64 of them)")
        }
        return c == 0 ? nil : c
    }

    private func averageWindow(_ first: String) throws(InputError) -> Int {
        guard let avg = logAvgMsec, let ms = Int(avg), ms > 0 else {
            throw InputError("--\(first.replacingOccurrences("_", "-")) without log_avg_msec: fio then logs every I/O, which tierbench does not do (a line per I/O would cost the I/O loop an allocation or a lock); give log_avg_msec=N, e.g. log_avg_msec=1000, for one averaged line per direction every N ms")
        }
        guard ms >= FioLogs.minimumMilliseconds else {
            throw InputError("--log-avg-msec \(avg) is shorter than tierbench's shortest interval, \(FioLogs.minimumMilliseconds) ms; give log_avg_msec=\(FioLogs.minimumMilliseconds) or more")
        }
        return ms
    }
}
