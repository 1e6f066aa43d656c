/// What a job's writes carry when a fio data option is given (`buffer_compress_percentage`,
/// `buffer_compress_chunk`, `dedupe_percentage`, `refill_buffers`, `scramble_buffers`,
/// `buffer_pattern`, `zero_buffers`), with fio's meaning (fio 3.33 init.c fixup_options and
/// setup_td_flags, options.c str_buffer_pattern_cb / str_dedupe_cb, io_u.c fill_io_buffer,
/// get_buf_state and small_content_scramble, lib/rand.c fill_random_buf_percentage).
/// A job without any of them writes `DataPattern`'s default (random, offset-stamped).
public struct WriteData: Codable, Sendable, Equatable {
    /// `buffer_compress_percentage`: this share of each chunk is zeros (or the pattern), the
    /// rest random; 100 is all zeros (fio turns it into zero_buffers).
    public var compressPercentage: Int = 0
    /// `buffer_compress_chunk` (fio's default 512): the random/fixed alternation's period; 0: the
    /// job's smallest write block.
    public var compressChunkBytes: Int = 512
    /// `dedupe_percentage`: this share of writes repeat the content of another write exactly.
    public var dedupePercentage: Int = 0
    /// `buffer_pattern`: the fixed bytes (repeated) in place of zeros.
    public var pattern: [UInt8]?
    /// `zero_buffers`: buffers start as zeros (and are not scrambled unless asked).
    public var zero: Bool = false
    /// `refill_buffers` and `scramble_buffers` as given; nil: fio's default for the other options.
    public var refill: Bool?
    public var scramble: Bool?

    public init() {}

    /// How a write's buffer is prepared, once fio's defaults are applied.
    public struct Plan: Sendable, Equatable {
        /// Regenerate the whole buffer before every write (fio's refill_buffers).
        public var refill: Bool
        /// Stamp the file offset into each 512-byte sector before every write (fio's scramble).
        public var scramble: Bool
        /// Percentage of each chunk that is fixed (zeros or pattern); 0: all random.
        public var fixedPercent: Int
        /// Everything fixed: zeros or the pattern, no random bytes at all.
        public var allFixed: Bool
        public var chunkBytes: Int
        public var dedupePercent: Int
    }

    /// fio's rules: compress 100 is zero buffers; compress (1-99), dedupe and a pattern on a job
    /// that reads refill every write unless refill_buffers says otherwise; scramble is on unless
    /// zero_buffers or a pattern was given, and never on top of compress, dedupe or verify.
    public func plan(reads: Bool, verify: Bool, smallestWriteBlock: Int) -> Plan {
        let compressAll = compressPercentage == 100
        let percent = compressAll ? 0 : compressPercentage
        let compressed = percent > 0 || dedupePercentage > 0
        let refillDefault = percent > 0 || dedupePercentage > 0 || verify || (pattern != nil && reads)
        let doRefill = refill ?? refillDefault
        // fio's TD_F_COMPRESS: any buffer_compress_percentage (100 too) or dedupe_percentage.
        let compressFlag = compressPercentage > 0 || dedupePercentage > 0
        let doScramble = (scramble ?? (pattern == nil && !zero)) && !doRefill && !compressFlag && !verify
        let fixedOnly = !compressed && (compressAll || zero || pattern != nil)
        let chunk = compressChunkBytes == 0 ? smallestWriteBlock : min(compressChunkBytes, smallestWriteBlock)
        return Plan(refill: doRefill, scramble: doScramble, fixedPercent: percent, allFixed: fixedOnly,
                    chunkBytes: max(chunk, 1), dedupePercent: dedupePercentage)
    }

