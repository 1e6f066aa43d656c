import Foundation
import Testing
import TestSupport

/// The same size-based job run by fio (the reference) and by tierbench moves the same bytes and
/// I/Os per direction.
@Suite(.serialized, .enabled(if: fioPath != nil, "fio is not installed (apt-get install fio)"))
struct FioAccountingTests {
    func fio(_ file: String, _ options: [String]) throws -> [String: Any] {
        let o = try execute(fioPath!, ["--name=acct", "--filename=\(file)", "--ioengine=io_uring", "--direct=1",
                                       "--output-format=json"] + options)
        #expect(o.status == 0, "fio: \(o.stderr)")
        // fio may print notes before the JSON document.
        let start = o.stdout.firstIndex(of: "{") ?? o.stdout.startIndex
        return try #require(try JSONSerialization.jsonObject(with: Data(o.stdout[start...].utf8)) as? [String: Any])
    }

    @Test(arguments: ["read", "write", "randread", "randwrite"])
    func singleDirectionJobsMoveTheSameBytesAndIOs(rw: String) throws {
        let s = Scratch()
        let file = s.dataFile("acct.dat", bytes: 24 << 20)
        let f = try fio(file, ["--rw=\(rw)", "--bs=16k", "--size=12m", "--offset=4m", "--iodepth=8"])
        let t = try tierbench(["run", "--target", file, "--rw", rw, "--bs", "16k", "--size", "12m", "--offset", "4m",
                               "--iodepth", "8", "--overwrite", "--output-format", "json"])
        #expect(t.status == 0, "\(t.stderr)")
        let json = try #require(t.json)
        for dir in ["read", "write"] {
            let fioBytes = f.int("jobs", "0", dir, "io_bytes") ?? 0
            let fioIOs = f.int("jobs", "0", dir, "total_ios") ?? 0
            #expect((json.int("jobs", "0", dir, "bytes") ?? 0) == fioBytes, "\(rw) \(dir) bytes")
            #expect((json.int("jobs", "0", dir, "ios") ?? 0) == fioIOs, "\(rw) \(dir) I/Os")
        }
        #expect((f.int("jobs", "0", rw.contains("read") ? "read" : "write", "io_bytes") ?? 0) == 12 << 20)
    }

    @Test(arguments: ["readwrite", "randrw"])
    func mixedJobsMoveTheSameTotalAndASimilarSplit(rw: String) throws {
        let s = Scratch()
        let file = s.dataFile("mix.dat", bytes: 16 << 20)
        let f = try fio(file, ["--rw=\(rw)", "--bs=4k", "--size=16m", "--iodepth=16", "--rwmixread=70"])
        let t = try tierbench(["run", "--target", file, "--rw", rw, "--bs", "4k", "--iodepth", "16",
                               "--rwmixread", "70", "--overwrite", "--output-format", "json"])
        #expect(t.status == 0, "\(t.stderr)")
        let json = try #require(t.json)
        let fioTotal = (f.int("jobs", "0", "read", "total_ios") ?? 0) + (f.int("jobs", "0", "write", "total_ios") ?? 0)
        let ours = (json.int("jobs", "0", "read", "ios") ?? 0) + (json.int("jobs", "0", "write", "ios") ?? 0)
        #expect(ours == fioTotal)
        #expect(fioTotal == 4096)
        // The split is random in both tools; each is within a few percent of 70/30.
        let fioReads = Double(f.int("jobs", "0", "read", "total_ios") ?? 0) / Double(fioTotal)
        let ourReads = Double(json.int("jobs", "0", "read", "ios") ?? 0) / Double(ours)
        #expect(abs(fioReads - ourReads) < 0.05, "fio \(fioReads) vs tierbench \(ourReads)")
    }

    @Test func numjobsWithOffsetIncrementMatchPerJob() throws {
        let s = Scratch()
        let file = s.dataFile("nj.dat", bytes: 16 << 20)
        let f = try fio(file, ["--rw=randread", "--bs=8k", "--size=4m", "--numjobs=3", "--offset_increment=5m", "--iodepth=4"])
        let t = try tierbench(["run", "--target", file, "--rw", "randread", "--bs", "8k", "--size", "4m",
                               "--numjobs", "3", "--offset-increment", "5m", "--iodepth", "4", "--output-format", "json"])
        #expect(t.status == 0, "\(t.stderr)")
        let json = try #require(t.json)
        #expect((json["jobs"] as? [Any])?.count == 3)
        for i in 0..<3 {
            #expect(json.int("jobs", "\(i)", "read", "ios") == f.int("jobs", "\(i)", "read", "total_ios"))
            #expect(json.int("jobs", "\(i)", "read", "bytes") == f.int("jobs", "\(i)", "read", "io_bytes"))
            #expect(json.int("jobs", "\(i)", "range_start_bytes") == i * (5 << 20))
        }
    }
}
