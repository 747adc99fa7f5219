#if os(macOS) || os(Linux)
import Foundation

/// Runs the `git` command line: how `SpecSource.git` reads a spec at a revision. Not on iOS,
/// where there are no processes to start.
package enum Git {
    /// git failed: its message, or its exit status when it printed none.
    package struct Failure: Error, CustomStringConvertible {
        package var description: String
    }

    /// Runs `git ARGUMENTS` in `directory` (the current one when `nil`) and returns its output.
    package static func run(_ arguments: [String], in directory: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + (directory.map { ["-C", $0] } ?? []) + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Drain standard output before waiting, so a large file cannot fill the pipe and stall git.
        // Standard error is a line or two.
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = message.trimmingCharacters(in: .whitespacesAndNewlines)
            throw Failure(description: text.isEmpty ? "git exited with status \(process.terminationStatus)" : text)
        }
        return String(decoding: data, as: UTF8.self)
    }
}
#endif
