public import Foundation

/// Prometheus's `promtool` (Debian's `prometheus` package), which checks and unit-tests the
/// generated alerting rules. `.ci/run` installs it and sets `SYNC_REQUIRE_PROMTOOL=1`, so there
/// its absence fails the tests; on a machine without it, the tests that need it are skipped.
public enum Promtool {
    /// The executable on `PATH`, or `nil`.
    public static let executable: URL? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent("promtool") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// Whether the environment demands promtool (CI).
    public static let required = ProcessInfo.processInfo.environment["SYNC_REQUIRE_PROMTOOL"] == "1"

    /// Whether tests that need promtool run: it is installed, or it is required (and its absence fails them).
    public static var shouldRun: Bool { executable != nil || required }

    /// Runs promtool with `arguments` in `directory`: exit status and everything it printed.
    public static func run(_ arguments: [String], in directory: URL) async throws -> (status: Int32, output: String) {
        guard let executable else {
            throw CommandError(description: "promtool is not installed (Debian: apt-get install prometheus)")
        }
        let command = CommandProcess(executable: URL(fileURLWithPath: "/bin/sh"),
                                     arguments: ["-c", "cd \"$0\" && tool=\"$1\" && shift && exec \"$tool\" \"$@\"", directory.path, executable.path] + arguments)
        let result = try await CommandProcess.run(command, timeout: .seconds(120))
        return (result.status, result.output + result.error)
    }

    /// A failure to start a tool.
    public struct CommandError: Error, CustomStringConvertible {
        /// What went wrong.
        public var description: String
    }
}
