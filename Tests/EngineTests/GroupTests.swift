import Foundation
import Glibc
import Testing
@testable import Harness
@testable import Report
import Workload
import TestSupport

/// fio's stonewall, new_group and group_reporting through the real Runner.
@Suite(.serialized) struct GroupTests {
    /// Two time-based 1 s jobs on a tmpfs file (buffered), paced so they do not compete for the CPU.
    func jobs(stonewallSecond: Bool, newGroupSecond: Bool = false, groupReporting: Bool = false) -> [JobSpec] {
        var a = JobSpec(name: "a", rw: .randread, iodepth: 2, sizeBytes: 8 << 20, runtimeNanoseconds: 1_000_000_000,
                        timeBased: true, direct: false)
        a.rateIops = DirectionLimits(read: 2000, write: nil)
        var b = a
        b.name = "b"
        b.rw = .randwrite
        b.rateIops = DirectionLimits(read: nil, write: 1000)
        b.offsetBytes = 8 << 20
        b.stonewall = stonewallSecond ? true : nil
        b.newGroup = newGroupSecond ? true : nil
        if groupReporting { a.groupReporting = true; b.groupReporting = true }
        return [a, b]
    }

    func target() -> (String, () -> Void) {
        let dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/var/tmp"
        let path = "\(dir)/tierbench-groups-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).dat"
        return (path, { unlink(path) })
    }

    func spans(_ r: RunResult) -> [(start: UInt64, end: UInt64)] {
        r.jobs.map { ($0.measuredStartNs, $0.measuredStartNs + $0.runtimeNs) }
    }

    @Test func jobsWithoutStonewallRunAtTheSameTime() throws {
        let (path, remove) = target()
        defer { remove() }
        let r = try run(jobs(stonewallSecond: false), target: path) { $0.overwrite = true }
        let s = spans(r)
        try #require(s.count == 2)
        #expect(s[0].start < s[1].end && s[1].start < s[0].end, "measured spans do not overlap: \(s)")
        #expect(r.jobs.map(\.groupIndex) == [0, 0], "one reporting group")
        #expect(r.groups == nil)
        #expect((r.jobs[0].read?.ios ?? 0) > 1500 && (r.jobs[1].write?.ios ?? 0) > 700)
    }

    @Test func stonewallRunsTheSecondJobAfterTheFirst() throws {
        let (path, remove) = target()
        defer { remove() }
        let r = try run(jobs(stonewallSecond: true), target: path) { $0.overwrite = true }
        let s = spans(r)
        try #require(s.count == 2)
        #expect(s[1].start >= s[0].end, "the second job started before the first ended: \(s)")
        #expect(r.jobs.map(\.groupIndex) == [0, 1])
        // fio-json: groupid is the reporting group.
        let fio = try JSONSerialization.jsonObject(with: Data(try FioJSONReport.render(r).utf8)) as? [String: Any]
        let ids = (fio?["jobs"] as? [[String: Any]])?.compactMap { $0["groupid"] as? Int }
        #expect(ids == [0, 1])
    }

    @Test func newGroupStartsAReportingGroupWithoutWaiting() throws {
        let (path, remove) = target()
        defer { remove() }
        let r = try run(jobs(stonewallSecond: false, newGroupSecond: true), target: path) { $0.overwrite = true }
        let s = spans(r)
        #expect(s[0].start < s[1].end && s[1].start < s[0].end, "new_group must not wait: \(s)")
        #expect(r.jobs.map(\.groupIndex) == [0, 1])
    }

