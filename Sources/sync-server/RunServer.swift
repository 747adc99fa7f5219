import Foundation
import Logging
import SyncProtocol
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
    // The settings in force, one line: "listen: 127.0.0.1:8080; database: ...; ...".
    let settings = configuration.description.split(separator: "\n")
        .map { $0.split(separator: " ").joined(separator: " ") }.joined(separator: "; ")
    logger.info("starting sync-server", metadata: ["version": "\(ProtocolInfo.version)", "settings": "\(settings)"])
    raiseOpenFileLimit(for: configuration.connections, logger: logger)
    try await SyncServer.run(configuration, logger: logger) { port in
        let (http, ws) = configuration.tls == nil ? ("http", "ws") : ("https", "wss")
        let line = "sync-server listening on \(http)://\(configuration.host):\(port) (WebSocket \(ws)://\(configuration.host):\(port)/v1/sync), database \(configuration.database)\n"
        FileHandle.standardOutput.write(Data(line.utf8))
    }
}
