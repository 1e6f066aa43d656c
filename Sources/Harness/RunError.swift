/// Why a run could not be done: `usage` is the user's to fix (exit 2), `failed` is the system's (exit 1).
public enum RunError: Error, Sendable, CustomStringConvertible {
    case usage(String)
    case failed(String)
    public var description: String {
        switch self { case .usage(let m), .failed(let m): m }
    }
}
