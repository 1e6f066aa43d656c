import Engine
import Workload

extension JobSpec {
    /// How the job's file is opened for fio's `sync=1|dsync`; nil: without O_SYNC/O_DSYNC.
    var syncOpen: SyncOpen? {
        switch durability?.syncedWrites {
        case .sync: .sync
        case .dsync: .dsync
        case nil: nil
        }
    }
}
