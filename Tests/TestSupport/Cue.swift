import Glibc

/// What a test does while a program runs (signal it, take its device away, sample /proc), at a
/// moment the program's stderr shows: the test waits for what the program reports, not for a
/// fixed time that a loaded machine can outrun. The action runs on the thread that reads stderr:
/// keep it short.
public struct Cue: Sendable {
    public let moment: Moment
    public let action: @Sendable (pid_t) -> Void

    public init(when moment: Moment, _ action: @escaping @Sendable (pid_t) -> Void) {
        self.moment = moment
        self.action = action
    }

    /// Sends `signal` to the program at `moment`.
    public static func signal(_ signal: Int32, when moment: Moment) -> Cue {
        Cue(when: moment) { pid in _ = kill(pid, signal) }
    }
}

/// A moment in a program's stderr: `seen` is given everything written so far.
public struct Moment: Sendable {
    public let seen: @Sendable (String) -> Bool
    public init(_ seen: @escaping @Sendable (String) -> Bool) { self.seen = seen }

    /// The progress line (`--progress always`) shows `job` in its run phase, `seconds` or more
    /// into it: "randread run  12%  0:01 elapsed, ETA 0:09 ...", or "[2/3] randread run ...".
    public static func running(_ job: String, for seconds: Int = 0) -> Moment {
        Moment { stderr in
            stderr.components(separatedBy: "\r\u{1B}[K").contains { line in
                var line = Substring(line)
                if line.hasPrefix("["), let close = line.firstIndex(of: "]") { line = line[line.index(after: close)...].drop { $0 == " " } }
                guard line.hasPrefix("\(job) run  "), let elapsed = line.range(of: " elapsed") else { return false }
                let clock = line[..<elapsed.lowerBound].split(separator: " ").last ?? ""
                let parts = clock.split(separator: ":").map { Int($0) }
                guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return false }
                return parts.reduce(0) { $0 * 60 + $1! } >= seconds
            }
        }
    }
}