    /// fio's `buffer_pattern` syntax (lib/pattern.c, without formats): hex numbers (`0xdeadbeef`,
    /// bytes in the order written), decimal numbers (little-endian, as few bytes as they need;
    /// 0 is one zero byte) and quoted strings (`"abc"`), one after another.
    public static func parsePattern(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        var s = Substring(text)
        while let c = s.first {
            if c == " " || c == "\t" { s.removeFirst(); continue }
            if c == "\"" || c == "'" {
                s.removeFirst()
                guard let end = s.firstIndex(of: c) else { return nil }
                bytes += Array(s[..<end].utf8)
                s = s[s.index(after: end)...]
            } else if s.lowercased().hasPrefix("0x") {
                let digits = s.dropFirst(2).prefix { $0.isHexDigit }
                guard !digits.isEmpty else { return nil }
                var hex = String(digits)
                if hex.count % 2 == 1 { hex = "0" + hex }
                var i = hex.startIndex
                while i < hex.endIndex {
                    let j = hex.index(i, offsetBy: 2)
                    bytes.append(UInt8(hex[i..<j], radix: 16)!)
                    i = j
                }
                s = s.dropFirst(2 + digits.count)
            } else if c.isNumber || c == "-" {
                let digits = s.prefix { $0.isNumber || $0 == "-" }
                guard let v = Int32(digits) else { return nil }
                if v == 0 { bytes.append(0) }
                var u = UInt32(bitPattern: v)
                while u != 0 { bytes.append(UInt8(u & 0xFF)); u >>= 8 }
                s = s.dropFirst(digits.count)
            } else {
                return nil
            }
        }
        return bytes.isEmpty ? nil : bytes
    }
}

/// A clone's write-buffer generator for a `WriteData` plan: allocates when made, nothing per I/O.
public final class WriteDataFill {
    public let plan: WriteData.Plan
    /// The fixed bytes (zeros or the pattern repeated from its first byte), one buffer long.
    let fixed: UnsafeMutableRawPointer
    let capacity: Int
    /// Seeds of unique buffers, in turn; a deduped buffer repeats the last one's (fio's
    /// buf_state_prev: the copy repeats a unique buffer's content exactly).
    var uniqueSeed: SplitMix64
    var lastSeed: UInt64?
    var dedupe: Xoshiro256

    public init(_ data: WriteData, plan: WriteData.Plan, capacity: Int, seed: UInt64) {
        self.plan = plan
        self.capacity = capacity
        let fixed = UnsafeMutableRawPointer.allocate(byteCount: max(capacity, 1), alignment: 64)
        self.fixed = fixed
        uniqueSeed = SplitMix64(state: seed ^ 0x5752_4954_4544_4154)
        dedupe = Xoshiro256(seed: seed ^ 0x4445_4455_5045)
        if let p = data.pattern, !p.isEmpty {
            p.withUnsafeBytes { src in
                var i = 0
                while i < capacity {
                    let n = min(p.count, capacity - i)
                    (fixed + i).copyMemory(from: src.baseAddress!, byteCount: n)
                    i += n
                }
            }
        } else {
            fixed.initializeMemory(as: UInt8.self, repeating: 0, count: max(capacity, 1))
        }
    }

    deinit { fixed.deallocate() }

    /// Fills `length` bytes at `buffer` for one write (fio's fill_io_buffer).
    public func fill(_ buffer: UnsafeMutableRawPointer, length: Int) {
        let n = min(length, capacity)
        if plan.allFixed {
            buffer.copyMemory(from: fixed, byteCount: n)
            return
        }
        // fio draws 1...100 and repeats when it is <= the percentage; 100 repeats every buffer.
        let repeatLast = plan.dedupePercent >= 100 || (plan.dedupePercent > 0 && Int(dedupe.next(below: 100)) < plan.dedupePercent)
        let seed: UInt64
        if repeatLast, let last = lastSeed { seed = last } else { seed = uniqueSeed.next(); lastSeed = seed }
        var rng = Xoshiro256(seed: seed)
        if plan.fixedPercent == 0 {
            Self.random(buffer, n, &rng)
            return
        }
        // lib/rand.c fill_random_buf_percentage per chunk: the random part first, then the fixed
        // part; a tail of a word or less joins the fixed part.
        var at = 0
        while at < n {
            let segment = min(plan.chunkBytes, n - at)
            var left = segment
            var p = buffer + at
            while left > 0 {
                let randomLength = min(segment * (100 - plan.fixedPercent) / 100, left)
                Self.random(p, randomLength, &rng)
                left -= randomLength
                if left == 0 { break }
                p += randomLength
                var fixedLength = segment - randomLength
                if fixedLength > left || left - fixedLength <= 8 { fixedLength = left }
                p.copyMemory(from: fixed, byteCount: fixedLength)
                left -= fixedLength
                p += fixedLength
            }
            at += segment
        }
    }

