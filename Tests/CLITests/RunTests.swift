import Foundation
import Glibc
import Testing
import TestSupport

@Suite struct RunTests {
    @Test func defaultSuiteRunsOnATemporaryFileAndRemovesIt() throws {
        let s = Scratch()
        let o = try tierbench(["run", "--runtime", "300ms", "--ramp-time", "100ms", "--output-format", "json"], cwd: s.path)
        #expect(o.status == 0, "\(o.stderr)")
        let json = try #require(o.json, "stdout is one JSON document: \(o.stdout.prefix(200))")
        let jobs = try #require(json["jobs"] as? [[String: Any]])
        #expect(jobs.map { $0["name"] as? String } == ["seqwrite-1m-qd8", "seqread-1m-qd8", "randread-4k-qd32", "randwrite-4k-qd32", "mixed70-8k-qd16"])
        for job in jobs {
            let engine = (job["engine"] as? [String: Any])?["name"] as? String
            #expect(engine == "io_uring" || engine == "psync")
            let ios = ((job["read"] as? [String: Any])?["ios"] as? Int ?? 0) + ((job["write"] as? [String: Any])?["ios"] as? Int ?? 0)
            #expect(ios > 0)
            let runtime = job["measured_span_ns"] as? Int ?? 0
            #expect(runtime > 250_000_000 && runtime < 1_000_000_000, "measured span \(runtime)")
        }
        #expect(json.int("target", "size_bytes") == 1 << 30)
        #expect(json.int("layout", "bytes") == 1 << 30)
        #expect(o.stderr.contains("laying out"))
        // Nothing is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.path).isEmpty)
    }

    @Test func humanTableHasUnitsAndARowPerDirection() throws {
        let s = Scratch()
        let o = try tierbench(["run", "--target", s.file("h.dat"), "--rw", "mixed", "--size", "4m", "--bs", "8k", "--iodepth", "4"])
        #expect(o.status == 0, "\(o.stderr)")
        let lines = o.stdout.split(separator: "\n")
        let header = try #require(lines.first { $0.hasPrefix("job") })
        for unit in ["IOPS", "MiB/s", "lat p99 us", "lat p99.9 us", "engine"] { #expect(header.contains(unit)) }
        #expect(lines.contains { $0.hasPrefix("mixed ") && $0.contains(" read ") })
        #expect(lines.contains { $0.hasPrefix("mixed ") && $0.contains(" write ") })
    }

    @Test func interruptStopsCleanlyAndReportsWhatWasMeasured() throws {
        let s = Scratch()
        let o = try tierbench(["run", "--target", s.file("i.dat"), "--rw", "randread", "--size", "16m", "--iodepth", "8",
                               "--runtime", "60s", "--time-based", "--output-format", "json", "--progress", "always"],
                              cues: [.signal(SIGINT, when: .running("randread", for: 1))])
        #expect(o.status == 130, "\(o.stderr)")
        let json = try #require(o.json)
        #expect(json["interrupted"] as? Bool == true)
        let runtime = json.int("jobs", "0", "measured_span_ns") ?? 0
        #expect(runtime > 500_000_000 && runtime < 3_000_000_000, "measured \(runtime) ns before the signal")
        let ios = json.int("jobs", "0", "read", "ios") ?? 0
        #expect(ios > 0 && json.int("jobs", "0", "read", "lat_ns", "count") == ios)
    }

    @Test func explicitPsyncEngineIsReported() throws {
        let s = Scratch()
        let o = try tierbench(["run", "--target", s.file("p.dat"), "--rw", "randread", "--size", "2m", "--ioengine", "psync",
                               "--output-format", "json"])
        #expect(o.status == 0, "\(o.stderr)")
        #expect(o.json?.at("jobs", "0", "engine", "name") as? String == "psync")
        #expect(o.json?.int("jobs", "0", "read", "ios") == 512)
        #expect(o.json?.int("jobs", "0", "read", "short_ios") == 0)
    }
}

/// io_uring refused by a seccomp filter (as under Docker's default profile): tierbench says why and
/// runs on psync; with an explicit `--ioengine io_uring` it is an error.
@Suite(.enabled(if: seccompPython != nil, "needs /usr/bin/python3 with Debian's python3-seccomp"))
struct SeccompFallbackTests {
    func underSeccomp(_ arguments: [String]) throws -> Outcome {
        let script = """
            import errno, os, sys, seccomp
            f = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
            f.add_rule(seccomp.ERRNO(errno.EPERM), "io_uring_setup")
            f.load()
            os.execv(sys.argv[1], sys.argv[1:])
            """
        return try execute(seccompPython!, ["-c", script, tierbenchPath] + arguments)
    }

    @Test func fallsBackToPsyncAndSaysWhy() throws {
        let s = Scratch()
        let o = try underSeccomp(["run", "--target", s.file("f.dat"), "--rw", "randread", "--size", "4m", "--iodepth", "8",
                                  "--output-format", "json"])
        #expect(o.status == 0, "\(o.stderr)")
        #expect(o.stderr.contains("io_uring unavailable") && o.stderr.contains("EPERM") && o.stderr.contains("seccomp"), "\(o.stderr)")
        #expect(o.stderr.contains("running on psync"))
        #expect(o.json?.at("jobs", "0", "engine", "name") as? String == "psync")
        #expect(o.json?.int("jobs", "0", "read", "ios") == 1024)
        #expect((o.json?.at("jobs", "0", "engine", "notes") as? [String])?.first?.contains("seccomp") == true)
    }

    @Test func explicitIoUringIsAnError() throws {
        let s = Scratch()
        let o = try underSeccomp(["run", "--target", s.file("g.dat"), "--rw", "randread", "--size", "1m", "--ioengine", "io_uring"])
        #expect(o.status == 1, "\(o.stderr)")
        #expect(o.stderr.contains("--ioengine io_uring") && o.stderr.contains("seccomp"))
        #expect(o.stdout.isEmpty)
    }
}

let seccompPython: String? = {
    guard access("/usr/bin/python3", X_OK) == 0 else { return nil }
    let o = try? execute("/usr/bin/python3", ["-c", "import seccomp"])
    return o?.status == 0 ? "/usr/bin/python3" : nil
}()

/// Registered buffers refused under a low RLIMIT_MEMLOCK (as an unprivileged user): io_uring goes on
/// with plain reads, says so once, and the result records it.
@Suite(.enabled(if: isRoot && which("setpriv") != nil, "needs root to run tierbench as nobody with a low ulimit -l"))
struct MemlockFallbackTests {
    @Test func registeredBuffersFallBackWithANote() throws {
        let s = Scratch()
        chmod(s.path, 0o777)
        let o = try execute("/bin/sh", ["-c", "ulimit -l 64 && exec setpriv --reuid=65534 --regid=65534 --clear-groups \"$0\" \"$@\"",
                                        tierbenchPath, "run", "--target", s.file("m.dat"), "--rw", "randread", "--bs", "64k",
                                        "--size", "2m", "--iodepth", "4", "--output-format", "json"])
        #expect(o.status == 0, "\(o.stderr)")
        let engine = o.json?.at("jobs", "0", "engine") as? [String: Any]
        #expect(engine?["name"] as? String == "io_uring")
        #expect(engine?["registered_buffers"] as? Bool == false)
        #expect(o.stderr.components(separatedBy: "registered buffers unavailable: ENOMEM").count == 2, "one note: \(o.stderr)")
        #expect(o.json?.int("jobs", "0", "read", "ios") == 32)
    }
}
