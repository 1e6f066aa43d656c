import ArgumentParser
import Glibc

/// An option that takes one of a few words (`--progress auto|always|never`): argument-parser
/// lists the words in `--help` and refuses any other (the refusal worded by `ChoiceRefusal`).
protocol Choice: CaseIterable, ExpressibleByArgument, RawRepresentable<String> {}

extension Choice {
    /// The word in any case: `--progress ALWAYS`.
    init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

/// `--progress`: whether to draw the progress line on stderr.
enum ProgressChoice: String, Choice {
    case auto, always, never

    /// auto: when stderr is a terminal.
    var enabled: Bool {
        switch self {
        case .auto: isatty(2) == 1
        case .always: true
        case .never: false
        }
    }
}

/// `check --output-format`.
enum CheckFormat: String, Choice { case human, json, jsonl, prometheus }

/// `expect` and `zones run --output-format`.
enum DocumentFormat: String, Choice { case human, json }

/// `explain --output-format`.
enum ExplainFormat: String, Choice { case text, json }

/// argument-parser's refusal of a word a `Choice` does not have, in tierbench's words:
/// `--progress maybe is not a choice; use auto, always or never`.
enum ChoiceRefusal {
    static func reworded(_ line: String) -> String? {
        let prefix = "The value '", middle = "' is invalid for '", list = ". Please provide one of "
        guard line.hasPrefix(prefix), let m = line.range(of: middle), let l = line.range(of: list), line.hasSuffix(".") else { return nil }
        let value = line[line.index(line.startIndex, offsetBy: prefix.count)..<m.lowerBound]
        guard let option = line[m.upperBound..<l.lowerBound].split(separator: " ").first, option.hasPrefix("--") else { return nil }
        let words = line[l.upperBound..<line.index(before: line.endIndex)]
            .replacingOccurrences(of: "'", with: "").replacingOccurrences(of: " and ", with: " or ")
        return "\(option) \(value) is not a choice; use \(words)"
    }
}