    /// Prepares the buffer of a write of `length` bytes at `offset`. `filled`: the slot holds this
    /// job's data from an earlier write (a read into the slot clears it), kept unless refilling.
    @inline(__always)
    public func prepare(_ buffer: UnsafeMutableRawPointer, length: Int, offset: UInt64, filled: inout Bool) {
        if plan.refill || !filled {
            fill(buffer, length: plan.refill ? length : capacity)
            filled = true
        }
        if plan.scramble { DataPattern.stamp(buffer, length: length, fileOffset: offset) }
    }

    @inline(__always)
    static func random(_ p: UnsafeMutableRawPointer, _ length: Int, _ rng: inout Xoshiro256) {
        var i = 0
        while i + 8 <= length {
            p.storeBytes(of: rng.next(), toByteOffset: i, as: UInt64.self)
            i += 8
        }
        if i < length {
            var last = rng.next()
            while i < length { p.storeBytes(of: UInt8(truncatingIfNeeded: last), toByteOffset: i, as: UInt8.self); last >>= 8; i += 1 }
        }
    }
}

extension WriteDataFill {
    /// The generator for a job's clone (nil `writeData` never gets here).
    public convenience init(job: JobSpec, capacity: Int, clone: Int) {
        let data = job.writeData ?? WriteData()
        self.init(data, plan: data.plan(reads: job.rw.reads, verify: job.verify != nil, smallestWriteBlock: Int(job.sizes.write.minBytes)),
                  capacity: capacity, seed: job.randseed &+ UInt64(clone) &* 0x9E37_79B9_7F4A_7C15)
    }
}

extension RawJobOptions {
    /// fio's data options on a job (the job-file layer gives fio's values: integers, sizes in
    /// bytes, 1/0 for the flags, the pattern as written).
    func resolveWriteData(_ job: inout JobSpec) throws(InputError) {
        let given = [bufferCompressPercentage, bufferCompressChunk, dedupePercentage, refillBuffers, scrambleBuffers, bufferPattern, zeroBuffers]
        guard given.contains(where: { $0 != nil }) else { return }
        var data = WriteData()
        func percent(_ v: String?, _ option: String) throws(InputError) -> Int? {
            guard let v else { return nil }
            let n = try Units.parseInteger(v, option: option)
            guard (0...100).contains(n) else { throw InputError("\(option) \(v) is outside 0-100; give a percentage, e.g. \(option) 50") }
            return n
        }
        func flag(_ v: String?, _ option: String) throws(InputError) -> Bool? {
            guard let v else { return nil }
            switch v.lowercased() {
            case "1", "true", "yes", "on": return true
            case "0", "false", "no", "off": return false
            default: throw InputError("\(option) \(v) is not 0 or 1")
            }
        }
        data.compressPercentage = try percent(bufferCompressPercentage, "--buffer-compress-percentage") ?? 0
        data.dedupePercentage = try percent(dedupePercentage, "--dedupe-percentage") ?? 0
        if let v = bufferCompressChunk {
            let n = try Units.parseSize(v, option: "--buffer-compress-chunk")
            guard n <= 1 << 30 else { throw InputError("--buffer-compress-chunk \(v) is above the 1 GiB block limit; give e.g. 512 or 4k") }
            data.compressChunkBytes = Int(n)
        }
        data.refill = try flag(refillBuffers, "--refill-buffers")
        data.scramble = try flag(scrambleBuffers, "--scramble-buffers")
        data.zero = try flag(zeroBuffers, "--zero-buffers") ?? false
        if let v = bufferPattern {
            guard let bytes = WriteData.parsePattern(v) else {
                throw InputError("--buffer-pattern \(v) is not a pattern; give hex (0xdeadbeef), a number or a quoted string (\"abc\")")
            }
            data.pattern = bytes
        }
        job.writeData = data
    }

    /// A job's data options against the rest of the job.
    func checkWriteData(_ job: JobSpec) throws(InputError) {
        guard job.writeData != nil else { return }
        if job.verify == .pattern {
            throw InputError("--verify pattern checks every byte against tierbench's own data, and the data options (buffer_compress_percentage, dedupe_percentage, buffer_pattern, ...) write other bytes; give --verify crc32c (a checksum of whatever was written)")
        }
    }
}
