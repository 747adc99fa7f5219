import ArgumentParser
import SyncServer
@testable import sync_server

/// A command context with only these variables and files, never the machine's.
func testContext(_ environment: [String: String], files: [String: String] = [:]) -> CommandContext {
    CommandContext(environment: environment, readFile: { path in
        guard let text = files[path] else { throw MissingTestFile() }
        return text
    })
}

/// Parses `sync-server serve` arguments in a test context, as the command does before it runs.
func serveConfiguration(_ arguments: [String], environment: [String: String] = [:],
                        files: [String: String] = [:]) throws -> ServerConfiguration {
    try CommandContext.$current.withValue(testContext(environment, files: files)) {
        try ServeCommand.parse(arguments).configuration()
    }
}

/// The message and exit code `serve` would print and exit with for these arguments.
func serveRefusal(_ arguments: [String], environment: [String: String] = [:],
                  files: [String: String] = [:]) -> (message: String, exitCode: Int32)? {
    do {
        _ = try serveConfiguration(arguments, environment: environment, files: files)
        return nil
    } catch {
        return (ServeCommand.message(for: error), ServeCommand.exitCode(for: error).rawValue)
    }
}

/// The environment of a production-like setup: only a good secret.
let secretEnvironment = ["SYNC_JWT_SECRET": TestTokens.secret]

/// A file the test context does not have.
struct MissingTestFile: Error {}
