import Foundation
import Logging
import SyncServer

/// Runs the server for the command line: logs to standard error at the configured level and
/// prints where it listens and which database it uses once it is ready.
func runServer(_ configuration: ServerConfiguration) async throws {
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = configuration.logLevel
        return handler
    }
    let logger = Logger(label: "mobilesync.server")
    try await SyncServer.run(configuration, logger: logger) { port in
        let line = "sync-server listening on http://\(configuration.host):\(port) (WebSocket ws://\(configuration.host):\(port)/v1/sync), database \(configuration.database)\n"
        FileHandle.standardOutput.write(Data(line.utf8))
    }
}
