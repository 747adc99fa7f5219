import ArgumentParser

/// `sync-client`: a MobileSync client for people, scripts and the conformance runner.
@main
struct SyncClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync-client",
        abstract: "A MobileSync client with a local database: write offline, sync later.",
        discussion: """
            State lives in a local SQLite file (--store, default ./sync-client.sqlite): writes made \
            while the server is down stay there and go out at the next `sync`. The server URL and \
            token come from --server/--token or SYNC_SERVER_URL/SYNC_TOKEN.

            Example:
              export SYNC_SERVER_URL=http://127.0.0.1:8080
              export SYNC_TOKEN=$(swift run sync-server token --dev --tenant acme --user alice --device phone-1)
              sync-client put tasks t1 '{"title": "Inspect pump 3"}'
              sync-client sync
              sync-client watch --count 1
            """,
        subcommands: [PutCommand.self, DeleteCommand.self, GetCommand.self, ListCommand.self, SyncCommand.self,
                      WatchCommand.self, UploadCommand.self, StatusCommand.self, HarnessCommand.self]
    )
}
