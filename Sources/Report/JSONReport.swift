import Foundation
import Harness

/// tierbench's JSON: the `RunResult` with snake_case keys, units in the key names, sorted keys.
public enum JSONReport {
    public static func render(_ result: RunResult) throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(result), as: UTF8.self) + "\n"
    }
}
