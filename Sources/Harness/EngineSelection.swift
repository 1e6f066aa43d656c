import Engine
import Workload

/// Which engine the jobs run on.
extension Runner {
    /// io_uring unless every job asks for psync; psync (with a note) when io_uring is unavailable
    /// and no job insists on it. Returns the choice and the notes to repeat in the results.
    func chooseEngine() throws(RunError) -> (EngineChoice, [String]) {
        let wanted = Set(request.jobs.map(\.ioengine))
        if wanted == [.psync] { return (.psync, []) }
        if let unavailable = EngineProbe.ioUringUnavailable() {
            if wanted.contains(.ioUring) {
                throw .failed("--ioengine io_uring: \(unavailable.cause); drop --ioengine to fall back to psync")
            }
            let line = "io_uring unavailable: \(unavailable.cause); running on psync"
            note(line)
            if request.jobs.contains(where: { $0.iodepth > 1 }) {
                note("psync is synchronous: every job runs at iodepth 1")
            }
            return (.psync, [line])
        }
        return (.ioUring, [])
    }
}
