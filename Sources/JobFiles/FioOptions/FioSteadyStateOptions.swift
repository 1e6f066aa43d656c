extension FioOptionTable {
    /// Steady state (SNIA PTS style): stop a job when IOPS, bandwidth or latency is steady.
    static let steadyStateOptions = Family(
        names: ["steadystate", "steadystate_duration", "steadystate_ramp_time"],
        map: mapSteadyState)

    private static func mapSteadyState(_ name: String, _ value: String, _ c: Context) throws(FioValues.Failure) -> Outcome? {
        .unsupported("\(name) (stop when the job is steady) is valid fio but not supported yet; give runtime= and time_based for a fixed duration")
    }
}
