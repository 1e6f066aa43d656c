import Foundation

extension [String: Any] {
    /// The value at a path of keys and array indices: `at("jobs", "0", "read")`.
    public func at(_ path: String...) -> Any? { walk(path) }
    /// The integer at a path of keys and array indices.
    public func int(_ path: String...) -> Int? { (walk(path) as? NSNumber)?.intValue }

    private func walk(_ path: [String]) -> Any? {
        var current: Any? = self
        for key in path { current = Self.step(current, key) }
        return current
    }

    public static func step(_ current: Any?, _ key: String) -> Any? {
        if let i = Int(key), let a = current as? [Any] { return i < a.count ? a[i] : nil }
        return (current as? [String: Any])?[key]
    }
}

/// `text` as one JSON object, if it is one.
public func jsonObject(_ text: String) -> [String: Any]? {
    try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
}
