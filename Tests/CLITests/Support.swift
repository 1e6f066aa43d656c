import Foundation
import Glibc

let isRoot = getuid() == 0

/// The `tierbench` executable built next to this test bundle.
let tierbenchPath: String = {
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("tierbench").path
}()

func which(_ tool: String) -> String? {
    for dir in ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"] {
        if access("\(dir)/\(tool)", X_OK) == 0 { return "\(dir)/\(tool)" }
    }
    return nil
}

struct Outcome {
    var status: Int32
    var stdout: String
    var stderr: String
    var json: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any] }
}

/// Runs a program with arguments (no shell), in `cwd`.
@discardableResult
func execute(_ program: String, _ arguments: [String], cwd: String? = nil, signalAfter: (Double, Int32)? = nil) throws -> Outcome {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: program)
    p.arguments = arguments
    if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    if let (delay, sig) = signalAfter {
        usleep(UInt32(delay * 1_000_000))
        kill(p.processIdentifier, sig)
    }
    // Read both pipes concurrently so neither fills up.
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    p.waitUntilExit()
    return Outcome(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                   stderr: String(decoding: errData, as: UTF8.self))
}

func tierbench(_ arguments: [String], cwd: String? = nil, signalAfter: (Double, Int32)? = nil) throws -> Outcome {
    try execute(tierbenchPath, arguments, cwd: cwd, signalAfter: signalAfter)
}

final class Scratch {
    let path: String
    init() {
        var template = Array("/var/tmp/tierbench-cli-XXXXXX".utf8CString)
        path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    }
    func file(_ name: String) -> String { "\(path)/\(name)" }
    /// A file of `bytes` bytes of non-zero data.
    func dataFile(_ name: String, bytes: Int) -> String {
        let path = file(name)
        let content = (0..<bytes).map { UInt8(truncatingIfNeeded: ($0 &* 2654435761) >> 9) | 1 }
        _ = FileManager.default.createFile(atPath: path, contents: Data(content))
        return path
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

extension [String: Any] {
    func at(_ path: String...) -> Any? {
        var current: Any? = self
        for key in path { current = [String: Any].step(current, key) }
        return current
    }
    func int(_ path: String...) -> Int? {
        var current: Any? = self
        for key in path { current = [String: Any].step(current, key) }
        return (current as? NSNumber)?.intValue
    }

    static func step(_ current: Any?, _ key: String) -> Any? {
        if let i = Int(key), let a = current as? [Any] { return i < a.count ? a[i] : nil }
        return (current as? [String: Any])?[key]
    }
}
