/// One I/O on a slot, from the time it is drawn until its last byte completes (fio's `io_u`).
struct InFlightIO {
    var offset: UInt64 = 0
    var length: Int = 0
    /// Bytes already transferred (a short transfer is resubmitted for the rest).
    var done: Int = 0
    var write = false
    /// Which of the worker's files (index into its engine's descriptors).
    var file: Int32 = 0
    /// Not a read or write but a sync of the file (then `write` is false and `length` 0).
    var sync: SyncOperation?
    /// Queued or in the kernel (the verify overlap check looks at these).
    var busy = false
    /// The slot's buffer holds the write template (a read overwrote it otherwise).
    var hasPattern = false
    /// With `--verify`: the write's sequence number.
    var sequence: UInt32 = 0
    /// The latest clock read before the I/O was drawn.
    var prepared: UInt64 = 0
    /// Its first submit; resubmitted rests count in its completion latency.
    var issued: UInt64 = 0

    var direction: String { sync.map { "\($0)" } ?? (write ? "write" : "read") }
}

/// fio's `DDIR_SYNC` and `DDIR_DATASYNC`.
enum SyncOperation: Sendable {
    case fsync, fdatasync
}
