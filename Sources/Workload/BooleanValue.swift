/// The one reading of a boolean the user wrote, for flags given a value (`--direct`), fio's
/// options (`direct=1`, `time_based=yes`) and tierbench's job files (`stonewall: true`).
public enum BooleanValue {
    /// 1/0, true/false, yes/no, on/off (any case); nil for anything else.
    public static func parse(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "1", "yes", "on": true
        case "false", "0", "no", "off": false
        default: nil
        }
    }
}
