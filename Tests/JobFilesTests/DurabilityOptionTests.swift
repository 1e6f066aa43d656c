import Testing
import JobFiles
import Workload

/// fio's `sync` values as tierbench takes them, and the log options fio accepts without a log
/// (they do nothing there: a note says so, nothing is silent).
@Suite struct DurabilityOptionTests {
    func plan(_ text: String) throws(JobFileError) -> JobPlan { try JobPlan.make([try FioJobFile.parse(text: text, file: "t.fio")]) }

    @Test(arguments: [("1", Durability.SyncedWrites.sync), ("sync", .sync), ("SYNC", .sync), ("dsync", .dsync), ("0", nil), ("none", nil)]
          as [(String, Durability.SyncedWrites?)])
    func syncValues(_ value: String, _ expected: Durability.SyncedWrites?) throws {
        let spec = try #require(try plan("[j]\nrw=write\nsync=\(value)\n").specs.first)
        #expect(spec.durability?.syncedWrites == expected)
        #expect(spec.durability?.fsyncEvery == nil && spec.durability?.fdatasyncEvery == nil, "sync=1 issues no sync operations of its own")
    }

    @Test func syncWithFdatasyncKeepsBoth() throws {
        let d = try #require(try plan("[j]\nrw=write\nsync=dsync\nfdatasync=4\n").specs.first?.durability)
        #expect(d.syncedWrites == .dsync && d.fdatasyncEvery == 4)
    }

    @Test func logOptionsWithoutALogAreNoted() throws {
        let p = try plan("[global]\nlog_avg_msec=500\n[j]\nrw=write\nlog_offset=1\n")
        #expect(p.specs.first?.logs == nil)
        #expect(p.notes == ["t.fio:2: job `j`: log_avg_msec=500 does nothing without write_bw_log, write_iops_log or write_lat_log (as in fio); ignored",
                            "t.fio:5: job `j`: log_offset=1 does nothing without write_bw_log, write_iops_log or write_lat_log (as in fio); ignored"])
        let logged = try plan("[j]\nrw=write\nwrite_bw_log=x\nlog_avg_msec=500\n")
        #expect(logged.specs.first?.logs?.averageMilliseconds == 500 && logged.notes.isEmpty)
    }
}