    @Test func groupReportingAddsTheGroupsJobsIntoOne() throws {
        let (path, remove) = target()
        defer { remove() }
        var specs = jobs(stonewallSecond: false, groupReporting: true)
        specs[0].numjobs = 2
        specs[0].offsetIncrementBytes = 0
        let r = try run(specs, target: path) { $0.overwrite = true }
        let groups = try #require(r.groups)
        #expect(groups.count == 1)
        let g = groups[0]
        #expect(g.jobIndices == [0, 1] && g.clones == 3 && g.name == "a")
        let reads = r.jobs.compactMap(\.read?.ios).reduce(0, +), writes = r.jobs.compactMap(\.write?.ios).reduce(0, +)
        #expect(g.read?.ios == reads && g.write?.ios == writes)
        #expect(g.read?.latNs.count == reads, "histograms added")
        #expect(g.runtimeNs == r.jobs.map(\.runtimeNs).max())
        // fio-json: one entry for the group, as fio with group_reporting.
        let fio = try JSONSerialization.jsonObject(with: Data(try FioJSONReport.render(r).utf8)) as? [String: Any]
        let entries = try #require(fio?["jobs"] as? [[String: Any]])
        #expect(entries.count == 1)
        #expect(((entries[0]["read"] as? [String: Any])?["total_ios"] as? Int) == Int(reads))
        #expect(((entries[0]["write"] as? [String: Any])?["total_ios"] as? Int) == Int(writes))
        // The tierbench/1 document with groups[] is valid against the schema.
        try validateAgainstSchema(JSONReport.render(r))
    }

    /// fio's rule (stat.c): a job with group_reporting joins the report of the job before it in
    /// the same reporting group; any other job is reported alone. Checked against fio 3.33:
    /// `[a] [b] group_reporting [c]` reports a+b and c; `[a] [b] new_group [c] stonewall
    /// group_reporting [d]` reports a, b, c and d separately.
    @Test func groupReportsFollowFiosRule() {
        func spec(_ gr: Bool = false, stonewall: Bool = false, newGroup: Bool = false) -> JobSpec {
            var j = JobSpec(name: "j", rw: .randread)
            j.groupReporting = gr ? true : nil
            j.stonewall = stonewall ? true : nil
            j.newGroup = newGroup ? true : nil
            return j
        }
        let first = [spec(), spec(true), spec()]
        #expect(Runner.groupReports(first, groups: Runner.reportingGroups(first)) == [0, 0, nil])
        let second = [spec(), spec(newGroup: true), spec(true, stonewall: true), spec()]
        #expect(Runner.groupReports(second, groups: Runner.reportingGroups(second)) == [nil, nil, 2, nil])
        let global = [spec(true), spec(true), spec(true, stonewall: true), spec(true)]
        #expect(Runner.groupReports(global, groups: Runner.reportingGroups(global)) == [0, 0, 2, 2])
    }

    /// group_reporting on the second job only: one report of both, whose intervals add up to its
    /// totals (the first job's interval records are kept too).
    @Test func aReportJoinedByALaterJobKeepsEveryJobsIntervals() throws {
        let (path, remove) = target()
        defer { remove() }
        var specs = jobs(stonewallSecond: false)
        specs[1].groupReporting = true
        let r = try run(specs, target: path) { $0.overwrite = true }
        let g = try #require(r.groups?.first)
        #expect(r.groups?.count == 1 && g.jobIndices == [0, 1])
        let intervalReads = g.intervals.compactMap(\.read?.ios).reduce(0, +), intervalWrites = g.intervals.compactMap(\.write?.ios).reduce(0, +)
        #expect(intervalReads == g.read?.ios && intervalWrites == g.write?.ios, "intervals \(intervalReads)/\(intervalWrites), totals \(g.read?.ios ?? 0)/\(g.write?.ios ?? 0)")
    }

    @Test func verifyBesideAConcurrentWriterIsRefused() throws {
        let (path, remove) = target()
        defer { remove() }
        var specs = jobs(stonewallSecond: false)
        specs[0].rw = .randwrite
        specs[0].verify = .crc32c
        #expect(throws: RunError.self) { try run(specs, target: path) { $0.overwrite = true } }
        specs[1].stonewall = true  // one after the other: fine
        let r = try run(specs, target: path) { $0.overwrite = true }
        #expect(r.jobs[0].verify?.failures == 0 && (r.jobs[0].verify?.blocksChecked ?? 0) > 0)
    }

    func validateAgainstSchema(_ document: String) throws {
        let python = "/usr/bin/python3"
        guard sh("\(python) -c 'import jsonschema'").status == 0 else {
            print("skipping the schema check: python3-jsonschema is missing")
            return
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let file = "/tmp/tierbench-groups-\(getpid()).json"
        defer { unlink(file) }
        try document.write(toFile: file, atomically: true, encoding: .utf8)
        let o = sh("\(python) \(root)/schema/validate_schema.py \(root)/schema/tierbench-1.schema.json \(file)")
        #expect(o.status == 0, "\(o.output)")
    }
}
