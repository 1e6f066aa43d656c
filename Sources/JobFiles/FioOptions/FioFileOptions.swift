import Foundation
import Workload

extension FioOptionTable {
    /// Which files a job uses and how they are created.
    static let fileOptions = Family(
        names: ["filename", "directory", "nrfiles", "filename_format", "file_service_type", "openfiles", "filesize", "invalidate", "overwrite", "fallocate", "create_on_open", "allow_file_create"],
        flags: ["allow_file_create", "create_on_open", "invalidate", "overwrite"],
        map: mapFile)

    private static func mapFile(_ name: String, _ value: String, _ c: Context) throws(FioValues.Failure) -> Outcome? {
        switch name {
        case "invalidate": return .set([("invalidate", try FioValues.bool(value) ? "1" : "0")])
        case "filename":
            let names = FioFileSet.splitNames(value)
            if names.count > 1 { return .unsupported("filename=\(value) names several files (':') for one job, which is valid fio but tierbench runs each job on one file; give one filename per job (jobs may give different ones)") }
            // fio's `\:` is a colon in the name.
            return .set([("filename", names.first ?? value)])
        case "directory":
            if value.contains(":") { return .unsupported("directory=\(value) names several directories (':'); give one") }
            // As fio ("... is not a directory"), with or without filename: a missing directory
            // would otherwise become a regular file at that path.
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: value, isDirectory: &isDirectory) else {
                throw FioValues.Failure(value: value, " does not exist; create the directory first (fio refuses it too)")
            }
            guard isDirectory.boolValue else { throw FioValues.Failure(value: value, " is not a directory; give a directory (or filename= for a file)") }
            return .set([("directory", value)])
        case "nrfiles":
            return try FioValues.integer(value) == "1" ? .set([]) : .unsupported("nrfiles=\(value) is valid fio but tierbench runs each job on one file; give nrfiles=1 (jobs may give different filename=)")
        case "filename_format":
            return .unsupported("filename_format=\(value) is valid fio but a tierbench job without filename runs on the run's scratch file (or --target); give filename= instead")
        case "file_service_type":
            return .set([], note: "file_service_type=\(value): a tierbench job has one file, so there is none to switch to")
        case "openfiles":
            return try FioValues.integer(value) == "0" ? .unsupported("openfiles=0 keeps no file open; give openfiles=1 (a tierbench job has one file)") : .set([])
        case "filesize":
            return .unsupported("filesize=\(value) is valid fio but tierbench sizes a job's new file from its size; give size=\(value) instead")
        case "overwrite":
            return try FioValues.bool(value)
                ? .set([], note: "overwrite=1: tierbench writes a new file in full before jobs that read it; a write job on a new file writes into its preallocated (posix_fallocate) blocks")
                : .set([])
        case "fallocate":
            switch value.lowercased() {
            case "native", "posix", "1": return .set([])  // fio's default, and what tierbench does for a new file
            case "none", "0", "keep", "truncate":
                return .set([], note: "fallocate=\(value): tierbench always preallocates a new file with posix_fallocate (fio's fallocate=posix)")
            default: throw FioValues.Failure(value: value, " is not a fallocate mode; fio has none, native, posix, keep and truncate")
            }
        case "create_on_open":
            return try FioValues.bool(value)
                ? .set([], note: "create_on_open=1: tierbench creates a new file before the jobs start, not when a job opens it; the I/O is the same")
                : .set([])
        case "allow_file_create":
            return try FioValues.bool(value) ? .set([])
                : .unsupported("allow_file_create=0 (never create a file) is valid fio but tierbench creates a missing target (and removes it after the run); remove the option and give an existing file")
        default: return nil
        }
    }
}
