import Engine
import Glibc

/// A joinable POSIX thread running one job clone; its outcome is read after `join()`.
/// (Not generic: Swift 6.3's region analysis crashes on a generic version of `start`.)
final class WorkerThread: @unchecked Sendable {
    private var thread = pthread_t()
    private var started = false
    let config: WorkerConfig
    private var outcome: WorkerOutcome?  // written by the thread before it exits, read after join

    init(_ config: WorkerConfig) { self.config = config }

    func main() {
        if let cpus = config.spec.cpusAllowed { CPUAffinity.pin(cpus) }  // checked by prepareJob
        outcome = JobWorker.run(config)
    }

    func start() {
        let opaque = Unmanaged.passRetained(self).toOpaque()
        started = pthread_create(&thread, nil, threadEntry, opaque) == 0
        if !started {
            Unmanaged<WorkerThread>.fromOpaque(opaque).release()
            main()  // no thread to be had: run it here rather than lose the job
        }
    }

    func join() -> WorkerOutcome {
        if started { pthread_join(thread, nil) }
        return outcome!
    }
}

private func threadEntry(_ arg: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    let worker = Unmanaged<WorkerThread>.fromOpaque(arg!).takeRetainedValue()
    worker.main()
    return nil
}
