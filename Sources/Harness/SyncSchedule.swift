import Workload

/// fio's `fsync=N` and `fdatasync=N`: after every N writes issued, the next operation the worker
/// issues is a sync (fsync first when both fall due, as fio's `get_rw_ddir`). Only when there is
/// a next operation: the last write of a size-based job is not followed by a sync, as in fio.
/// fio at a depth above 1 may queue several syncs in a row until one completes (its
/// `last_was_sync` is set at completion); tierbench issues one per N writes at every depth.
struct SyncSchedule {
    private let durability: Durability?
    private var writes: UInt64 = 0
    /// The sync to issue before the next I/O, if one is due.
    private(set) var due: SyncOperation?

    init(_ durability: Durability?) { self.durability = durability }

    /// A write was queued.
    @inline(__always)
    mutating func wrote() {
        guard let d = durability else { return }
        writes &+= 1
        due = d.syncDue(afterWrites: writes).map { $0 ? .fdatasync : .fsync }
    }

    /// The due sync was queued.
    mutating func issued() { due = nil }
}
