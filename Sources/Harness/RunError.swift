import Workload

/// Why a run could not be done: `usage` is the user's to fix (exit 2), `failed` is the system's (exit 1).
public enum RunError: Error, Sendable, CustomStringConvertible {
    case usage(String)
    case failed(String)
    /// The user's mistake in one job's options (the job's index in the request), found at run
    /// time: a front end words it in its own language (`--bs 3000B` or `bs=3000B` at file:line).
    case input(InputError, job: Int)
    public var description: String {
        switch self {
        case .usage(let m), .failed(let m): m
        case .input(let e, _): e.message
        }
    }
}
