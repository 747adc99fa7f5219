import ArgumentParser
import SyncProtocol

/// `sync-server`: runs the MobileSync reference server, mints a token to talk to it, or backs
/// up its database.
@main
struct SyncServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync-server",
        abstract: "The MobileSync reference server.",
        discussion: """
            'serve' (the default, so 'sync-server' alone serves) runs the server; 'token' prints a \
            signed token to call it with; 'migrate' creates or upgrades the database's tables; 'backup' \
            copies a SQLite database while the server runs. To try it \
            on your own machine:

              swift run sync-server --dev
              swift run sync-server token --dev --tenant acme --user alice --device phone-1

            'sync-server serve --help' lists every setting and its environment variable.
            """,
        version: "sync-server \(ProtocolInfo.version) (protocol \(ProtocolInfo.name) \(ProtocolInfo.version), WebSocket subprotocol \(ProtocolInfo.subprotocol))",
        subcommands: [ServeCommand.self, TokenCommand.self, MigrateCommand.self, BackupCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}
