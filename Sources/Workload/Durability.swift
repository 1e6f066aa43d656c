/// fio's durability options on a job: a sync operation after every N writes (`fsync=N`,
/// `fdatasync=N`; fsync wins when both fall due, as fio), and an fsync when the job ends
/// (`end_fsync`) or closes its file (`fsync_on_close`), which fio does not count as operations;
/// or the file opened so that every write is durable when it completes (`sync=1`, `sync=dsync`).
public struct Durability: Codable, Sendable, Equatable {
    /// fio `sync`: the job's file opened O_SYNC (`sync`, fio's 1) or O_DSYNC (`dsync`).
    public enum SyncedWrites: String, Codable, Sendable {
        case sync
        case dsync
    }

    /// fio `fsync=N`: an fsync after every N writes issued; nil: none.
    public var fsyncEvery: Int?
    /// fio `fdatasync=N`: an fdatasync after every N writes issued; nil: none.
    public var fdatasyncEvery: Int?
    /// fio `end_fsync` or `fsync_on_close`: fsync the file once the job's I/O is done.
    public var fsyncAtEnd: Bool
    /// fio `sync=1|sync|dsync`: how the job's file is opened; nil: without either flag (`sync=0`).
    public var syncedWrites: SyncedWrites?

    public init(fsyncEvery: Int? = nil, fdatasyncEvery: Int? = nil, fsyncAtEnd: Bool = false, syncedWrites: SyncedWrites? = nil) {
        self.fsyncEvery = fsyncEvery; self.fdatasyncEvery = fdatasyncEvery; self.fsyncAtEnd = fsyncAtEnd
        self.syncedWrites = syncedWrites
    }

    /// Nothing to do: no options given.
    public var isEmpty: Bool { fsyncEvery == nil && fdatasyncEvery == nil && !fsyncAtEnd && syncedWrites == nil }

    /// The sync due after the `writes`-th write issued: nil, or whether it is data-only.
    @inlinable
    public func syncDue(afterWrites writes: UInt64) -> Bool? {
        if let n = fsyncEvery, writes % UInt64(n) == 0 { return false }
        if let n = fdatasyncEvery, writes % UInt64(n) == 0 { return true }
        return nil
    }
}

extension RawJobOptions {
    /// `fsync: N`, `fdatasync: N` (0: none, as fio), `end-fsync`, `fsync-on-close` and
    /// `sync: sync|dsync|none` (fio's 1 and 0 too).
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
        d.syncedWrites = try Self.syncedWrites(sync)
        job.durability = d.isEmpty ? nil : d
    }

    /// `sync`: sync or 1 (O_SYNC), dsync (O_DSYNC), none or 0 (neither), as fio.
    static func syncedWrites(_ v: String?) throws(InputError) -> Durability.SyncedWrites? {
        guard let v else { return nil }
        switch v.lowercased() {
        case "sync", "1": return .sync
        case "dsync": return .dsync
        case "none", "0": return nil
        default: throw InputError(option: "sync", value: v, " is not sync, dsync or none; give \(InputError.mention("sync", "dsync")) (every write opened O_DSYNC) or \(InputError.mention("sync", "sync")) (O_SYNC)")
        }
    }
}
