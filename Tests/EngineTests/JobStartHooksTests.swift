import Foundation
import Glibc
import Testing
import TestSupport
@testable import Harness
import Engine
import Workload

/// What happens where a job starts: fio's `invalidate` (the range leaves the page cache) and
/// `cpus_allowed` (the worker threads are pinned).
@Suite(.serialized) struct JobStartHooksTests {
    /// Pages of `path` in the page cache, per half of the file (mincore).
    func residentHalves(_ path: String, bytes: Int) throws -> (first: Int, second: Int) {
        let fd = open(path, O_RDONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        let map = mmap(nil, bytes, PROT_READ, MAP_SHARED, fd, 0)
        try #require(map != MAP_FAILED)
        defer { munmap(map, bytes) }
        let pages = bytes / Int(sysconf(Int32(_SC_PAGESIZE)))
        var vector = [UInt8](repeating: 0, count: pages)
        try #require(mincore(map, bytes, &vector) == 0)
        let resident = vector.map { Int($0 & 1) }
        return (resident[..<(pages / 2)].reduce(0, +), resident[(pages / 2)...].reduce(0, +))
    }

    /// A 1 MiB file written 4 KiB at a time (small page-cache folios, which a half-file range can
    /// drop whole) and synced, so its pages are cached and clean.
    func cachedFile(_ s: Scratch) throws -> String {
        let path = s.file("cached")
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        try #require(fd >= 0)
        defer { close(fd) }
        let block = [UInt8](repeating: 7, count: 4096)
        for _ in 0..<256 { try #require(write(fd, block, block.count) == block.count) }
        try #require(fsync(fd) == 0)
        return path
    }

    @Test func invalidateDropsTheJobsRangeFromThePageCache() throws {
        let s = Scratch()
        let path = try cachedFile(s)
        let before = try residentHalves(path, bytes: 1 << 20)
        try #require(before.first > 0 && before.second > 0, "the file is not in the page cache to begin with: \(before)")
        // O_DIRECT reads of the first half do not bring it back into the cache.
        let job = JobSpec(name: "r", rw: .read, blockSizeBytes: 4096, sizeBytes: 512 << 10, direct: true, ioengine: .psync)
        _ = try run([job], target: path)
        let after = try residentHalves(path, bytes: 1 << 20)
        #expect(after.first == 0, "the job's range left the cache: \(after)")
        #expect(after.second == before.second, "the rest of the file stays: \(after)")

        _ = try cachedFile(s)
        var keep = job
        keep.invalidate = false
        _ = try run([keep], target: path)
        #expect(try residentHalves(path, bytes: 1 << 20).first > 0, "invalidate=0 keeps the cache")
    }

    @Test func aPinnedThreadRunsOnItsCPUsOnly() throws {
        let cpu = try #require(CPUAffinity.current().last)
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var seen: [Int] = []
        nonisolated(unsafe) var pinned = false
        let thread = Thread {
            pinned = CPUAffinity.pin([cpu])
            seen = CPUAffinity.current()
            done.signal()
        }
        thread.start()
        done.wait()
        #expect(pinned)
        #expect(seen == [cpu])
        #expect(CPUAffinity.current().contains(cpu), "this thread is not pinned")
    }

    @Test func cpusTheProcessMayNotUseAreRefusedByName() throws {
        let s = Scratch()
        var job = JobSpec(name: "r", rw: .read, sizeBytes: 64 << 10, direct: false, ioengine: .psync)
        job.cpusAllowed = [1000]
        do {
            _ = try run([job], target: s.file("new"))
            Issue.record("a job pinned to CPU 1000 ran")
        } catch {
            #expect(!FileManager.default.fileExists(atPath: s.file("new")), "the refused run left its file")
            #expect("\(error)".contains("--cpus-allowed 1000 names no CPU this process may run on"), "\(error)")
        }
    }
}
