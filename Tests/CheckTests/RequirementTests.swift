import Foundation
import Testing
@testable import Check
import Harness
import Stats
import Workload

/// The built-in requirement judges the sync operations' percentile against its bound.
@Suite struct RequirementTests {
    /// A known run (CLITests' fixture) with its syncs' durations replaced by `durations`.
    func run(syncDurations durations: [UInt64], dataOnly: Bool = true) throws -> RunResult {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("CLITests/fixtures/tierbench-randrw.json").path
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        var result = try decoder.decode(RunResult.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        var counters = SyncCounters()
        for d in durations { counters.record(dataOnly: dataOnly, issued: 1_000, completed: 1_000 + d) }
        for i in result.aggregates.indices { result.aggregates[i].sync = nil }
        if !durations.isEmpty { result.aggregates[0].sync = counters.summary(percentiles: .fioDefault) }
        return result
    }

    @Test func etcdPassesUnderTenMillisecondsAtP99AndFailsAbove() throws {
        let fast = Requirement.etcd.judge(try run(syncDurations: Array(repeating: 2_000_000, count: 995) + Array(repeating: 30_000_000, count: 5)))
        #expect(fast.passed && fast.fdatasyncs == 1000 && fast.fsyncs == 0)
        #expect(fast.measuredNs.map { $0 < 10_000_000 } == true, "\(String(describing: fast.measuredNs))")
        let slow = Requirement.etcd.judge(try run(syncDurations: Array(repeating: 2_000_000, count: 980) + Array(repeating: 30_000_000, count: 20)))
        #expect(!slow.passed && slow.measuredNs.map { $0 > 10_000_000 } == true, "2% of syncs at 30 ms: p99 above the bound")
        #expect(slow.human.contains("FAIL") && fast.human.contains("pass") && fast.human.contains("etcd.io"))
    }

    @Test func noSyncsIsAFailureThatSaysSo() throws {
        let v = Requirement.etcd.judge(try run(syncDurations: []))
        #expect(!v.passed && v.measuredNs == nil && v.note != nil)
    }

    @Test func etcdRunsFiosEtcdJob() throws {
        let job = Requirement.etcd.job
        #expect(job.rw == .write && job.blockSizeBytes == 2300 && job.sizeBytes == 22 << 20 && !job.direct && job.ioengine == .psync)
        #expect(job.durability == Durability(fdatasyncEvery: 1))
        #expect(throws: InputError.self) { try Requirement.named("zookeeper") }
        #expect(try Requirement.named("ETCD").name == "etcd")
    }
}
