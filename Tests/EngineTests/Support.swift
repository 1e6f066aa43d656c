import Foundation
import Glibc
@testable import Engine
@testable import Harness
import Workload

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
