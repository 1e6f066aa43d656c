import Harness
import Workload

extension HumanReport {
    /// fio's `steadystate` line, one per criterion watched (each clone; a group's once):
    /// attained or not, after how long, the criterion's last value and the window's means.
    static func steadyStateLines(_ jobs: [JobResult]) -> String {
        var out = ""
        var groupsShown = Set<Int>()
        for job in jobs {
            guard let r = job.steadyState else { continue }
            let grouped = job.parameters.groupReporting == true
            if grouped && !groupsShown.insert(job.groupIndex).inserted { continue }
            let who = grouped ? "group \(job.groupIndex)" : job.parameters.numjobs > 1 ? "\(job.name).\(job.clone)" : job.name
            let measure = r.ss.hasPrefix("iops") ? "iops" : "bw"
            let what = "\(measure)\(r.ss.contains("_slope") ? " slope" : " mean dev")=\(fixed(r.criterion, 3))\(r.percent ? "%" : "")"
            let when = r.attainedAfterNs.map { "attained after \(fixed(Double($0) / 1e9, 1)) s" } ?? "not attained (ran to its end)"
            out += "\(who): steady state \(r.ss): \(when), \(what); window \(r.durationSeconds) s: \(r.iopsMean) IOPS, "
                + "\(fixed(Double(r.bwMean) / 1_048_576, 2)) MiB/s\n"
        }
        return out
    }
}
