import Stats
import Workload

/// fio's job sets and reporting groups: which jobs run together (`stonewall`), which share a
/// `groupid` (`stonewall`, `new_group`), and which are reported as one (`group_reporting`).
extension Runner {
    /// The jobs from one `stonewall` to the next, which run concurrently; the sets run one
    /// after another.
    static func stonewallSets(_ jobs: [JobSpec]) -> [Range<Int>] {
        var sets: [Range<Int>] = []
        var first = 0
        while first < jobs.count {
            var end = first + 1
            while end < jobs.count && jobs[end].stonewall != true { end += 1 }
            sets.append(first..<end)
            first = end
        }
        return sets
    }

    /// The reporting group of each job: a new one at the first job, at every `stonewall` and
    /// every `new_group` (fio's `groupid`).
    static func reportingGroups(_ jobs: [JobSpec]) -> [Int] {
        var group = -1
        return jobs.enumerated().map { i, job in
            if i == 0 || job.stonewall == true || job.newGroup == true { group += 1 }
            return group
        }
    }

    /// Which jobs are reported together (`group_reporting`), by fio's rule (stat.c): a job with
    /// `group_reporting` joins the report of the job before it when both are in one reporting
    /// group; any other job starts a report of its own. Returns, per job, the index of the first
    /// job of its report when that report has a `group_reporting` job (nil: reported alone).
    static func groupReports(_ jobs: [JobSpec], groups: [Int]) -> [Int?] {
        var lead: [Int] = []
        for i in jobs.indices {
            if i > 0 && jobs[i].groupReporting == true && groups[i - 1] == groups[i] { lead.append(lead[i - 1]) } else { lead.append(i) }
        }
        let reported = Set(jobs.indices.filter { jobs[$0].groupReporting == true }.map { lead[$0] })
        return jobs.indices.map { reported.contains(lead[$0]) ? lead[$0] : nil }
    }

    /// The group reports of one set of finished jobs (`finished[i]` is job `set.lowerBound + i`),
    /// each its jobs as one: every clone's counters and histograms added, interval i of every job
    /// added, rates over the longest span. `reportOf`: `groupReports` of the run's jobs.
    func groupAggregates(_ set: Range<Int>, _ finished: [FinishedJob], reportOf: [Int?]) -> [Aggregate] {
        Set(set.compactMap { reportOf[$0] }).sorted().map { lead in
            let members = set.filter { reportOf[$0] == lead }
            let parts = members.map { finished[$0 - set.lowerBound] }
            let specs = members.map { request.jobs[$0] }
            let reads = specs.contains { $0.rw.reads }, writes = specs.contains { $0.rw.writes }
            let intervals = Self.mergedIntervals(parts.map(\.records)).map { $0.sample(reads: reads, writes: writes) }
            return Aggregate(name: specs.first?.name ?? "group", scope: .group(jobIndices: members), groupIndex: parts[0].job.group,
                             outcomes: parts.flatMap(\.outcomes), intervals: intervals, reads: reads, writes: writes, summaries: summaries)
        }
    }

    /// Interval i of every job added (each list in index order, from 0).
    static func mergedIntervals(_ records: [[IntervalRecord]]) -> [IntervalRecord] {
        var merged: [IntervalRecord] = []
        for list in records {
            for r in list {
                if r.index < merged.count {
                    merged[r.index].add(r)
                    merged[r.index].startNs = min(merged[r.index].startNs, r.startNs)
                    merged[r.index].durationNs = max(merged[r.index].durationNs, r.durationNs)
                } else if r.index == merged.count {
                    merged.append(r)
                }
            }
        }
        return merged
    }
}
