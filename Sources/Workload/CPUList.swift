import Text

/// fio's CPU list syntax (`cpus_allowed=0-3,5`): CPU numbers and ranges, comma-separated.
public enum CPUList {
    /// The CPUs in `text`, ascending and without repeats.
    public static func parse(_ text: String, option: String = "cpus-allowed") throws(InputError) -> [Int] {
        var cpus = Set<Int>()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = part.trimmingBlanks
            let ends = item.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
            guard (1...2).contains(ends.count), let low = ends[0], let high = ends.last!, low >= 0, low <= high, high < 1 << 16 else {
                throw InputError(option: option, value: text, ": '\(item)' is not a CPU or a range of CPUs; give e.g. 0-3,5")
            }
            for c in low...high { cpus.insert(c) }
        }
        return cpus.sorted()
    }
}
