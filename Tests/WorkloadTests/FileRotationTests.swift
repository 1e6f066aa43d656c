import Testing
@testable import Workload

/// fio's file_service_type: the file each I/O goes to.
@Suite struct FileRotationTests {
    func order(_ service: FileService, files: Int, ios: Int, doneAfter: [Int: Int] = [:]) -> [Int] {
        var r = FileRotation(service, files: files, seed: 7)
        var out: [Int] = [], counts = [Int](repeating: 0, count: files)
        for _ in 0..<ios where !r.finished {
            let f = r.current
            out.append(f)
            counts[f] += 1
            r.issued()
            if let limit = doneAfter[f], counts[f] >= limit { r.markDone(f) }
        }
        return out
    }

    @Test func roundRobinMovesOnAfterEveryNIOs() {
        #expect(order(FileService(), files: 3, ios: 7) == [0, 1, 2, 0, 1, 2, 0])
        #expect(order(FileService(.roundrobin, every: 2), files: 2, ios: 6) == [0, 0, 1, 1, 0, 0])
    }

    @Test func sequentialStaysOnAFileUntilItIsDone() {
        #expect(order(FileService(.sequential), files: 3, ios: 9, doneAfter: [0: 2, 1: 3, 2: 4]) == [0, 0, 1, 1, 1, 2, 2, 2, 2])
    }

    @Test func doneFilesArePassedOverAndAllDoneIsFinished() {
        #expect(order(FileService(), files: 3, ios: 20, doneAfter: [0: 1, 1: 3, 2: 3]) == [0, 1, 2, 1, 2, 1, 2])
        var r = FileRotation(FileService(.random), files: 2, seed: 1)
        r.markDone(0)
        #expect(r.current == 1 && !r.finished)
        r.markDone(1)
        #expect(r.finished)
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
