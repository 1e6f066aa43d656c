import Harness

/// fio 3.x `json+` output (being built; see issue 3).
public enum FioJSONReport {
    public static func render(_ result: RunResult) throws -> String {
        throw FioJSONError.notImplemented
    }
}

enum FioJSONError: Error { case notImplemented }
