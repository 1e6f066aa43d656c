import ArgumentParser
import Glibc
import Harness

// One line for every mistake, exit status 2; help and --version as usual.
do {
    var command = try Tierbench.parseAsRoot()
    try command.run()
} catch let error as ExitCode {
    // The command has said what went wrong (or the outcome) and ends with this status.
    exit(error.rawValue)
} catch {
    if Tierbench.exitCode(for: error) == .success {
        Tierbench.exit(withError: error)
    }
    // ArgumentParser's message: the error on the first line, usage after it. (Our own messages are
    // escaped to one line before they get here: InputError.printable.)
    let first = Tierbench.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
    let message = ChoiceRefusal.reworded(first) ?? first
    let words = CommandLine.arguments.dropFirst().filter { !$0.hasPrefix("-") }
    let command = Tierbench.configuration.subcommands.map { $0._commandName }.first { words.first == $0 } ?? "run"
    printError("tierbench: error: \(message)\(message.contains("--help") ? "" : " (see tierbench \(command) --help)")")
    exit(2)
}
