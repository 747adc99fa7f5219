import Foundation

/// What the commands read from the machine: environment variables and files. Tests run the
/// commands, `validate()` included, in a context of their own for the current task, so
/// parsing never depends on the machine.
struct CommandContext: Sendable {
    /// The environment variables.
    var environment: [String: String]
    /// Reads a text file, such as a PEM key.
    var readFile: @Sendable (String) throws -> String

    /// The process's environment and file system.
    static let process = CommandContext(environment: ProcessInfo.processInfo.environment,
                                        readFile: { path in try String(contentsOfFile: path, encoding: .utf8) })

    /// The context in effect.
    @TaskLocal static var current: CommandContext = .process
}
