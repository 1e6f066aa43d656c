import Foundation
import Testing
import TestSupport
import Workload

/// `FioFileSet` against real fio: the files fio creates for a job with several files (names and
/// sizes) are the ones FioFileSet names and sizes.
@Suite struct FioFileSetComparisonTests {
    @Test(arguments: [
        ("nrfiles=3\nsize=20k", 3, String?.none, String?.none, UInt64(20 << 10)),
        ("nrfiles=2\nsize=8k\nnumjobs=2\nfilename_format=$JOBNAME-$jobnum-$filenum.f", 2, nil, "$JOBNAME-$jobnum-$filenum.f", 8 << 10),
        ("size=12k\nfilename=p\\:q:r", 2, "p\\:q:r", nil, 12 << 10),
    ] as [(String, Int, String?, String?, UInt64)])
    func fioCreatesTheFilesFioFileSetNames(options: String, files: Int, filename: String?, format: String?, size: UInt64) throws {
        guard let fio = fioPath else { try Test.cancel("fio is not installed: nothing to compare with") }
        let s = Scratch()
        let job = "[j]\nrw=write\nbs=4k\ndirectory=\(s.path)\n\(options)\n"
        let ran = try execute(fio, [s.write("j.fio", job), "--output-format=json"], cwd: s.path)
        #expect(ran.status == 0, "\(ran.stderr)")
        let clones = options.contains("numjobs=2") ? 2 : 1
        let sizes = FioFileSet.ioSizes(sizeBytes: size, files: files, filesizeBytes: nil, minBlockBytes: 4096)
        var expected: [String: UInt64] = ["j.fio": UInt64(job.utf8.count)]
        for clone in 0..<clones {
            let paths = FioFileSet.paths(filename: filename, directory: s.path, nrfiles: files, format: format, jobName: "j", jobNumber: clone)
            for (path, bytes) in zip(paths, sizes) { expected[String(path.dropFirst(s.path.count + 1))] = bytes }
        }
        var created: [String: UInt64] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: s.path) {
            created[name] = (try FileManager.default.attributesOfItem(atPath: s.file(name))[.size] as? NSNumber)?.uint64Value
        }
        #expect(created == expected)
    }
}
