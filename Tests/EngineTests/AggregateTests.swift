import Foundation
import Testing
import TestSupport
@testable import Harness

/// One aggregate type for a job's clones and a reporting group's jobs: the JSON keeps the keys
/// of each (schema/tierbench-1.schema.json: `aggregate` has job_index, `groupAggregate` job_indices).
@Suite struct AggregateTests {
    static func aggregate(_ scope: Aggregate.Scope) -> Aggregate {
        Aggregate(name: "a", scope: scope, groupIndex: 1, clones: 3, runtimeNs: 5, read: nil, write: nil, intervals: [],
                  cpu: CPUUsage(), errors: ["EIO": 1], interrupted: false, failed: true)
    }

    static func keys(_ a: Aggregate) throws -> Set<String> {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let object = try JSONSerialization.jsonObject(with: encoder.encode(a)) as? [String: Any]
        return Set(try #require(object).keys)
    }

    static func roundTrip(_ a: Aggregate) throws -> Aggregate {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Aggregate.self, from: encoder.encode(a))
    }

    @Test func aJobsAggregateHasJobIndexAGroupsJobIndices() throws {
        let common: Set = ["name", "group_index", "clones", "measured_span_ns", "intervals", "cpu", "errors", "interrupted", "failed"]
        #expect(try Self.keys(Self.aggregate(.job(index: 4))) == common.union(["job_index"]))
        #expect(try Self.keys(Self.aggregate(.group(jobIndices: [2, 3]))) == common.union(["job_indices"]))
    }

    @Test func theScopeReadsBack() throws {
        let job = try Self.roundTrip(Self.aggregate(.job(index: 4)))
        #expect(job.scope == .job(index: 4) && job.jobIndex == 4 && job.jobIndices == [4])
        let group = try Self.roundTrip(Self.aggregate(.group(jobIndices: [2, 3])))
        #expect(group.scope == .group(jobIndices: [2, 3]) && group.jobIndex == 2)
        #expect(group.clones == 3 && group.errors == ["EIO": 1] && group.failed && group.runtimeNs == 5)
    }
}
