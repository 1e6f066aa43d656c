import Engine
import Glibc
import Workload

/// The target of a run: finding or creating it, sizing it, claiming a device, and removing what
/// the run created.
extension Runner {
    struct PreparedTarget {
        var info: TargetInfo
        /// The temporary directory this run created for its scratch file (removed after).
        var scratchDirectory: String?
    }

    var writes: Bool { request.jobs.contains { $0.rw.writes } }
    var reads: Bool { request.jobs.contains { $0.rw.reads } }
    var direct: Bool { request.jobs.contains { $0.direct } }

    /// The furthest byte any clone of any job touches, given the target's size (nil = not known yet).
    func furthestEnd(targetSize: UInt64?) -> UInt64 {
        request.jobs.map { job in
            (0..<job.numjobs).map { clone in
                let r = job.range(clone: clone, targetSize: targetSize ?? request.defaultNewFileBytes)
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
            return PreparedTarget(info: try createFile("\(dirPath)/target.dat", scratch: true), scratchDirectory: dirPath)
        }
        let kind: Targets.PathKind
        do { kind = try Targets.classify(path) } catch { throw .usage(error.message) }
        switch kind {
        case .missing:
            return PreparedTarget(info: try createFile(path, scratch: false))
        case .directory:
            let file = "\(path.hasSuffix("/") ? String(path.dropLast()) : path)/.tierbench-\(getpid()).dat"
            return PreparedTarget(info: try createFile(file, scratch: true))
        case .regularFile(let size):
            let fd = try openTarget(path, write: false, direct: direct)
            defer { closeFile(fd) }
            let align = direct ? (Targets.fileDirectIOAlignment(fd) ?? 512) : 1
            return PreparedTarget(info: TargetInfo(
                path: path, kind: .file, sizeBytes: size, directIOAlignmentBytes: align, created: false, scratch: false))
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

    func openTarget(_ path: String, write: Bool, direct: Bool, create: Bool = false) throws(RunError) -> Int32 {
        do { return try Targets.open(path, write: write, direct: direct, create: create) } catch { throw .usage(error.message) }
    }

    /// Creates `path` (which must not exist) at the size the jobs need.
    func createFile(_ path: String, scratch: Bool) throws(RunError) -> TargetInfo {
        let size = furthestEnd(targetSize: nil)
        guard size <= UInt64(Int64.max) else {
            throw .usage("--size/--offset/--offset-increment put the end of the job beyond the end of the largest possible file (8 EiB) at \(path); give smaller values")
        }
        let fd = try openTarget(path, write: true, direct: false, create: true)
        defer { closeFile(fd) }
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
        return TargetInfo(path: path, kind: .file, sizeBytes: size, directIOAlignmentBytes: align, created: true, scratch: scratch)
    }

    func removeScratch(_ target: PreparedTarget) {
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
