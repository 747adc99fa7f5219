import ArgumentParser
import Foundation
import Logging
import SyncServer

/// `sync-server backup`: an online, consistent copy of the SQLite database.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent copy of the SQLite database while the server runs.",
        discussion: """
            Copies the database with SQLite's VACUUM INTO (one read transaction: the copy is \
            the database as of one commit; the running server keeps writing), checks the copy's \
            integrity, and leaves out the chunk rows of open upload sessions, whose bytes are in \
            temporary files a backup does not keep (after a restore, clients send those chunks \
            again). Never overwrites a file. Back up the upload directory's files/ folder after \
            the database (docs/operator-guide.md says why that order is consistent).

            Example:
              sync-server backup --db /var/lib/mobilesync/sync.sqlite \\
                --output /backup/sync-$(date -u +%Y%m%dT%H%M%SZ).sqlite
            """
    )

    @Option(name: .customLong("db"), help: ArgumentHelp("The server's SQLite database file. Env SYNC_DB, default ./data/sync.sqlite.",
                                                        valueName: "path"))
    var database: String?

    @Option(help: ArgumentHelp("Where to write the copy; must not exist.", valueName: "path"))
    var output: String

    func run() async throws {
        let source = SettingSource(environment: CommandContext.current.environment).string(database, "SYNC_DB") ?? "./data/sync.sqlite"
        var logger = Logger(label: "mobilesync.backup")
        logger.logLevel = .warning
        do {
            let summary = try await SQLiteBackup.run(source: source, destination: output, logger: logger)
            print("wrote \(output): \(summary.bytes) bytes, schema version \(summary.schemaVersion), "
                + "\(summary.droppedChunks) chunk rows of open uploads left out")
        } catch let failure as SQLiteBackup.Failure {
            FileHandle.standardError.write(Data("sync-server backup: \(failure.description)\n".utf8))
            throw ExitCode.failure
        }
    }
}
