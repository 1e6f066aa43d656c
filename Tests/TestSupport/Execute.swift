import Foundation
import Glibc

/// The `tierbench` executable built next to this test bundle.
public let tierbenchPath: String = {
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("tierbench").path
}()

/// How a program ended and what it wrote.
public struct Outcome: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    public init(status: Int32, stdout: String, stderr: String) { self.status = status; self.stdout = stdout; self.stderr = stderr }
    /// stdout as one JSON object, if it is one.
    public var json: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any] }
}

/// Runs a program with arguments (no shell), with `environment` added to the current one, in
/// `cwd`. Each of `cues` acts once, as soon as the program's stderr shows its moment (see `Cue`).
/// `signalAfter` sends a signal a fixed time after the start, which a loaded machine can outrun
/// (the program may not have reached its run yet): prefer a cue on the run phase.
@discardableResult
public func execute(_ program: String, _ arguments: [String], environment: [String: String] = [:], cwd: String? = nil,
                    signalAfter: (Double, Int32)? = nil, cues: [Cue] = []) throws -> Outcome {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: program)
    p.arguments = arguments
    if !environment.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let pid = p.processIdentifier
    // stderr on a thread of its own (the global queues may be busy with other tests' pipes),
    // read as it comes so the cues see it; stdout on this one, so neither pipe fills up.
    nonisolated(unsafe) var errData = Data()
    let errDone = DispatchSemaphore(value: 0)
    let errFD = err.fileHandleForReading.fileDescriptor
    Thread.detachNewThread {
        var pending = cues
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(errFD, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            errData.append(contentsOf: chunk[0..<n])
            if !pending.isEmpty {
                let text = String(decoding: errData, as: UTF8.self)
                pending.removeAll { cue in
                    guard cue.moment.seen(text) else { return false }
                    cue.action(pid)
                    return true
                }
            }
        }
        errDone.signal()
    }
    if let (delay, sig) = signalAfter {
        usleep(UInt32(delay * 1_000_000))
        kill(pid, sig)
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    errDone.wait()
    p.waitUntilExit()
    return Outcome(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                   stderr: String(decoding: errData, as: UTF8.self))
}

/// `execute` of the `tierbench` built with these tests.
@discardableResult
public func tierbench(_ arguments: [String], environment: [String: String] = [:], cwd: String? = nil,
                      signalAfter: (Double, Int32)? = nil, cues: [Cue] = []) throws -> Outcome {
    try execute(tierbenchPath, arguments, environment: environment, cwd: cwd, signalAfter: signalAfter, cues: cues)
}
