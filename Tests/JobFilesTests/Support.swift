import Foundation
import Glibc

/// The corpus and examples, found from this file (no bundle resources needed).
let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
let corpusDirectory = testsDirectory.appendingPathComponent("corpus").path
let examplesDirectory = testsDirectory.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples").path

/// The `tierbench` executable built next to this test bundle.
let tierbenchPath: String = {
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("tierbench").path
}()

/// fio, if installed.
let fioPath: String? = ["/usr/local/bin/fio", "/usr/bin/fio", "/bin/fio"].first { access($0, X_OK) == 0 }

struct Outcome {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs a program (no shell) with `environment` added to the current one.
func execute(_ program: String, _ arguments: [String], environment: [String: String] = [:], cwd: String? = nil) throws -> Outcome {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: program)
    p.arguments = arguments
    p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
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

func tierbench(_ arguments: [String], environment: [String: String] = [:], cwd: String? = nil) throws -> Outcome {
    try execute(tierbenchPath, arguments, environment: environment, cwd: cwd)
}

final class Scratch {
    let path: String
    init() {
        var template = Array("/var/tmp/tierbench-jobfiles-XXXXXX".utf8CString)
        path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    }
    func file(_ name: String) -> String { "\(path)/\(name)" }
    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let p = file(name)
        _ = FileManager.default.createFile(atPath: p, contents: Data(text.utf8))
        return p
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

func jsonObject(_ text: String) -> [String: Any]? {
    try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
}
