import Stats
import Workload

/// What to run and where.
public struct RunRequest: Sendable {
    /// nil: a scratch file in a new temporary directory under the current directory, removed after.
    public var targetPath: String?
    public var jobs: [JobSpec]
    public var allowDeviceWrites = false
    /// Permits writing to a device the guard found in use or holding data (`DeviceGuard`).
    public var forceDestructive = false
    /// Permits writing into an existing regular file that tierbench did not create.
    public var overwrite = false
    /// Digest every read buffer (tests use it to prove reads return the file's bytes).
    public var checksumReads = false
    /// Size of a file tierbench creates when no job gives `--size`.
    public var defaultNewFileBytes: UInt64 = 1 << 30
    /// Length of a time-series interval (`--interval`).
    public var intervalNanoseconds: UInt64 = 1_000_000_000
    /// The percentiles to report (`--percentiles`).
    public var percentiles = PercentileList.fioDefault
    /// A target this run creates is removed after it (files of fio's generated names, `nrfiles`),
    /// as the scratch file is; a file that existed stays.
    var removeCreatedTarget = false
    /// Tests: called with the target's path between a `--verify` job's writes and its verify pass.
    var beforeVerifyPass: (@Sendable (String) -> Void)?

    public init(targetPath: String?, jobs: [JobSpec]) {
        self.targetPath = targetPath
        self.jobs = jobs
    }
}
