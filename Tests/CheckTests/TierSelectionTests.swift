import Foundation
import Testing
@testable import Check
import Profiles

/// Which volume `expect` and `check` are about, from the options as typed (moved out of the CLI).
@Suite struct TierSelectionTests {
    func selection(_ set: (inout TierSelection) -> Void) -> TierSelection {
        var s = TierSelection(builtInProfiles: .success(builtInProfiles))
        set(&s)
        return s
    }

    func refusal(_ s: TierSelection) -> SelectionError? {
        do { _ = try s.request(); return nil } catch { return error }
    }

    @Test func optionsThatDoNotGoTogetherAreUsageErrors() {
        let cases: [((inout TierSelection) -> Void, String)] = [
            ({ _ in }, "give --storageclass FILE"),
            ({ $0.tier = "gp3"; $0.manifests = ["a.yaml"] }, "both name the tier"),
            ({ $0.manifests = ["a.yaml"]; $0.iops = "3000" }, "--iops goes with --tier"),
            ({ $0.tier = "gp3"; $0.className = "fast" }, "--class picks a class"),
            ({ $0.tier = "gp3"; $0.claim = "data" }, "--claim picks a claim"),
            ({ $0.manifests = ["a.yaml"]; $0.claim = "data"; $0.size = "1Gi" }, "--claim takes the size from the claim"),
            ({ $0.tier = "gp3"; $0.size = "lots" }, "--size lots:"),
            ({ $0.tier = "gp3"; $0.size = "0" }, "--size 0 must be above zero"),
            ({ $0.tier = "gp3" }, "--size is missing"),
            ({ $0.tier = "io2"; $0.size = "100Gi" }, "--tier io2 needs a provisioned IOPS: give --iops N"),
            ({ $0.tier = "gp3"; $0.size = "100Gi"; $0.iops = "-5" }, "--iops -5 is not a positive number"),
            ({ $0.tier = "gp3"; $0.size = "100Gi"; $0.profiles = ["/nonexistent"] }, "--profiles /nonexistent is not a directory"),
        ]
        for (set, fragment) in cases {
            let e = refusal(selection(set))
            #expect(e?.kind == .usage, "\(fragment): \(String(describing: e))")
            #expect(e?.message.contains(fragment) == true, "'\(fragment)' not in \(e?.message ?? "no error")")
        }
    }

    @Test func aTierNamedDirectly() throws {
        guard case .tier(let subject) = try selection({ $0.tier = "gp3"; $0.size = "100Gi" }).request() else {
            Issue.record("not a tier request"); return
        }
        #expect(subject.profile.name == "gp3")
        // check's default size (a block device's) stands in for --size.
        guard case .tier(let sized) = try selection({ $0.tier = "gp3" }).request(defaultSize: try Quantity.parse("200Gi")) else {
            Issue.record("not a tier request"); return
        }
        #expect(sized.resolved.size.text == "200Gi")
    }

    @Test func noBuiltInProfilesIsSaidWhenTheyAreNeeded() {
        var s = TierSelection(builtInProfiles: .failure(SelectionError(kind: .usage, message: "no built-in profiles found")))
        s.tier = "gp3"; s.size = "100Gi"
        #expect(refusal(s)?.message == "no built-in profiles found")
        s.tier = nil
        #expect(refusal(s)?.message.contains("give --storageclass FILE") == true, "option mistakes come first")
    }

    @Test func manifestsThatCannotBeReadAreInputErrors() {
        let e = refusal(selection { $0.manifests = ["/nonexistent/classes.yaml"] })
        #expect(e?.kind == .input, "\(String(describing: e))")
    }

    /// Judging a result: every class that can be evaluated, the others named in a warning.
    @Test func judgingAResultTakesEveryClassThatCanBeEvaluated() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tierselection-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("classes.yaml").path
        try ManifestEvaluationTests.platform.write(toFile: file, atomically: true, encoding: .utf8)
        var warnings: [String] = []
        let s = selection { $0.manifests = [file]; $0.size = "500Gi" }
        let judged = try s.checkSubjects(defaultSize: nil, judgingResults: true) { warnings.append($0) }
        #expect(!judged.isEmpty)
        #expect(judged.count + warnings.count >= 2, "\(judged.map(\.profile.name)) \(warnings)")
        #expect(warnings.allSatisfy { $0.hasPrefix("not judged: ") }, "\(warnings)")
        // Measuring: one volume, so several classes need --class.
        #expect(throws: SelectionError.self) { try s.checkSubjects(defaultSize: nil, judgingResults: false) { _ in } }
        let one = try selection { $0.manifests = [file]; $0.size = "500Gi"; $0.className = "fast" }
            .checkSubjects(defaultSize: nil, judgingResults: false) { _ in Issue.record("no warning for one class") }
        #expect(one.map(\.profile.name) == ["gp3"])
    }

    @Test func checkTargetForADirectoryIsAFileInsideRemovedAtTheEnd() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("checktarget-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let inDir = CheckTarget(dir.path + "/", processID: 42)
        #expect(inDir.path == dir.path + "/.tierbench-check-42.dat" && inDir.created)
        let missing = CheckTarget(dir.path + "/new.dat")
        #expect(missing.path == dir.path + "/new.dat" && missing.created)
        _ = FileManager.default.createFile(atPath: missing.path, contents: Data([1]))
        missing.remove()
        #expect(!FileManager.default.fileExists(atPath: missing.path))
        let existing = dir.appendingPathComponent("keep.dat").path
        _ = FileManager.default.createFile(atPath: existing, contents: Data([1]))
        let kept = CheckTarget(existing)
        #expect(!kept.created)
        kept.remove()
        #expect(FileManager.default.fileExists(atPath: existing), "a file check did not create stays")
    }
}
