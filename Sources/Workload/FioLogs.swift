/// fio's log files for one job (`write_bw_log`, `write_iops_log`, `write_lat_log`,
/// `log_avg_msec`, `log_offset`, `per_job_logs`, `write_hist_log`): with `log_avg_msec`, one
/// line per direction per interval of it, which is the run's interval (tierbench's series);
/// without it (or 0), as fio, one line per I/O. In fio's file names and line format (HOWTO
/// "Log File Formats").
public struct FioLogs: Codable, Sendable, Equatable {
    /// Each log's prefix ("" is the job's name, as fio's bare `write_bw_log`); nil: not written.
    public var bandwidth: String?
    public var iops: String?
    public var latency: String?
    /// `write_hist_log`: fio's completion-latency histogram log (`PREFIX_clat_hist.N.log`).
    public var histogram: String?
    /// `log_hist_coarseness` (1-6; nil: 0): each step halves the histogram log's columns.
    public var histogramCoarseness: Int?
    /// `log_avg_msec`: the bw, iops and lat logs' window, ms, which is the run's interval; nil:
    /// those logs have a line per I/O (fio's log_avg_msec=0, its default).
    public var averageMilliseconds: Int?
    /// `log_hist_msec`: the histogram log's window, ms, the run's interval too (so the same as
    /// `averageMilliseconds` when both are given).
    public var histogramMilliseconds: Int?
    /// `log_offset`: the offset column (0 for averaged entries, as fio writes it).
    public var offset: Bool
    /// `per_job_logs` (fio's default 1): `PREFIX_bw.N.log` per clone, N fio's thread number; 0: `PREFIX_bw.log`.
    public var perJob: Bool

    public init(bandwidth: String? = nil, iops: String? = nil, latency: String? = nil, averageMilliseconds: Int?,
                offset: Bool = false, perJob: Bool = true) {
        self.bandwidth = bandwidth; self.iops = iops; self.latency = latency
        self.averageMilliseconds = averageMilliseconds; self.offset = offset; self.perJob = perJob
    }

    /// The bw, iops and lat logs have a line per I/O.
    public var everyIO: Bool { averageMilliseconds == nil && (bandwidth != nil || iops != nil || latency != nil) }

    /// The window the logs set for the run's interval, ms; nil: none (per-I/O logs only).
    public var intervalMilliseconds: Int? { averageMilliseconds ?? histogramMilliseconds }

    /// The shortest window: the run's interval is at least 10 ms.
    public static let minimumMilliseconds = 10
}

extension RawJobOptions {
    func resolveLogs(_ job: inout JobSpec) throws(InputError) {
        let logs = [("write_bw_log", writeBwLog), ("write_iops_log", writeIopsLog), ("write_lat_log", writeLatLog)].filter { $0.1 != nil }
        // fio accepts log_avg_msec, log_offset and per_job_logs without a log, and does nothing with them.
        guard logs.first != nil || writeHistLog != nil else { return }
        let average = try logs.first == nil ? nil : averageWindow()
        let hist = try writeHistLog == nil ? nil : histogramWindow()
        if let average, let hist, average != hist {
            throw InputError(option: "log-hist-msec", value: String(hist), " differs from \(InputError.mention("log-avg-msec", String(average))); tierbench has one interval for a run, which both set: give them the same value")
        }
        func flag(_ v: String?, default d: Bool) -> Bool {
            guard let v else { return d }
            return ["1", "true", "yes", "on"].contains(v.lowercased())
        }
        job.logs = FioLogs(bandwidth: writeBwLog, iops: writeIopsLog, latency: writeLatLog, averageMilliseconds: average,
                           offset: flag(logOffset, default: false), perJob: flag(perJobLogs, default: true))
        job.logs?.histogram = writeHistLog
        job.logs?.histogramMilliseconds = hist
        job.logs?.histogramCoarseness = try histogramCoarseness()
    }

    private func histogramWindow() throws(InputError) -> Int {
        guard let v = logHistMsec, let ms = Int(v), ms > 0 else {
            throw InputError(option: "write-hist-log", value: nil, " without \(InputError.mention("log-hist-msec")): fio then writes an empty histogram log; give \(InputError.mention("log-hist-msec", "N")), e.g. \(InputError.mention("log-hist-msec", "1000")), for one histogram line per direction every N ms")
        }
        guard ms >= FioLogs.minimumMilliseconds else {
            throw InputError(option: "log-hist-msec", value: v, " is shorter than tierbench's shortest interval, \(FioLogs.minimumMilliseconds) ms; give \(InputError.mention("log-hist-msec", String(FioLogs.minimumMilliseconds))) or more")
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

    /// log_avg_msec, ms; nil: absent or 0, fio's line per I/O.
    private func averageWindow() throws(InputError) -> Int? {
        guard let avg = logAvgMsec else { return nil }
        guard let ms = Int(avg), ms >= 0 else {
            throw InputError(option: "log-avg-msec", value: avg, " is negative; give \(InputError.mention("log-avg-msec", "N")), e.g. \(InputError.mention("log-avg-msec", "1000")), for one averaged line per direction every N ms, or leave it out for a line per I/O")
        }
        guard ms == 0 || ms >= FioLogs.minimumMilliseconds else {
            throw InputError(option: "log-avg-msec", value: avg, " is shorter than tierbench's shortest interval, \(FioLogs.minimumMilliseconds) ms; give \(InputError.mention("log-avg-msec", String(FioLogs.minimumMilliseconds))) or more, or 0 (or leave it out) for a line per I/O")
        }
        return ms == 0 ? nil : ms
    }
}
