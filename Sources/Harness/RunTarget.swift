import Engine
import Glibc
import Workload

/// The target of a run: finding or creating it, sizing it, refusing to write a file that is not
/// tierbench's, claiming a device, and, when the run ends, removing what it created for itself
/// and marking the file it keeps (`FileMark`).
extension Runner {
    struct PreparedTarget {
        var info: TargetInfo
        /// The temporary directory this run created for its scratch file (removed after).
        var scratchDirectory: String?
        /// Open on a file that is tierbench's and stays after the run (created by this run, or
        /// marked by an earlier one and unchanged since): marked again when the run ends. -1 for
        /// anything else.
        var markFD: Int32 = -1
    }

    var writes: Bool { request.jobs.contains { $0.rw.writes } }
    var reads: Bool { request.jobs.contains { $0.rw.reads } }
    var direct: Bool { request.jobs.contains { $0.direct } }

    /// The furthest byte any clone of any job touches, given the target's size (nil = not known yet).
    /// A new file is as large as the jobs with a size need; a job with `size=N%` covers a share of it.
    func furthestEnd(targetSize: UInt64?) -> UInt64 {
        let sized = request.jobs.contains { $0.sizePercent == nil }
        return request.jobs.map { job in
            (0..<job.numjobs).map { clone in
                let r = job.range(clone: clone, targetSize: targetSize ?? request.defaultNewFileBytes)
                if targetSize == nil, sized, job.sizePercent != nil { return r.start }
                let (end, overflow) = r.start.addingReportingOverflow(job.sizeBytes ?? (targetSize == nil ? request.defaultNewFileBytes : r.length))
                return overflow ? UInt64.max : end
            }.max() ?? 0
        }.max() ?? 0
    }

    func prepareTarget() throws(RunError) -> PreparedTarget {
        guard let path = request.targetPath else {
            let dirPath: String
            do { dirPath = try makeTemporaryDirectory("./.tierbench-XXXXXX") } catch {
                throw .usage("cannot create a temporary directory in the current directory (\(error.text)); run from a writable directory or give --target")
            }
            var target = try createFile("\(dirPath)/target.dat", scratch: true)
            target.scratchDirectory = dirPath
            return target
        }
        let kind: Targets.PathKind
        do { kind = try Targets.classify(path) } catch { throw .usage(error.message) }
        switch kind {
        case .missing:
            return try createFile(path, scratch: request.removeCreatedTarget)
        case .directory:
            let file = "\(path.hasSuffix("/") ? String(path.dropLast()) : path)/.tierbench-\(getpid()).dat"
            return try createFile(file, scratch: true)
        case .regularFile(let size):
            let fd = try openTarget(path, write: false, direct: direct)
            // The mark is read on the descriptor the run keeps: what is refused or marked is this file.
            let mark = FileMark.state(of: fd)
            if writes && mark != .tierbenchs && !request.overwrite {
                closeFile(fd)
                throw .usage(Self.overwriteRefusal(path, mark))
            }
            let align = direct ? (Targets.fileDirectIOAlignment(fd) ?? 512) : 1
            let info = TargetInfo(path: path, kind: .file, sizeBytes: size, directIOAlignmentBytes: align, created: false, scratch: false)
            guard mark == .tierbenchs else { closeFile(fd); return PreparedTarget(info: info) }
            return PreparedTarget(info: info, markFD: fd)
        case .blockDevice:
            let fd = try openTarget(path, write: false, direct: direct)
            defer { closeFile(fd) }
            do {
                let g = try Targets.blockDeviceGeometry(fd)
                return PreparedTarget(info: TargetInfo(
                    path: path, kind: .blockDevice, sizeBytes: g.sizeBytes, directIOAlignmentBytes: direct ? g.logicalBlockBytes : 1,
                    created: false, scratch: false))
            } catch {
                throw .failed("--target \(path): cannot read the device's size: \(error)")
            }
        case .other:
            throw .usage("--target \(path) is neither a regular file, a directory nor a block device; give one of those")
        }
    }

    func openTarget(_ path: String, write: Bool, direct: Bool, create: Bool = false, synced: SyncOpen? = nil) throws(RunError) -> Int32 {
        do { return try Targets.open(path, write: write, direct: direct, create: create, synced: synced) } catch { throw .usage(error.message) }
    }

