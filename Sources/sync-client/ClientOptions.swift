import ArgumentParser
import Foundation
import SyncClient
import SyncClientHarness
import SyncClientWebSocket
import SyncProtocol

/// Options every command shares: where the local store is and how to reach the server.
struct ClientOptions: ParsableArguments {
    @Option(help: "The local database file (environment SYNC_CLIENT_STORE).")
    var store: String?

    @Option(help: "The server's base URL, such as http://127.0.0.1:8080 (environment SYNC_SERVER_URL).")
    var server: String?

    @Option(help: "The bearer token (environment SYNC_TOKEN). Never printed.")
    var token: String?

    @Option(help: "The most mutations sent in one push (default and maximum: the server's max_mutations_per_push).")
    var batchSize: Int?

    var storePath: String {
        store ?? ProcessInfo.processInfo.environment["SYNC_CLIENT_STORE"] ?? "sync-client.sqlite"
    }

    /// Opens the local store.
    func openStore() throws -> SQLiteClientStore {
        do {
            return try SQLiteClientStore(path: storePath)
        } catch {
            throw ValidationError("cannot open the local store at \(storePath): \(error)")
        }
    }

    /// A client on the local store, for commands that talk to the server.
    func makeClient(store: SQLiteClientStore) throws -> SyncClient {
        let environment = ProcessInfo.processInfo.environment
        guard let text = server ?? environment["SYNC_SERVER_URL"], let url = URL(string: text), url.scheme == "http" || url.scheme == "https" else {
            throw ValidationError("give the server's URL with --server or SYNC_SERVER_URL (http:// or https://)")
        }
        guard let token = token ?? environment["SYNC_TOKEN"], !token.isEmpty else {
            throw ValidationError("give a token with --token or SYNC_TOKEN")
        }
        let info = ClientInfo(platform: SyncClientConfiguration.platform, appVersion: "sync-client",
                              osVersion: String(ProcessInfo.processInfo.operatingSystemVersionString.prefix(64)), networkType: .unknown)
        if let batchSize, batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
        var configuration = SyncClientConfiguration(serverURL: url, client: info)
        if let batchSize { configuration.uploader.maxMutationsPerBatch = batchSize }
        return SyncClient(configuration: configuration, store: store,
                          connector: WebSocketConnector(), tokens: StaticTokenProvider(token))
    }
}

extension LocalRecord {
    /// The record as a JSON line: collection, id, fields, server version, pending writes.
    var json: JSONValue {
        .object(["collection": .string(key.collection), "id": .string(key.id), "fields": .object(fields),
                 "version": .int(serverVersion), "pending": .int(Int64(pendingMutations))])
    }
}

/// Parses a JSON object given on the command line.
func parseFields(_ text: String) throws -> JSONObject {
    guard case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else {
        throw ValidationError("FIELDS must be a JSON object, such as '{\"title\": \"hi\"}'")
    }
    return object
}
