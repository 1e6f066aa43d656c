/// Something wrong with one object of the user's manifests (a StorageClass without `provisioner`,
/// a class no profile covers, a claim without a size): where it is, what it is, why, and the fix.
/// It is reported in place of that object; the other objects are still evaluated.
public struct ManifestProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    /// What the problem is about, as the user wrote it: "StorageClass `fast`", "claim `data`".
    public var subject: String?
    /// Why it cannot be evaluated (or what is wrong with it).
    public var reason: String
    /// What to do about it, when there is something to do.
    public var fix: String?
    /// The object's kind and name, when known (set by the manifest reader).
    public var kind: String?
    public var name: String?

    public init(file: String, line: Int? = nil, subject: String? = nil, reason: String, fix: String? = nil) {
        self.file = file
        self.line = line
        self.subject = subject
        self.reason = reason
        self.fix = fix
    }

    /// `file:line`, or `file` when the line is not known.
    public var source: String { "\(file)\(line.map { ":\($0)" } ?? "")" }

    /// `file:line: subject: reason; fix`: one line.
    public var description: String {
        "\(source): \(subject.map { "\($0): " } ?? "")\(reason)\(fix.map { "; \($0)" } ?? "")"
    }
}

/// The manifests could not be read at all: a missing file, YAML that does not parse, a directory
/// without manifests. Nothing is evaluated.
public struct ManifestReadError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String

    public init(file: String, line: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): \(message)" }
}
