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
            // As fio writes it: one name (`\\:` is a colon in it) is the job's file, several
            // (`a:b`) its file set (JobPlan splits them).
            return .set([("filename", value)])
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
            let n = try FioValues.integer(value)
            guard let count = Int(n), count >= 1 else { throw FioValues.Failure(value: value, " is not a number of files; give 1 or more") }
            guard count <= JobFileSet.maxFiles else { throw FioValues.Failure(value: value, " is above tierbench's limit of \(JobFileSet.maxFiles) files per job; give fewer") }
            return .set(count == 1 ? [] : [("nrfiles", n)])
        case "filename_format":
            if value.range(of: "$clientuid", options: .caseInsensitive) != nil {
                return .unsupported("filename_format=\(value): $clientuid names fio's client/server mode, which tierbench does not have; use $jobname, $jobnum and $filenum")
            }
            return .set([("filename-format", value)])
        case "file_service_type":
            if case .failure(let e) = FileService.parse(value) { throw FioValues.Failure(e) }
            return .set([("file-service-type", value)])
        case "openfiles":
            guard let n = Int(try FioValues.integer(value)), n >= 1 else {
                return .unsupported("openfiles=0 keeps no file open; give openfiles=1 or more")
            }
            return .set([], note: "openfiles=\(n): tierbench keeps every file of a job open for the whole job (fio closes and reopens files to keep at most \(n) open); the I/O is the same")
        case "filesize":
            let ends = value.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "-" || $0 == ":" })
            guard ends.count <= 2 else { throw FioValues.Failure(value: value, " is not a size or a range; give e.g. 64m or 16m-64m") }
            var bytes: [UInt64] = []
            for e in ends { bytes.append(try FioValues.size(String(e), kbBase: c.kbBase)) }
            guard bytes.allSatisfy({ $0 > 0 }), bytes.first! <= bytes.last! else {
                throw FioValues.Failure(value: value, " is not a size or a range from low to high; give e.g. 64m or 16m-64m")
            }
            return .set([("filesize", bytes.map(String.init).joined(separator: "-"))])
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
