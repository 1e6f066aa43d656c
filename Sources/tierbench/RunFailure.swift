import ArgumentParser
import Harness

/// A run (or verify) that could not be done, reported: its one line on stderr, and the exit
/// status: 2 for the user's mistake, 128 + the signal when one stopped it, else 1.
func reported(_ error: RunError) -> ExitCode {
    printError("tierbench: error: \(error.description)")
    switch error { case .usage, .input: return ExitCode(2); case .failed: break }
    return ExitCode(RunControl.shared.stopRequestedBy.map { 128 + $0 } ?? 1)
}

/// The status a finished run ends with when a signal stopped it: 128 + the signal.
func stoppedBySignal() -> ExitCode? { RunControl.shared.stopRequestedBy.map { ExitCode(128 + $0) } }
