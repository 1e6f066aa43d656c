import JobFiles
import Workload
import Testing

/// One mistake, three front ends: the error carries its option, and the command line, a fio file
/// and a tierbench file each word it in their own language (`--bs 4q`, `bs=4q` at file:line,
/// `bs: 4q` at file:line:column), other options it names included.
@Suite struct ErrorWordingTests {
    /// The message of the command line's own job (`run --bs 4q ...`).
    func commandLine(_ set: (inout RawJobOptions) -> Void) -> String? {
        var raw = RawJobOptions()
        set(&raw)
        do { _ = try raw.resolve(); return nil } catch { return error.message }
    }

    func fio(_ text: String) -> String? {
        do { _ = try JobPlan.make([try FioJobFile.parse(text: text, file: "t.fio")]); return nil } catch { return error.description }
    }

    func native(_ text: String) -> String? {
        do { _ = try JobPlan.make([try NativeJobFile.parse(text: text, file: "t.yaml")]); return nil } catch { return error.description }
    }

    @Test func anUnknownUnit() {
        #expect(commandLine { $0.rw = "read"; $0.bs = "4q" } == "--bs 4q: unknown unit 'q'; use k, m, g, t or p (1024 base), e.g. 4k")
        #expect(fio("[job]\nrw=read\nbs=4q\n") == "t.fio:3: bs=4q: unknown unit 'q'; use k, m, g, t or p (1024 base), e.g. 4k")
        #expect(native("jobs:\n  - rw: read\n    bs: 4q\n") == "t.yaml:3:5: bs: 4q: unknown unit 'q'; use k, m, g, t or p (1024 base), e.g. 4k")
    }

    @Test func aCountBelowOne() {
        #expect(commandLine { $0.rw = "read"; $0.iodepth = "0" } == "--iodepth 0 must be at least 1")
        #expect(fio("[job]\nrw=read\niodepth=0\n") == "t.fio:3: iodepth=0 must be at least 1")
        #expect(native("jobs:\n  - rw: read\n    iodepth: 0\n") == "t.yaml:3:5: iodepth: 0 must be at least 1")
    }

    /// Other options the message names (and its example) are spelled as the front end writes them.
    @Test func optionsNamedInTheMessage() {
        #expect(commandLine { $0.rw = "read"; $0.thinktimeBlocks = "4" } == "--thinktime-blocks 4 needs --thinktime (how long to stall), e.g. --thinktime 2ms")
        #expect(fio("[job]\nrw=read\nthinktime_blocks=4\n") == "t.fio:3: thinktime_blocks=4 needs thinktime (how long to stall), e.g. thinktime=2ms")
        #expect(native("jobs:\n  - rw: read\n    thinktime-blocks: 4\n") == "t.yaml:3:5: thinktime-blocks: 4 needs thinktime (how long to stall), e.g. thinktime: 2ms")
    }

    /// Two options in one message: each in the file's words, the value as the file writes it.
    @Test func twoOptionsThatCollide() {
        #expect(commandLine { $0.rw = "read"; $0.rate = "1m"; $0.rateIops = "100" } == "--rate 1m and --rate-iops 100 both limit reads; give each direction one of them, e.g. --rate 10m, --rate-iops ,500 (reads in bytes, writes in I/Os)")
        #expect(fio("[job]\nrw=read\nrate=1m\nrate_iops=100\n") == "t.fio:3: rate=1m and rate_iops=100 both limit reads; give each direction one of them, e.g. rate=10m, rate_iops=,500 (reads in bytes, writes in I/Os)")
        #expect(native("jobs:\n  - rw: read\n    rate: 1m\n    rate-iops: 100\n") == "t.yaml:3:5: rate: 1m and rate-iops: 100 both limit reads; give each direction one of them, e.g. rate: 10m, rate-iops: ,500 (reads in bytes, writes in I/Os)")
    }

    /// A verify mistake names `rw` as the file does; it was worded with `--rw` before.
    @Test func aVerifyMistakeNamesTheWorkload() {
        #expect(fio("[job]\nrw=read\nverify=crc32c\ndo_verify=0\n") == "t.fio:4: do_verify=0 writes verify headers without checking them, and rw=read only reads; drop do_verify=0 to check the blocks it reads")
    }

    /// The option as the file spells it (an alias) and its value as written, not as normalised.
    @Test func theFilesOwnSpellingAndValue() {
        #expect(fio("[job]\nrw=read\nblocksize=2g\n") == "t.fio:3: blocksize=2g is above the 1 GiB limit; give e.g. bs=1m")
        #expect(native("jobs:\n  - rw: read\n    bs: 2g\n") == "t.yaml:3:5: bs: 2g is above the 1 GiB limit; give e.g. bs: 1m")
    }

    /// A `[global]` value is reported at its line, with the job it failed for.
    @Test func aGlobalValueNamesTheJob() {
        #expect(fio("[global]\nbs=0\n[a]\nrw=read\n") == "t.fio:2: bs=0 is not a block size; give e.g. bs=4k (job `a`)")
    }

    /// A value the command line puts over a file keeps the command line's words.
    @Test func aCommandLineOverrideKeepsItsWords() throws {
        let parsed = try FioJobFile.parse(text: "[a]\nrw=read\n", file: "t.fio")
        if let error = #expect(throws: (any Error).self, performing: { try JobPlan.make([parsed], commandLine: [("iodepth", "0")]) }) {
            #expect("\(error)" == "command line: job `a`: --iodepth 0 must be at least 1")
        }
    }

    /// fio's own value syntax (parsed by the job-file layer) is worded the same way.
    @Test func fioValueErrors() {
        #expect(fio("[job]\nrw=read\nrwmixread=abc\n") == "t.fio:3: rwmixread=abc is not a whole number")
        #expect(fio("[job]\nrw=read\nbs=4k,4q\n") == "t.fio:3: bs=4k,4q: 4q: unknown unit 'q'; use k, m, g, t or p (1024 base), e.g. 4k")
        #expect(fio("[job]\nrw=read\ndirect=maybe\n") == "t.fio:3: direct=maybe is not 0 or 1")
    }

    /// One reading of booleans for flags, fio options and job files.
    @Test func oneBooleanParser() {
        for (text, value) in [("1", true), ("yes", true), ("On", true), ("TRUE", true), ("0", false), ("no", false), ("off", false), ("False", false)] {
            #expect(BooleanValue.parse(text) == value, "\(text)")
        }
        #expect(BooleanValue.parse("maybe") == nil)
        #expect(BooleanValue.parse("2") == nil)
        #expect(fio("[job]\nrw=read\ndirect=off\n").map { _ in "refused" } == nil)
        #expect(native("jobs:\n  - rw: read\n    norandommap: on\n").map { _ in "refused" } == nil)
    }
}
