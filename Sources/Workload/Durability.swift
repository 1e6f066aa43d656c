/// fio's durability options on a job: a sync operation after every N writes (`fsync=N`,
/// `fdatasync=N`; fsync wins when both fall due, as fio), and an fsync when the job ends
/// (`end_fsync`) or closes its file (`fsync_on_close`), which fio does not count as operations.
public struct Durability: Codable, Sendable, Equatable {
    /// fio `fsync=N`: an fsync after every N writes issued; nil: none.
    public var fsyncEvery: Int?
    /// fio `fdatasync=N`: an fdatasync after every N writes issued; nil: none.
    public var fdatasyncEvery: Int?
    /// fio `end_fsync` or `fsync_on_close`: fsync the file once the job's I/O is done.
    public var fsyncAtEnd: Bool

    public init(fsyncEvery: Int? = nil, fdatasyncEvery: Int? = nil, fsyncAtEnd: Bool = false) {
        self.fsyncEvery = fsyncEvery; self.fdatasyncEvery = fdatasyncEvery; self.fsyncAtEnd = fsyncAtEnd
    }

    /// Nothing to do: no options given.
    public var isEmpty: Bool { fsyncEvery == nil && fdatasyncEvery == nil && !fsyncAtEnd }

    /// The sync due after the `writes`-th write issued: nil, or whether it is data-only.
    @inlinable
    public func syncDue(afterWrites writes: UInt64) -> Bool? {
        if let n = fsyncEvery, writes % UInt64(n) == 0 { return false }
        if let n = fdatasyncEvery, writes % UInt64(n) == 0 { return true }
        return nil
    }
}

extension RawJobOptions {
    /// `--fsync N`, `--fdatasync N` (0: none, as fio), `--end-fsync` and `--fsync-on-close`.
    func resolveDurability(_ job: inout JobSpec) throws(InputError) {
        var d = Durability()
        func every(_ v: String?, _ option: String) throws(InputError) -> Int? {
            guard let v else { return nil }
            let n = try Units.parseInteger(v, option: option)
            guard n >= 0 else { throw InputError(option: option, value: v, " is negative; give the number of writes between syncs, e.g. \(InputError.mention(option, "1")) (0: none)") }
            return n == 0 ? nil : n
        }
        d.fsyncEvery = try every(fsync, "fsync")
        d.fdatasyncEvery = try every(fdatasync, "fdatasync")
        for (v, option) in [(endFsync, "end-fsync"), (fsyncOnClose, "fsync-on-close")] {
            guard let v else { continue }
            guard let on = BooleanValue.parse(v) else { throw InputError(option: option, value: v, " is not 0 or 1; give \(InputError.mention(option, "1"))") }
            if on { d.fsyncAtEnd = true }
        }
        job.durability = d.isEmpty ? nil : d
    }
}
