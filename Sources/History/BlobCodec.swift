import Foundation

/// Compact blobs: histograms as LEB128 varints (bucket delta, count), samples as little-endian Float32.
enum BlobCodec {
    static func encode(histogram bins: [(nanoseconds: UInt64, count: UInt64)]) -> Data {
        var out = Data()
        out.reserveCapacity(bins.count * 4)
        var previous: UInt64 = 0
        for (ns, count) in bins {
            varint(ns &- previous, into: &out)  // ascending, so the delta is small
            varint(count, into: &out)
            previous = ns
        }
        return out
    }

    static func decodeHistogram(_ data: Data) -> [(nanoseconds: UInt64, count: UInt64)]? {
        var out: [(nanoseconds: UInt64, count: UInt64)] = []
        var i = data.startIndex
        var previous: UInt64 = 0
        while i < data.endIndex {
            guard let delta = readVarint(data, &i), let count = readVarint(data, &i) else { return nil }
            previous &+= delta
            out.append((previous, count))
        }
        return out
    }

    static func encode(samples: [Double]) -> Data {
        var out = Data(capacity: samples.count * 4)
        for v in samples {
            var bits = Float(v).bitPattern.littleEndian
            withUnsafeBytes(of: &bits) { out.append(contentsOf: $0) }
        }
        return out
    }

    static func decodeSamples(_ data: Data) -> [Double] {
        let n = data.count / 4
        var out = [Double](repeating: 0, count: n)
        data.withUnsafeBytes { raw in
            for k in 0..<n {
                let bits = raw.loadUnaligned(fromByteOffset: k * 4, as: UInt32.self)
                out[k] = Double(Float(bitPattern: UInt32(littleEndian: bits)))
            }
        }
        return out
    }

    private static func varint(_ value: UInt64, into out: inout Data) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(v & 0x7f) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    private static func readVarint(_ data: Data, _ i: inout Data.Index) -> UInt64? {
        var result: UInt64 = 0, shift: UInt64 = 0
        while i < data.endIndex {
            let b = data[i]
            i = data.index(after: i)
            guard shift < 64 else { return nil }
            result |= UInt64(b & 0x7f) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
        }
        return nil
    }
}