    /// Why a job may not write the existing file `path` without `--overwrite`, and the fix.
    static func overwriteRefusal(_ path: String, _ mark: FileMark.State) -> String {
        let fix = "pass --overwrite to let tierbench overwrite its contents"
        switch mark {
        case .changed:
            return "--target \(path) is a file tierbench created, but it changed after tierbench last wrote it (another program wrote, resized or copied it, or that run was killed), and a job writes to it; \(fix), or remove it to let tierbench create it afresh"
        case .unsupported:
            return "--target \(path) is an existing file and a job writes to it; its file system keeps no extended attributes (user.*), so tierbench cannot tell whether it created it: \(fix), or give a path that does not exist"
        case .unmarked, .tierbenchs:
            return "--target \(path) is an existing file tierbench did not create, and a job writes to it; \(fix), or give a path that does not exist"
        }
    }

    /// Creates `path` (which must not exist) at the size the jobs need; a file that is not a
    /// scratch file stays open, to be marked as tierbench's when the run ends.
    func createFile(_ path: String, scratch: Bool) throws(RunError) -> PreparedTarget {
        let size = furthestEnd(targetSize: nil)
        guard size <= UInt64(Int64.max) else {
            throw .usage("--size/--offset/--offset-increment put the end of the job beyond the end of the largest possible file (8 EiB) at \(path); give smaller values")
        }
        let fd = try openTarget(path, write: true, direct: false, create: true)
        var keep = false
        defer { if !keep { closeFile(fd) } }
        do { try allocateFile(fd, length: size) } catch {
            if error.rawValue == ENOSPC || error.rawValue == EFBIG {
                try? removeFile(path)
                throw .usage("--target \(path): no room for a \(Units.formatSize(size)) file (\(error.name)); give a smaller --size or another --target")
            }
            // The file system cannot reserve space: a sparse file of the size will do.
            do { try truncateFile(fd, length: size) } catch {
                try? removeFile(path)
                throw .failed("--target \(path): cannot size the new file to \(size) bytes: \(error)")
            }
        }
        var align = 1
        if direct {
            do { align = try Targets.directIOAlignment(ofFile: path) } catch {
                try? removeFile(path)
                throw .usage(error.message)
            }
        }
        keep = !scratch
        return PreparedTarget(info: TargetInfo(path: path, kind: .file, sizeBytes: size, directIOAlignmentBytes: align, created: true, scratch: scratch),
                              markFD: keep ? fd : -1)
    }

    /// When the run ends: marks the file it keeps as tierbench's (after its last write, so a
    /// later run may write it without --overwrite), removes its scratch file and directory.
    func release(_ target: PreparedTarget) {
        if target.markFD >= 0 {
            // A run that wrote nothing left the file as its mark says (and may not be allowed to write it).
            if target.info.created || writes {
                do { try FileMark.record(target.markFD) } catch {
                    let why = error.rawValue == EOPNOTSUPP ? "its file system keeps no extended attributes (user.*)" : "setting the extended attribute \(FileMark.attribute) failed (\(error))"
                    // A file the run removed (refused input, failed layout) needs no note.
                    if pathExists(target.info.path) {
                        note("--target \(target.info.path): \(why), so tierbench cannot mark it as its own; a later run that writes it will need --overwrite")
                    }
                }
            }
            closeFile(target.markFD)
        }
        if target.info.scratch { try? removeFile(target.info.path) }
        if let dir = target.scratchDirectory { try? removeDirectory(dir) }
    }

    /// A block device that jobs write to is held open with O_EXCL for the whole run, so nothing
    /// can mount it or claim it between the guard's look and the last write (our own plain opens
    /// are not exclusive and still work). -1 when there is nothing to claim.
    func claimDevice(_ t: TargetInfo) throws(RunError) -> Int32 {
        guard writes && t.kind == .blockDevice else { return -1 }
        do { return try openFile(t.path, O_RDONLY | O_EXCL | O_CLOEXEC) } catch {
            if error.rawValue == EBUSY && !request.forceDestructive {
                throw .usage("--target \(t.path) is in use: an exclusive open fails with EBUSY (mounted or claimed by a driver or program); choose another device, or pass --force-destructive (together with --allow-device-writes) if destroying it is intended")
            }
            return -1
        }
    }

    /// After I/O errors on a block device: says so when the device went away or changed size
    /// during the run (`losetup -d` of a loop device, a hot-unplugged disk), which EIO alone does not.
    func explainDeviceChange(_ t: TargetInfo) {
        let fd: Int32
        do { fd = try openFile(t.path, O_RDONLY | O_CLOEXEC) } catch {
            note("--target \(t.path) cannot be opened any more (\(error.name)): the device was removed during the run")
            return
        }
        defer { closeFile(fd) }
        if let g = try? Targets.blockDeviceGeometry(fd), g.sizeBytes != t.sizeBytes {
            note("--target \(t.path) changed size during the run, from \(t.sizeBytes) to \(g.sizeBytes) bytes: the device was removed or resized")
        }
    }
}
