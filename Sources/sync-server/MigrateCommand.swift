import ArgumentParser
import Foundation
import Logging
import SyncServer

/// `sync-server migrate`: brings the database's schema up to this version and exits.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or upgrade the database's tables, then exit.",
        discussion: """
            'serve' migrates at start as well; run 'migrate' first when you deploy, so that a \
            failing migration stops the rollout before any server runs the new version. Running \
            it again changes nothing; several at once are safe (on PostgreSQL they take turns). \
            A database written by a newer server is refused (exit 1).

            Example:
              SYNC_DATABASE_URL="postgres://sync:$PASSWORD@db.internal:5432/mobilesync" sync-server migrate
            """
    )

    @OptionGroup(title: "Storage") var storage: StorageOptions

    func run() async throws {
        let location = try storage.location(SettingSource(environment: CommandContext.current.environment))
        var logger = Logger(label: "mobilesync.migrate")
        logger.logLevel = .warning
        do {
            let version = try await SchemaMigration.run(location, logger: logger)
            print("\(location): schema version \(version)")
        } catch {
            FileHandle.standardError.write(Data("sync-server migrate: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
