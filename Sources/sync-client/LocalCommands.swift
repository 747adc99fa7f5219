import ArgumentParser
import Foundation
import SyncClient
import SyncClientHarness
import SyncProtocol

/// Commands that only touch the local store: they work offline.
struct PutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "put", abstract: "Create a record, or set fields of an existing one, locally (sent at the next sync).",
        discussion: "On an existing record only the given fields change; the protocol never removes a field (set it to null instead).")

    @OptionGroup var options: ClientOptions
    @Argument(help: "The collection.") var collection: String
    @Argument(help: "The record id.") var id: String
    @Argument(help: "The fields, a JSON object.") var fields: String

    func run() async throws {
        let store = try options.openStore()
        let fields = try parseFields(fields)
        let exists = try await store.record(collection: collection, id: id) != nil
        let entry = try await store.write(collection: collection, id: id, op: exists ? .update : .create, fields: fields,
                                          clientTime: Int64(Date().timeIntervalSince1970 * 1000))
        printJSON(["seq": .int(entry.seq), "collection": .string(collection), "id": .string(id), "op": .string(entry.mutation.op.rawValue)])
    }
}

struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a record locally (sent at the next sync).")

    @OptionGroup var options: ClientOptions
    @Argument(help: "The collection.") var collection: String
    @Argument(help: "The record id.") var id: String

    func run() async throws {
        let store = try options.openStore()
        let entry = try await store.write(collection: collection, id: id, op: .delete, fields: nil,
                                          clientTime: Int64(Date().timeIntervalSince1970 * 1000))
        printJSON(["seq": .int(entry.seq), "collection": .string(collection), "id": .string(id), "op": "delete"])
    }
}

struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Print a record as the app sees it (exit 1 when absent).")

    @OptionGroup var options: ClientOptions
    @Argument(help: "The collection.") var collection: String
    @Argument(help: "The record id.") var id: String

    func run() async throws {
        guard let record = try await options.openStore().record(collection: collection, id: id) else {
            throw ExitCode(1)
        }
        printJSON(record.json)
    }
}

struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Print every record of a collection, one JSON line each.")

    @OptionGroup var options: ClientOptions
    @Argument(help: "The collection.") var collection: String

    func run() async throws {
        for record in try await options.openStore().records(collection: collection) { printJSON(record.json) }
    }
}

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Print pending and rejected writes and the cursors.")

    @OptionGroup var options: ClientOptions

    func run() async throws {
        let store = try options.openStore()
        let cursors = try await store.cursors()
        let rejected = try await store.rejected().map { item -> JSONValue in
            ["seq": .int(item.seq), "collection": .string(item.mutation.collection), "id": .string(item.mutation.recordId),
             "error": .string(item.error.rawValue), "message": .string(item.message)]
        }
        printJSON(["pending": .int(Int64(try await store.pendingCount())), "last_settled_seq": .int(try await store.lastSettledSeq()),
                   "next_seq": .int(try await store.nextSequenceNumber()), "rejected": .array(rejected),
                   "cursor": cursors.stored.map(JSONValue.string) ?? .null,
                   "acknowledged_cursor": cursors.acknowledged.map(JSONValue.string) ?? .null])
    }
}
