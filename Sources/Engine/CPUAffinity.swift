import CURing
import Glibc

/// fio's `cpus_allowed`: a worker thread pinned to a set of CPUs (sched_setaffinity on the
/// calling thread, as fio's `fio_setaffinity` on its job thread).
public enum CPUAffinity {
    /// A CPU mask as the kernel reads it (1024 CPUs, glibc's cpu_set_t).
    public typealias Mask = [UInt64]
    public static let words = 16

    /// The CPUs of `cpus` this thread may run on (its current affinity mask); empty: none.
    public static func usable(_ cpus: [Int]) -> [Int] {
        var mask = Mask(repeating: 0, count: words)
        let rc = mask.withUnsafeMutableBytes { tb_sched_getaffinity_self($0.count, $0.baseAddress) }
        guard rc > 0 else { return cpus }
        return cpus.filter { $0 < words * 64 && mask[$0 / 64] & (1 << UInt64($0 % 64)) != 0 }
    }

    /// Pins the calling thread to `cpus`; false when the kernel refuses.
    @discardableResult
    public static func pin(_ cpus: [Int]) -> Bool {
        var mask = Mask(repeating: 0, count: words)
        for c in cpus where c < words * 64 { mask[c / 64] |= 1 << UInt64(c % 64) }
        return mask.withUnsafeBytes { tb_sched_setaffinity_self($0.count, $0.baseAddress) } == 0
    }

    /// The calling thread's CPUs (for tests).
    public static func current() -> [Int] { usable(Array(0..<(words * 64))) }
}
