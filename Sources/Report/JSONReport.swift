import Foundation
import Harness
import Stats

/// tierbench's JSON (`"schema": "tierbench/1"`, schema/tierbench-1.schema.json): the `RunResult`
/// with snake_case keys and units in the key names. Also the JSON Lines records of
/// `--status-interval`: one compact document per line.
public enum JSONReport {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Reads a `tierbench/1` document back (for judging results later). Explicit CodingKeys are
    /// written in camelCase whose snake_case form is the JSON key ("shortIos" <-> "short_ios"), so
    /// the one conversion works both ways.
    public static func decode(_ data: Data) throws -> RunResult {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(RunResult.self, from: data)
    }

    /// The whole result, indented.
    public static func render(_ result: RunResult) throws -> String {
        JSONLayout.pretty(Array(try encoder().encode(result)))
    }

    /// One JSON Lines record: `{"type": ..., ...}` on a single line.
    public static func line<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder().encode(value), as: UTF8.self) + "\n"
    }

    /// The final record of a JSON Lines stream: the whole result.
    public static func resultLine(_ result: RunResult) throws -> String {
        try line(ResultRecord(result: result))
    }

    /// The record of one interval of one job.
    public static func intervalLine(_ event: IntervalEvent) throws -> String {
        try line(IntervalRecordLine(event))
    }
}

/// `{"type": "interval", ...}`: one interval of one job, every clone and all together.
struct IntervalRecordLine: Encodable {
    let type = "interval"
    let schema = RunResult.schemaVersion
    /// The job's name and position, as `name` and `job_index` in `jobs` and `aggregates`.
    let name: String
    let jobIndex: Int
    let index: Int
    let aggregate: IntervalSample
    let perClone: [IntervalSample]

    init(_ e: IntervalEvent) {
        name = e.job; jobIndex = e.jobIndex; index = e.aggregate.index
        aggregate = e.aggregate; perClone = e.perClone
    }
}

/// `{"type": "result", ...}`: the last line, the whole `tierbench/1` document plus its type.
struct ResultRecord: Encodable {
    let result: RunResult
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: TypeKey.self)
        try c.encode("result", forKey: .type)
        try result.encode(to: encoder)
    }
    enum TypeKey: String, CodingKey { case type }
}
