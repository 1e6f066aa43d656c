import Foundation

/// `--label key=value`: the user's names for a run (team, pipeline, zone ...).
public enum Labels {
    /// Keys that fill a run's own fields: tier and class and zone are part of the target identity,
    /// node is where it ran, instance_type a boundary of a series.
    public static let wellKnown: Set<String> = ["tier", "class", "zone", "node", "instance_type"]

    /// Parses `key=value` pairs. Keys: letters, digits, `_ . -`, starting with a letter (`-` in
    /// a key is read as `_`, so instance-type is instance_type); values: anything but empty.
    public static func parse(_ texts: [String], option: String = "--label") throws(HistoryError) -> [String: String] {
        var out: [String: String] = [:]
        for text in texts {
            guard let eq = text.firstIndex(of: "=") else {
                throw HistoryError("\(option) \(text): give key=value, e.g. \(option) zone=us-east-1a")
            }
            let key = String(text[..<eq]).replacingOccurrences(of: "-", with: "_"), value = String(text[text.index(after: eq)...])
            guard let first = key.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII,
                  key.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_.".unicodeScalars.contains($0)) }) else {
                throw HistoryError("\(option) \(text): the key must start with a letter and hold only letters, digits, _ . -; e.g. \(option) zone=us-east-1a")
            }
            guard !value.isEmpty else { throw HistoryError("\(option) \(text): the value is empty; give key=value, e.g. \(option) \(key)=nightly") }
            guard !value.contains(where: { $0.isNewline || $0 == "," }) else {
                throw HistoryError("\(option) \(text): a value cannot hold a comma or a line break")
            }
            if let old = out[key], old != value { throw HistoryError("\(option) \(key) is given twice (\(old), \(value)); give each key once") }
            out[key] = value
        }
        return out
    }
}
