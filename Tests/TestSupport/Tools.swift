import Foundation
import Glibc

public let isRoot = getuid() == 0

/// The path of an installed program, from the usual system directories.
public func which(_ tool: String) -> String? {
    for dir in ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"] {
        if access("\(dir)/\(tool)", X_OK) == 0 { return "\(dir)/\(tool)" }
    }
    return nil
}

/// fio, if installed.
public let fioPath = which("fio")

/// Runs a shell command; its exit status and its stdout followed by its stderr.
@discardableResult
public func sh(_ command: String) -> (status: Int32, output: String) {
    guard let o = try? execute("/bin/sh", ["-c", command]) else { return (-1, "") }
    return (o.status, o.stdout + o.stderr)
}
