import Engine
import Glibc
import Synchronization

/// The process-wide stop request: set by SIGINT/SIGTERM, read by every worker once per batch.
public final class RunControl: Sendable {
    public static let shared = RunControl()
    /// 0, or the signal that asked the run to stop.
    let stopSignal = Atomic<Int32>(0)

    /// The signal that stopped the run, if any.
    public var stopRequestedBy: Int32? {
        let s = stopSignal.load(ordering: .relaxed)
        return s == 0 ? nil : s
    }

    @inline(__always)
    var stopRequested: Bool { stopSignal.load(ordering: .relaxed) != 0 }

    /// Installs SIGINT and SIGTERM handlers: the first asks workers to stop submitting, drain what
    /// is in flight and report; a second one exits at once (status 128 + signal).
    public func installSignalHandlers() {
        _ = RunControl.shared  // initialise before any handler can run
        installSignalHandler([SIGINT, SIGTERM]) { sig in
            let previous = RunControl.shared.stopSignal.exchange(sig, ordering: .relaxed)
            if previous != 0 { exitImmediately(128 + sig) }
        }
        // A parent may have started us with these signals blocked (the mask survives exec).
        // Worker threads inherit this thread's mask, so unblock before they start.
        unblockSignals([SIGINT, SIGTERM])
    }
}
