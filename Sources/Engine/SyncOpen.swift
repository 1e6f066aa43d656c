import CURing

/// How a target is opened for fio's `sync=1` / `sync=dsync`: every write on the descriptor is
/// durable when it completes, O_SYNC (data and metadata, as fsync) or O_DSYNC (data, as fdatasync).
public enum SyncOpen: String, Sendable {
    case sync
    case dsync

    /// The open(2) flag.
    public var flag: Int32 { self == .sync ? tb_o_sync() : tb_o_dsync() }
}
