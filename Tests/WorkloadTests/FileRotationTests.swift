import Testing
@testable import Workload

/// fio's file_service_type: the file each I/O goes to.
@Suite struct FileRotationTests {
    /// The files `ios` I/Os of one byte go to, each file's share `limits` bytes.
    func order(_ service: FileService, files: Int, ios: Int, limits: [Int: UInt64] = [:]) -> [Int] {
        var r = FileRotation(service, limits: (0..<files).map { limits[$0] ?? .max }, seed: 7)
        var out: [Int] = []
        for _ in 0..<ios where !r.finished {
            out.append(r.current)
            r.issued(bytes: 1)
        }
        return out
    }

    @Test func roundRobinMovesOnAfterEveryNIOs() {
        #expect(order(FileService(), files: 3, ios: 7) == [0, 1, 2, 0, 1, 2, 0])
        #expect(order(FileService(.roundrobin, every: 2), files: 2, ios: 6) == [0, 0, 1, 1, 0, 0])
    }

    @Test func sequentialStaysOnAFileUntilItIsDone() {
        #expect(order(FileService(.sequential), files: 3, ios: 9, limits: [0: 2, 1: 3, 2: 4]) == [0, 0, 1, 1, 1, 2, 2, 2, 2])
    }

    @Test func doneFilesArePassedOverAndAllDoneIsFinished() {
        #expect(order(FileService(), files: 3, ios: 20, limits: [0: 1, 1: 3, 2: 3]) == [0, 1, 2, 1, 2, 1, 2])
        // A file with no share (smaller than a block) gets nothing; all done is finished.
        #expect(order(FileService(.random), files: 3, ios: 20, limits: [0: 0, 1: 2, 2: 0]) == [1, 1])
        #expect(FileRotation(FileService(), limits: [0, 0], seed: 1).finished)
    }

    @Test func randomPicksEveryFileAboutEvenlyAndKeepsOneForNIOs() {
        let picks = order(FileService(.random), files: 4, ios: 4000)
        for f in 0..<4 { #expect((800...1200).contains(picks.filter { $0 == f }.count), "file \(f)") }
        let runs = order(FileService(.random, every: 8), files: 4, ios: 800)
        // Each choice serves 8 I/Os in a row (it may pick the same file again).
        #expect(stride(from: 0, to: 800, by: 8).allSatisfy { i in Set(runs[i..<i + 8]).count == 1 })
    }

    @Test func fioSpellingsParse() throws {
        #expect(try FileService.parse("roundrobin").get() == FileService())
        #expect(try FileService.parse("random:8").get() == FileService(.random, every: 8))
        #expect(try FileService.parse("SEQUENTIAL").get() == FileService(.sequential))
        guard case .failure(let e) = FileService.parse("pareto:0.5") else { Issue.record("pareto accepted"); return }
        #expect(e.problem.contains("give file_service_type=random"))
    }
}
