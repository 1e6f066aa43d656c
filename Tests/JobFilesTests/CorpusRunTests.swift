import Foundation
import Testing
import TestSupport

/// The corpus files of fio's data and log options run (on a scratch target, in a scratch
/// directory): every job moves data, and the log files fio would write are there.
@Suite struct CorpusRunTests {
    static let files: [(name: String, logs: [String])] = [
        ("30-compress.fio", []),
        ("31-dedupe.fio", []),
        ("32-pattern.fio", []),
        ("34-durability.fio", []),
        ("36-steadystate.fio", []),
        ("33-logs.fio", ["logged_bw.log", "tb-iops_iops.log", "tb_lat.log", "tb_clat.log", "tb_slat.log", "tb-write_bw.3.log"]),
    ]

    @Test func dataAndLogFilesRun() throws {
        for (name, logs) in Self.files {
            let s = Scratch()
            let out = try tierbench(["run", "\(corpusDirectory)/\(name)", "--target", s.file("target.data"), "--progress", "never",
                                     "--output-format", "json"], cwd: s.path)
            #expect(out.status == 0, "\(name): \(out.stderr)")
            let jobs = jsonObject(out.stdout)?["jobs"] as? [[String: Any]] ?? []
            #expect(!jobs.isEmpty, "\(name)")
            for job in jobs {
                let moved = ["read", "write"].compactMap { (job[$0] as? [String: Any])?["bytes"] as? Int }.reduce(0, +)
                #expect(moved > 0, "\(name) [\(job["name"] ?? "?")]")
                // A job with fsync=N or fdatasync=N reports its syncs, timed.
                let durability = (job["parameters"] as? [String: Any])?["durability"] as? [String: Any]
                if durability?["fsync_every"] != nil || durability?["fdatasync_every"] != nil {
                    let sync = job["sync"] as? [String: Any]
                    let lat = sync?["lat_ns"] as? [String: Any]
                    #expect((sync?["ios"] as? Int ?? 0) > 0 && (lat?["count"] as? Int) == sync?["ios"] as? Int && (lat?["max"] as? Int ?? 0) > 0,
                            "\(name) [\(job["name"] ?? "?")]: \(String(describing: sync))")
                }
            }
            let found = try FileManager.default.contentsOfDirectory(atPath: s.path).filter { $0.hasSuffix(".log") }.sorted()
            #expect(found == logs.sorted(), "\(name)")
        }
    }
}
