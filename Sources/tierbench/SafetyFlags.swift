import ArgumentParser
import Harness

/// The flags that let a run write where it would destroy data: `run` and `check` share them.
struct SafetyFlags: ParsableArguments {
    @Flag(name: .customLong("allow-device-writes"), help: "Allow a job to write to a block device (destroys its data).")
    var allowDeviceWrites = false
    @Flag(name: .customLong("force-destructive"), help: "With --allow-device-writes: write even to a device that is mounted, used as swap, held, partitioned or carries a file system or other signature.")
    var forceDestructive = false
    @Flag(help: "Allow a job to write into an existing file tierbench did not create or that changed since it last wrote it, and replace such a fio log.")
    var overwrite = false

    /// `request` with these permissions.
    func apply(to request: inout RunRequest) {
        request.allowDeviceWrites = allowDeviceWrites
        request.forceDestructive = forceDestructive
        request.overwrite = request.overwrite || overwrite
    }
}
