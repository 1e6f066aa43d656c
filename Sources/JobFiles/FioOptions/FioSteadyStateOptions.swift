import Workload

extension FioOptionTable {
    /// Steady state (fio's steadystate.c): stop a job once its IOPS or bandwidth is steady.
    static let steadyStateOptions = Family(
        names: ["steadystate", "steadystate_duration", "steadystate_ramp_time"],
        map: mapSteadyState)

    private static func mapSteadyState(_ name: String, _ value: String, _ c: Context) throws(FioValues.Failure) -> Outcome? {
        let key = name.replacingOccurrences(of: "_", with: "-")
        switch name {
        case "steadystate":
            do { _ = try SteadyState.parse(value, durationSeconds: 1) } catch { throw FioValues.Failure(error) }
            return .set([(key, value)])
        case "steadystate_duration", "steadystate_ramp_time": return .set([(key, try c.time(value, "s"))])
        default: return nil
        }
    }
}
