import Foundation
import Glibc

/// A fresh directory in /var/tmp (a real disk, not tmpfs: O_DIRECT works), removed with everything
/// in it when the last reference goes.
public final class Scratch: Sendable {
    public let path: String
    public init() {
        var template = Array("/var/tmp/tierbench-test-XXXXXX".utf8CString)
        path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    }
    public func file(_ name: String) -> String { "\(path)/\(name)" }
    /// A file of `bytes` bytes of non-zero data.
    public func dataFile(_ name: String, bytes: Int) -> String {
        let path = file(name)
        let content = (0..<bytes).map { UInt8(truncatingIfNeeded: ($0 &* 2654435761) >> 9) | 1 }
        _ = FileManager.default.createFile(atPath: path, contents: Data(content))
        return path
    }
    /// A file holding `text`.
    @discardableResult
    public func write(_ name: String, _ text: String) -> String {
        let p = file(name)
        _ = FileManager.default.createFile(atPath: p, contents: Data(text.utf8))
        return p
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}
