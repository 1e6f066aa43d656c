import Foundation
import Testing
import TestSupport

/// The option reference in docs/ is generated from the argument parser; these keep it from
/// drifting from `--help`, and the README's links from pointing nowhere.
@Suite struct DocsTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func optionReferenceMatchesTheParser() throws {
        guard let python = which("python3") else {
            print("skipped: python3 is not installed")
            return
        }
        let script = Self.repo.appendingPathComponent("docs/gen-options.py").path
        let r = try execute(python, [script, tierbenchPath, "--check"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        // The reference names every flag the parser has, e.g. one the old hand-written table missed.
        let reference = try String(contentsOf: Self.repo.appendingPathComponent("docs/options.md"), encoding: .utf8)
        let help = try tierbench(["run", "--help"]).stdout
        for flag in ["--verify-backlog", "--status-interval", "--allow-device-writes", "--history"] where help.contains(flag) {
            #expect(reference.contains("`\(flag)"), "docs/options.md lacks \(flag)")
        }
    }

    @Test func markdownLinksPointAtFiles() throws {
        var documents = ["README.md"]
        let docs = Self.repo.appendingPathComponent("docs")
        documents += try FileManager.default.contentsOfDirectory(atPath: docs.path).filter { $0.hasSuffix(".md") }.map { "docs/\($0)" }
        let link = try Regex(#"\]\(([^)#:]+)(#[^)]*)?\)"#)
        for document in documents {
            let file = Self.repo.appendingPathComponent(document)
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in text.matches(of: link) {
                guard let target = match.output[1].substring else { continue }
                let path = file.deletingLastPathComponent().appendingPathComponent(String(target)).standardizedFileURL.path
                #expect(FileManager.default.fileExists(atPath: path), "\(document) links to \(target), which does not exist")
            }
        }
    }
}
