import Foundation
import Glibc
import Testing
import TestSupport

/// The progress line, on a real pseudo-terminal (util-linux `script`), and its absence elsewhere.
@Suite struct ProgressTests {
    static let escape = "\u{1B}[K"

    /// Runs `tierbench arguments` with stderr on a pseudo-terminal and stdout to `stdoutFile`;
    /// returns what the terminal showed and the wall time.
    func onTerminal(_ arguments: [String], stdoutFile: String, log: String) throws -> (terminal: String, seconds: Double)? {
        guard let script = which("script") else {
            print("skipped: util-linux `script` is not installed (apt-get install bsdutils)")
            return nil
        }
        let command = ([tierbenchPath] + arguments).joined(separator: " ") + " > \(stdoutFile)"
        let start = Date()
        let o = try execute(script, ["-qefc", command, log])
        let seconds = Date().timeIntervalSince(start)
        #expect(o.status == 0, "\(o.stdout) \(o.stderr)")
        return (try String(contentsOfFile: log, encoding: .utf8), seconds)
    }

    @Test func aTerminalGetsOneLineUpdatedInPlaceAtMostFourTimesASecond() throws {
        let s = Scratch()
        let args = ["run", "--target", s.file("p.dat"), "--rw", "randread", "--size", "32m", "--iodepth", "4",
                    "--runtime", "2s", "--ramp-time", "500ms", "--time-based", "--output-format", "json"]
        guard let (terminal, seconds) = try onTerminal(args, stdoutFile: s.file("out.json"), log: s.file("tty.log")) else { return }
        let updates = terminal.components(separatedBy: "\r" + Self.escape).dropFirst().filter { !$0.isEmpty && !$0.hasPrefix("\r") }
        #expect(updates.count >= 4, "the line was drawn: \(terminal.suffix(300))")
        #expect(Double(updates.count) <= seconds * 4 + 2, "\(updates.count) updates in \(seconds) s")
        #expect(updates.contains { $0.contains("randread ramp") }, "the ramp phase is shown")
        let run = try #require(updates.first { $0.contains("randread run") && $0.contains("ETA") })
        #expect(run.contains("%") && run.contains("elapsed") && run.contains("IOPS") && run.contains("MiB/s"), "\(run)")
        #expect(updates.contains { $0.hasPrefix("layout") }, "the layout phase is shown")
        #expect(terminal.contains("\r" + Self.escape + "\r\n") || terminal.hasSuffix("\r" + Self.escape) || terminal.contains("\r" + Self.escape + "\n"),
                "the line is erased at the end")
        // stdout was a file: only the JSON document, no progress bytes.
        let out = try String(contentsOfFile: s.file("out.json"), encoding: .utf8)
        #expect(!out.contains("\r") && !out.contains("\u{1B}"))
        #expect((try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])?["schema"] as? String == "tierbench/1")
    }

    @Test func neverMeansNeverEvenOnATerminal() throws {
        let s = Scratch()
        let args = ["run", "--target", s.file("n.dat"), "--rw", "randread", "--size", "8m", "--runtime", "700ms", "--time-based",
                    "--progress", "never", "--output-format", "json"]
        guard let (terminal, _) = try onTerminal(args, stdoutFile: s.file("out.json"), log: s.file("tty.log")) else { return }
        #expect(!terminal.contains(Self.escape))
    }

    @Test func autoStaysQuietWhenStderrIsAPipeAndAlwaysForcesIt() throws {
        let s = Scratch()
        let base = ["run", "--target", s.file("a.dat"), "--rw", "randread", "--size", "8m", "--runtime", "800ms", "--time-based",
                    "--output-format", "json"]
        let auto = try tierbench(base)
        #expect(auto.status == 0 && !auto.stderr.contains(Self.escape) && !auto.stdout.contains(Self.escape))
        let always = try tierbench(base + ["--progress", "always"])
        #expect(always.status == 0)
        #expect(always.stderr.contains(Self.escape + "randread run"), "\(always.stderr.prefix(300))")
        #expect(!always.stdout.contains(Self.escape) && always.json != nil, "stdout stays one JSON document")
    }
}
