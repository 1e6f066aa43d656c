import Foundation
import Testing
import TestSupport

/// fio's steady state on a real file: a job limited by `rate_iops` is steady by construction and
/// stops once its window says so; a criterion no sample can meet runs to the runtime; the
/// fio-json `steadystate` object has real fio's keys, order and types.
@Suite struct SteadyStateRunTests {
    static func jobFile(_ s: Scratch, _ options: String, filename: String? = nil) -> String {
        s.write("ss.fio", """
            [ss]
            rw=randread
            bs=4k
            size=4m
            time_based
            rate_iops=200
            \(filename.map { "filename=\($0)\n" } ?? "")\(options)
            """)
    }

    static func run(_ s: Scratch, _ options: String, format: String = "json") throws -> Outcome {
        let target = s.dataFile("target.data", bytes: 4 << 20)
        return try tierbench(["run", jobFile(s, options), "--target", target, "--progress", "never", "--output-format", format])
    }

    @Test func aSteadyJobAttainsAndStopsBeforeItsRuntime() throws {
        let s = Scratch()
        let out = try Self.run(s, "runtime=30\nss=iops:20%\nss_dur=2\n")
        #expect(out.status == 0, "\(out.stderr)")
        let job = try #require((jsonObject(out.stdout)?["jobs"] as? [[String: Any]])?.first)
        let ss = try #require(job["steady_state"] as? [String: Any])
        #expect(ss["attained"] as? Bool == true && ss["ss"] as? String == "iops:20.000000%" && ss["duration_seconds"] as? Int == 2)
        let after = try #require(ss["attained_after_ns"] as? Int)
        // Two samples, a second each: attained after about 2 s, far from the 30 s runtime.
        #expect(after >= 2_000_000_000 && after < 15_000_000_000)
        #expect((job["measured_span_ns"] as? Int ?? .max) < 15_000_000_000)
        let iops = try #require(ss["iops"] as? [Int])
        #expect(iops.count == 2 && iops.allSatisfy { $0 > 100 && $0 < 300 }, "\(iops)")
    }

    /// Prometheus has whether each clone's criterion was met and when (promtool accepts it); the
    /// HTML report says it in its notes.
    @Test func prometheusAndTheHTMLReportShowTheSteadyState() throws {
        let s = Scratch()
        let target = s.dataFile("target.data", bytes: 4 << 20)
        let out = try tierbench(["run", Self.jobFile(s, "runtime=30\nss=iops:20%\nss_dur=2\n"), "--target", target, "--progress", "never",
                                 "--output-format", "json,prometheus", "--output", s.file("r.json"), "--output", s.file("r.prom")])
        #expect(out.status == 0, "\(out.stderr)")
        let prom = try String(contentsOfFile: s.file("r.prom"), encoding: .utf8)
        if let promtool = which("promtool") {
            let lint = try execute("/bin/sh", ["-c", "\(promtool) check metrics < '\(s.file("r.prom"))'"])
            #expect(lint.status == 0 && lint.stdout.isEmpty && lint.stderr.isEmpty, "\(lint.stdout)\(lint.stderr)")
        }
        let all = samples(prom)
        let attained = try #require(all.first { $0.name == "tierbench_steady_state_attained" }, "\(prom)")
        #expect(attained.value == 1 && attained.labels["criterion"] == "iops:20.000000%" && attained.labels["clone"] == "0")
        let after = try #require(all.first { $0.name == "tierbench_steady_state_attained_seconds" })
        #expect(after.value >= 2 && after.value < 30, "\(after.value) s")
        let html = s.file("r.html")
        let o = try tierbench(["report", s.file("r.json"), "--output", html])
        #expect(o.status == 0, "\(o.stderr)")
        let blocks = try #require((try pageModel(html)["sections"] as? [[String: Any]])?.first?["blocks"] as? [[String: Any]])
        let notes = blocks.filter { $0["type"] as? String == "notes" }.flatMap { ($0["lines"] as? [String]) ?? [] }
        #expect(notes.contains { $0.hasPrefix("ss: steady state iops:20.000000%: attained after ") }, "\(notes)")
    }

