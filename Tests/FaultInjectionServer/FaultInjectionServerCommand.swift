import ArgumentParser
import Foundation
import Logging
import SyncServer

/// `fault-injection-server`: the reference server built with one deliberate bug, for the
/// fault-injection tests of the conformance suite. Test control is always on. Never ship it.
@main
struct FaultInjectionServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fault-injection-server",
        abstract: "The reference server with one deliberate bug, for testing the conformance suite.",
        discussion: """
            Serves exactly like 'sync-server serve --test-control' on a loopback host, except for the \
            fault named by --fault ('none' is the faithful server). Prints the same 'listening' line. \
            Faults and the requirement each violates: Tests/FaultInjectionServer/README.md.

              fault-injection-server --fault tenant-leak --host 127.0.0.1 --port 0 \\
                --db /tmp/f/sync.sqlite --data-dir /tmp/f --jwt-secret "$SECRET"
            """
    )

    @Option(help: ArgumentHelp("The bug to build in; none for the faithful server.", valueName: "name"))
    var fault: Fault

    @Option(help: ArgumentHelp("Loopback address to listen on.", valueName: "address"))
    var host = "127.0.0.1"

    @Option(help: ArgumentHelp("TCP port; 0 picks a free one.", valueName: "number"))
    var port = 0

    @Option(name: .customLong("db"), help: ArgumentHelp("SQLite database file, created if missing.", valueName: "path"))
    var database: String

    @Option(help: ArgumentHelp("Folder for uploaded files.", valueName: "path"))
    var dataDir: String

    @Option(help: ArgumentHelp("HS256 secret tokens are signed with, at least 32 bytes.", valueName: "secret"))
    var jwtSecret: String

    @Option(help: ArgumentHelp("Bytes one tenant's uploads may take; 0 for no quota.", valueName: "bytes"))
    var storageQuota: Int64 = 0

    @Option(help: ArgumentHelp("Completed push batches kept in memory for replays.", valueName: "count"))
    var idempotencyCacheEntries = ServerConfiguration.defaultIdempotencyCacheEntries

    @Option(help: ArgumentHelp("trace, debug, info, notice, warning, error or critical.", valueName: "level"))
    var logLevel = "warning"

    func run() async throws {
        guard HostAddress.isLoopback(host) else { throw ValidationError("--host must be a loopback address: test control is always on.") }
        guard let level = Logger.Level(rawValue: logLevel) else { throw ValidationError("Unknown --log-level '\(logLevel)'.") }
        var settings = ServerConfiguration(
            host: host, port: port, database: DatabaseLocation(sqlitePath: database), dataDirectory: dataDir,
            auth: AuthConfiguration(hs256Secret: jwtSecret), testControl: true, logLevel: level)
        settings.uploads.storageQuotaBytes = storageQuota
        settings.idempotencyCacheEntries = idempotencyCacheEntries
        let configuration = settings
        try configuration.validate()
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "mobilesync.fault-injection")
        if fault != .none {
            logger.warning("fault injected: \(fault.rawValue) (violates \(fault.requirements.joined(separator: ", ")))")
        }
        let customization = try await fault.customization(auth: configuration.auth)
        try await SyncServer.run(configuration, logger: logger, customization: customization) { port in
            let line = "sync-server listening on http://\(configuration.host):\(port) (WebSocket ws://\(configuration.host):\(port)/v1/sync), database \(configuration.database)\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
    }
}
