import Testing
@testable import Workload

/// Names and sizes as fio 3.33 gives them (observed with `ls -l` after each job ran).
@Suite struct FioFileSetTests {
    @Test(arguments: [
        ("a:b", ["a", "b"]), ("p\\:q:r", ["p:q", "r"]), ("/dev/dsk/foo@3,0\\:c", ["/dev/dsk/foo@3,0:c"]),
        ("one", ["one"]), ("a::b:", ["a", "b"]),
    ])
    func filenameSplitsAtUnescapedColons(value: String, names: [String]) {
        #expect(FioFileSet.splitNames(value) == names)
    }

    @Test func defaultNamesAreJobnameJobnumFilenumUnderTheDirectory() {
        #expect(FioFileSet.paths(filename: nil, directory: "/d/", nrfiles: 3, format: nil, jobName: "x", jobNumber: 0)
                == ["/d/x.0.0", "/d/x.0.1", "/d/x.0.2"])
    }

    @Test func formatKeywordsAreCaseInsensitiveAndEveryOccurrenceIsReplaced() {
        let format = "$JOBNAME-$jobnum-$filenum.$filenum"
        #expect(FioFileSet.paths(filename: nil, directory: "/d", nrfiles: 2, format: format, jobName: "y", jobNumber: 1)
                == ["/d/y-1-0.0", "/d/y-1-1.1"])
    }

    @Test func filenameNamesAreSharedByClonesAndAbsoluteOnesLeaveTheDirectory() {
        for clone in 0..<2 {
            #expect(FioFileSet.paths(filename: "p\\:q:/abs/r", directory: "/d", nrfiles: 5, format: nil, jobName: "z", jobNumber: clone)
                    == ["/d/p:q", "/abs/r"])
        }
    }

    struct Split: Sendable, CustomTestStringConvertible {
        var size: UInt64, files: Int, filesize: UInt64?, bs: UInt64 = 4096
        /// Each file's size and the bytes one clone moves, as fio 3.33.
        var sizes: [UInt64], moved: UInt64
        var testDescription: String { "size=\(size) nrfiles=\(files) filesize=\(filesize.map(String.init) ?? "-")" }
    }
    static let splits: [Split] = [
        Split(size: 10 << 10, files: 3, filesize: nil, sizes: [3413, 3413, 3413], moved: 0),
        Split(size: 20 << 10, files: 3, filesize: nil, sizes: [6826, 6826, 6826], moved: 12288),
        Split(size: 12 << 10, files: 2, filesize: nil, sizes: [6144, 6144], moved: 8192),
        Split(size: 8 << 10, files: 2, filesize: nil, sizes: [4096, 4096], moved: 8192),
        Split(size: 12 << 10, files: 2, filesize: 8 << 10, sizes: [8192, 8192], moved: 12288),
    ]

    @Test(arguments: splits)
    func sizesSplitAsFioSplitsThem(_ c: Split) {
        let got = FioFileSet.ioSizes(sizeBytes: c.size, files: c.files, filesizeBytes: c.filesize, minBlockBytes: c.bs)
        #expect(got == c.sizes)
        #expect(FioFileSet.passBytes(ioSizes: got, blockBytes: c.bs, sizeBytes: c.size) == c.moved)
    }

    @Test func aRemainderOfWholeBlocksGoesToTheFirstFiles() {
        // fio's nr_fs_extra: 1003 bytes over 10 files of 1-byte blocks.
        let sizes = FioFileSet.ioSizes(sizeBytes: 1003, files: 10, filesizeBytes: nil, minBlockBytes: 1)
        #expect(sizes == [101, 101, 101] + Array(repeating: 100, count: 7))
        // A remainder smaller than a block is not spread.
        #expect(FioFileSet.ioSizes(sizeBytes: 6148, files: 3, filesizeBytes: nil, minBlockBytes: 4096) == [2049, 2049, 2049])
    }
}
