import Foundation
import Harness

/// What `tierbench report` was given, told from the file's first bytes and its `schema`.
public enum ReportInput: Sendable {
    /// A `tierbench/1` result (the plain document, or the last record of a JSON Lines stream).
    case run(RunResult)
    /// A `tierbench-check/1` document (decoded by the Check module, which owns its type).
    case check(Data)
    /// A `tierbench-zones/1` document (decoded by the Zones module, which owns its type).
    case zones(Data)
    /// A SQLite database (a history of runs), opened by the History module.
    case history

    /// Reads `path`; a problem is one line naming the file and what to give instead.
    public static func load(_ path: String) throws(ReportInputError) -> ReportInput {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
                throw ReportInputError("\(path): \(isDirectory.boolValue ? "is a directory" : "cannot be read"); give a result file (run or check --output-format json)")
            }
            throw ReportInputError("\(path): no such file; give a result file (run or check --output-format json)")
        }
        return try classify(data, name: path)
    }

    public static func classify(_ data: Data, name: String) throws(ReportInputError) -> ReportInput {
        if data.starts(with: Array("SQLite format 3\u{0}".utf8)) { return .history }
        let hint = "give the output of `tierbench run --output-format json` or `tierbench check --output-format json`"
        var object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        var body = data
        if object == nil {
            // JSON Lines (--status-interval): the last record is the whole result.
            let lines = data.split(separator: UInt8(ascii: "\n")).filter { !$0.allSatisfy { $0 == 32 || $0 == 13 } }
            if lines.count > 1, let last = lines.last, let record = try? JSONSerialization.jsonObject(with: Data(last)) as? [String: Any],
               record["type"] as? String == "result" {
                object = record
                body = Data(last)
            } else if lines.count > 1, let first = lines.first, (try? JSONSerialization.jsonObject(with: Data(first)) as? [String: Any])?["type"] as? String == "interval" {
                throw ReportInputError("\(name): a JSON Lines stream without its final result record (the run did not end); give a finished run's output")
            }
        }
        guard let object else { throw ReportInputError("\(name): not JSON (nor a SQLite history); \(hint)") }
        guard let schema = object["schema"] as? String else {
            if object["fio version"] != nil {
                throw ReportInputError("\(name): a fio result; judge it with `tierbench check --results \(name) --output-format json` and give that, or run tierbench")
            }
            throw ReportInputError("\(name): a JSON document without a tierbench `schema`; \(hint)")
        }
        switch schema {
        case RunResult.schemaVersion:
            do { return .run(try JSONReport.decode(body)) } catch {
                throw ReportInputError("\(name): not a valid \(schema) document (\(describe(error))); \(hint)")
            }
        case "tierbench-check/1": return .check(body)
        case "tierbench-zones/1": return .zones(body)
        case "tierbench-expect/1": throw ReportInputError("\(name): a tierbench-expect/1 document holds no measurements; run `tierbench check` and give its JSON")
        default: throw ReportInputError("\(name): schema `\(schema)` is not one tierbench report knows (tierbench/1, tierbench-check/1, tierbench-zones/1); \(hint)")
        }
    }

    public static func describe(_ error: any Error) -> String {
        if case DecodingError.keyNotFound(let key, let ctx) = error {
            return "missing `\((ctx.codingPath + [key]).map(\.stringValue).joined(separator: "."))`"
        }
        if case DecodingError.typeMismatch(_, let ctx) = error {
            return "wrong type at `\(ctx.codingPath.map(\.stringValue).joined(separator: "."))`"
        }
        if case DecodingError.dataCorrupted(let ctx) = error {
            return "bad value at `\(ctx.codingPath.map(\.stringValue).joined(separator: "."))`"
        }
        if case DecodingError.valueNotFound(_, let ctx) = error {
            return "null at `\(ctx.codingPath.map(\.stringValue).joined(separator: "."))`"
        }
        return "\(error)"
    }
}

public struct ReportInputError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
