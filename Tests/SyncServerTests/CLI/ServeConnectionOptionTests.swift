import ArgumentParser
import SyncServer
import Testing
@testable import sync_server

/// `--max-connections`, `--request-timeout` and `--idle-timeout` (and their variables) at each
/// bound, one past it and far beyond.
@Suite struct ServeConnectionOptionTests {
    @Test func defaultsFlagsAndVariables() throws {
        let defaults = try serveConfiguration([], environment: secretEnvironment).connections
        #expect(defaults == ServerConfiguration.Connections(maxConnections: 10_000, requestTimeoutSeconds: 30, idleTimeoutSeconds: 120))
        let edges = try serveConfiguration(["--max-connections", "1", "--request-timeout", "300", "--idle-timeout", "3600"],
                                           environment: secretEnvironment).connections
        #expect(edges == ServerConfiguration.Connections(maxConnections: 1, requestTimeoutSeconds: 300, idleTimeoutSeconds: 3600))
        let variables = try serveConfiguration([], environment: secretEnvironment.merging(
            ["SYNC_MAX_CONNECTIONS": "1000000", "SYNC_REQUEST_TIMEOUT": "1", "SYNC_IDLE_TIMEOUT": "1"]) { $1 }).connections
        #expect(variables == ServerConfiguration.Connections(maxConnections: 1_000_000, requestTimeoutSeconds: 1, idleTimeoutSeconds: 1))
    }

    @Test(arguments: [
        (["--max-connections", "0"], "max connections"), (["--max-connections", "1000001"], "max connections"),
        (["--max-connections", "99999999999999999999"], "max"), (["--request-timeout", "0"], "request timeout"),
        (["--request-timeout", "301"], "request timeout"), (["--request-timeout=-5"], "request timeout"),
        (["--idle-timeout", "0"], "idle timeout"), (["--idle-timeout", "3601"], "idle timeout"),
        (["--idle-timeout", "9223372036854775807"], "idle timeout"),
    ])
    func outOfRangeIsAUsageError(_ case: (arguments: [String], message: String)) {
        let refusal = serveRefusal(`case`.arguments, environment: secretEnvironment)
        #expect(refusal?.exitCode == 64, "\(`case`.arguments)")
        #expect(refusal?.message.contains(`case`.message) == true, "\(refusal?.message ?? "accepted")")
    }
}
