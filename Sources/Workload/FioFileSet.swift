import Foundation

/// The files of one fio job (one clone), named and sized as fio names and sizes them: the names
/// of `filename=a:b` (init.c, `\:` keeps a colon), or `nrfiles` names from `filename_format`
/// (default `$jobname.$jobnum.$filenum`, init.c make_filename) under `directory`; each file's
/// I/O size from `size`, `nrfiles` and `filesize` (filesetup.c setup_files).
///
/// Pure: it neither looks at nor creates files. `$clientuid` (fio's client/server mode) is left
/// as written; callers refuse it.
public enum FioFileSet {
    /// fio's default `filename_format`.
    public static let defaultFormat = "$jobname.$jobnum.$filenum"

    /// The names `filename=` gives, split at each `:` not escaped as `\:` (empty names dropped).
    public static func splitNames(_ value: String) -> [String] {
        var names: [String] = [], current = ""
        var chars = value[...]
        while let c = chars.popFirst() {
            if c == "\\", chars.first == ":" { current.append(chars.removeFirst()); continue }
            if c == ":" { names.append(current); current = ""; continue }
            current.append(c)
        }
        names.append(current)
        return names.filter { !$0.isEmpty }
    }

    /// `format` with fio's keywords replaced (case-insensitively, every occurrence, as fio's strcasestr loop).
    public static func name(format: String?, jobName: String, jobNumber: Int, fileNumber: Int) -> String {
        var name = format.flatMap { $0.isEmpty ? nil : $0 } ?? defaultFormat
        for (keyword, value) in [("$jobname", jobName), ("$jobnum", String(jobNumber)), ("$filenum", String(fileNumber))] {
            while let r = name.range(of: keyword, options: .caseInsensitive) { name.replaceSubrange(r, with: value) }
        }
        return name
    }

    /// The paths of clone `jobNumber`'s files: the names of `filename` (all clones share them),
    /// else `nrfiles` names from `format`; a relative name is under `directory`.
    public static func paths(filename: String?, directory: String?, nrfiles: Int, format: String?,
                             jobName: String, jobNumber: Int) -> [String] {
        paths(names: filename.map(splitNames), directory: directory, nrfiles: nrfiles, format: format, jobName: jobName, jobNumber: jobNumber)
    }

    /// The same, from names already split.
    public static func paths(names given: [String]?, directory: String?, nrfiles: Int, format: String?,
                             jobName: String, jobNumber: Int) -> [String] {
        let names = given
            ?? (0..<max(nrfiles, 1)).map { name(format: format, jobName: jobName, jobNumber: jobNumber, fileNumber: $0) }
        guard let directory, !directory.isEmpty else { return names }
        let dir = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        return names.map { $0.hasPrefix("/") ? $0 : "\(dir)/\($0)" }
    }

    /// Each file's I/O size, as fio's setup_files: `filesize` when given; else `size / files`,
    /// the first `(size - files * that) / minBlock` files one block larger.
    public static func ioSizes(sizeBytes: UInt64, files: Int, filesizeBytes: UInt64?, minBlockBytes: UInt64) -> [UInt64] {
        let n = UInt64(max(files, 1))
        if let filesizeBytes { return Array(repeating: filesizeBytes, count: Int(n)) }
        let each = sizeBytes / n
        var extra = (sizeBytes - each * n) / max(minBlockBytes, 1)
        return (0..<n).map { _ in
            guard extra > 0 else { return each }
            extra -= 1
            return each + minBlockBytes
        }
    }

    /// The bytes a clone moves over its files in one pass (fio: each file's whole blocks, the
    /// total capped by `size` when it is given), for checking counts against fio's.
    public static func passBytes(ioSizes: [UInt64], blockBytes: UInt64, sizeBytes: UInt64?) -> UInt64 {
        let bs = max(blockBytes, 1)
        let whole = ioSizes.reduce(0) { $0 + $1 / bs * bs }
        guard let sizeBytes else { return whole }
        return min(whole, sizeBytes / bs * bs)
    }
}
