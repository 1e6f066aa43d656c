import Foundation
import Glibc
@testable import Engine
@testable import Harness
import Workload

let isRoot = getuid() == 0

/// A fresh temporary directory under the package's working directory (a real disk, not tmpfs),
/// removed by `cleanup()`.
final class Scratch {
    let path: String
    init() {
        var template = Array("/var/tmp/tierbench-test-XXXXXX".utf8CString)
        path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    }
    func file(_ name: String) -> String { "\(path)/\(name)" }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Runs jobs in-process through the real Runner (real io_uring or psync, real O_DIRECT files).
func run(_ jobs: [JobSpec], target: String?, configure: (inout RunRequest) -> Void = { _ in }) throws -> RunResult {
    var request = RunRequest(targetPath: target, jobs: jobs)
    configure(&request)
    return try Runner(request) { _ in }.run()
}

/// Plain buffered reads of a whole file or device.
func readAll(_ path: String) throws -> [UInt8] {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw Errno.current }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, 1 << 20) }
        if n <= 0 { break }
        bytes += chunk[0..<n]
    }
    return bytes
}

/// The digest a read job over every block of `[start, start+length)` must report.
func expectedDigest(of bytes: [UInt8], start: Int, length: Int, blockSize: Int) -> UInt64 {
    var digest: UInt64 = 0
    bytes.withUnsafeBytes { raw in
        var offset = start
        while offset + blockSize <= start + length {
            digest &+= ReadDigest.hash(offset: UInt64(offset), raw.baseAddress! + offset, length: blockSize)
            offset += blockSize
        }
    }
    return digest
}

/// Runs a command, returning its exit status and output.
@discardableResult
func sh(_ command: String) -> (status: Int32, output: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/sh")
    p.arguments = ["-c", command]
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    try? p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}