    @Test func aCriterionNoWindowMeetsRunsToTheRuntime() throws {
        // iops:0%: the largest deviation is never below 0, so it cannot be attained.
        let s = Scratch()
        let out = try Self.run(s, "runtime=3\nss=iops:0%\nss_dur=2\n", format: "human")
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("ss: steady state iops:0.000000%: not attained (ran to its end), iops mean dev="), "\(out.stdout)")
        let json = try Self.run(Scratch(), "runtime=3\nss=iops:0%\nss_dur=2\n")
        let job = try #require((jsonObject(json.stdout)?["jobs"] as? [[String: Any]])?.first)
        let ss = try #require(job["steady_state"] as? [String: Any])
        #expect(ss["attained"] as? Bool == false && ss["attained_after_ns"] == nil)
        #expect((job["measured_span_ns"] as? Int ?? 0) >= 2_900_000_000)
    }

    @Test func groupReportingStopsEveryCloneOfTheGroup() throws {
        let s = Scratch()
        let out = try Self.run(s, "runtime=30\nnumjobs=2\ngroup_reporting\nss=iops:20%\nss_dur=2\n", format: "fio-json")
        #expect(out.status == 0, "\(out.stderr)")
        let jobs = try #require(jsonObject(out.stdout)?["jobs"] as? [[String: Any]])
        #expect(jobs.count == 1)
        let ss = try #require(jobs.first?["steadystate"] as? [String: Any])
        #expect(ss["attained"] as? Int == 1)
        // The group's samples: both clones, 200 IOPS each.
        let iops = try #require((ss["data"] as? [String: Any])?["iops"] as? [Int])
        #expect(iops.count == 2 && iops.allSatisfy { $0 > 250 && $0 < 550 }, "\(iops)")
        #expect((jobs.first?["job_runtime"] as? Int ?? .max) < 15_000)
    }

    @Test func fioJSONSteadystateMatchesRealFio() throws {
        guard let fio = fioPath else { try Test.cancel("fio is not installed: nothing to compare the steadystate object with") }
        let s = Scratch()
        let target = s.dataFile("target.data", bytes: 4 << 20)
        let options = "runtime=20\nss=iops:50%\nss_dur=2\n"
        let theirs = try execute(fio, ["--output-format=json", Self.jobFile(s, options, filename: target)])
        #expect(theirs.status == 0, "\(theirs.stderr)")
        let ours = try tierbench(["run", Self.jobFile(s, options), "--target", target, "--progress", "never", "--output-format", "fio-json"])
        #expect(ours.status == 0, "\(ours.stderr)")
        func steadystate(_ text: String) throws -> OrderedJSON? {
            guard let start = text.firstIndex(of: "{") else { return nil }
            guard case .object(let root) = try OrderedJSON(parsing: String(text[start...])),
                  case .array(let jobs)? = root.first(where: { $0.key == "jobs" })?.value,
                  case .object(let job)? = jobs.first else { return nil }
            return job.first { $0.key == "steadystate" }?.value
        }
        let f = try #require(try steadystate(theirs.stdout), "fio wrote no steadystate")
        let t = try #require(try steadystate(ours.stdout), "tierbench wrote no steadystate")
        #expect(Self.shape(t) == Self.shape(f))
        if case .object(let o) = t, case .string(let ss)? = o.first(where: { $0.key == "ss" })?.value { #expect(ss == "iops:50.000000%") }
    }

    @Test func mistakesAreReportedInTheFilesWords() throws {
        let s = Scratch()
        for (line, message) in [("ss=lat:1%", "ss.fio:8: ss=lat:1% is not iops, iops_slope, bw or bw_slope with a limit; give e.g. steadystate=iops:1%"),
                                ("ss=iops", "ss.fio:8: ss=iops has no limit"),
                                ("ss=iops:1%\nss_dur=500ms", "ss.fio:9: ss_dur=500ms is under a second")] {
            let out = try Self.run(s, "runtime=3\n\(line)\n")
            #expect(out.status != 0 && out.stderr.contains(message), "\(out.stderr)")
        }
    }

    @Test func jobsOfAReportingGroupShareTheirCriterion() throws {
        // fio: "steadystate options must be consistent within reporting groups"; new_group separates them.
        let s = Scratch()
        let target = s.dataFile("target.data", bytes: 1 << 20)
        let text = "[a]\nrw=read\nruntime=2\nss=iops:1%\nss_dur=2\n[b]\nrw=read\nruntime=2\n"
        let out = try tierbench(["run", s.write("g.fio", text), "--target", target, "--progress", "never"])
        #expect(out.status != 0 && out.stderr.contains("g.fio:6: job `b`: steadystate differs from job a's in the same reporting group"), "\(out.stderr)")
        let apart = try tierbench(["run", s.write("h.fio", text + "new_group\n"), "--target", target, "--progress", "never"])
        #expect(apart.status == 0, "\(apart.stderr)")
    }

    /// Keys in order and the kind of every value (an array: its elements' kinds).
    static func shape(_ j: OrderedJSON) -> String {
        switch j {
        case .object(let entries): return "{" + entries.map { "\($0.key):\(shape($0.value))" }.joined(separator: ",") + "}"
        case .array(let items): return "[" + Set(items.map(shape)).sorted().joined(separator: "|") + "]"
        default: return j.kind
        }
    }
}
