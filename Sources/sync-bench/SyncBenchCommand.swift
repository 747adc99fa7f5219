import ArgumentParser
import Foundation
import SyncClient
import SyncClientWebSocket
import SyncProtocol

/// `sync-bench`: measurements of the server and of the client SDK, each next to a baseline
/// measured in the same run.
@main
struct SyncBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync-bench",
        abstract: "Measure the server against baselines from the same run (the default), the client SDK, the server under a flood, and pushes on PostgreSQL.",
        subcommands: [ServerBenchmark.self, EchoServer.self, ClientPushBenchmark.self, ClientMemoryBenchmark.self, FloodBenchmark.self,
                      FloodLoad.self, PostgresBenchmark.self],
        defaultSubcommand: ServerBenchmark.self
    )
}

/// Writes N records locally, then times `sync()` pushing them; the baseline is the time the
/// same writes took to commit locally.
struct ClientPushBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "client-push", abstract: "Mutations per second the client pushes to a server.")

    @Option(help: "The server's base URL.") var server: String
    @Option(help: "A device token for the server.") var token: String
    @Option(help: "How many writes.") var count = 10_000
    @Option(help: "A folder for the client's database (a temporary one by default).") var directory: String?

    func run() async throws {
        let folder = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("sync-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let store = try SQLiteClientStore(path: folder + "/client.sqlite")
        guard let url = URL(string: server) else { throw ValidationError("--server must be a URL") }
        let client = SyncClient(configuration: SyncClientConfiguration(serverURL: url), store: store,
                                connector: WebSocketConnector(), tokens: StaticTokenProvider(token))
        let clock = ContinuousClock()
        let writing = try await clock.measure {
            for index in 0..<count {
                _ = try await store.write(collection: "bench", id: "r\(index)", op: .create,
                                          fields: ["n": .int(Int64(index)), "title": .string("benchmark record \(index)")], clientTime: 1_767_225_600_000)
            }
        }
        let pushing = try await clock.measure { try await client.sync(timeout: .seconds(600)) }
        await client.stop()
        let pending = try await store.pendingCount()
        printJSON(["benchmark": "client-push", "mutations": .int(Int64(count)), "pending_after": .int(Int64(pending)),
                   "push_seconds": .double(pushing.seconds), "push_per_second": .double(Double(count) / pushing.seconds),
                   "baseline_local_write_per_second": .double(Double(count) / writing.seconds),
                   "ratio_push_to_local_writes": .double(writing.seconds / pushing.seconds)])
    }
}

/// Writes N records and reads them all back, reporting the process's resident memory; the
/// baseline is the resident memory before the store was opened.
struct ClientMemoryBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "client-memory", abstract: "Resident memory of a client holding many records.")

    @Option(help: "How many records.") var count = 100_000

    func run() async throws {
        let baseline = ProcessProbe.residentBytes(pid: getpid())
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sync-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try SQLiteClientStore(path: folder + "/client.sqlite")
        var changes: [Change] = []
        for index in 0..<count {
            let record = Record(collection: "bench", id: "r\(index)", fields: ["n": .int(Int64(index)), "title": .string("benchmark record \(index)")],
                                version: 1, fieldVersions: ["n": 1, "title": 1], updatedAt: 1, clientTime: 1, deleted: false)
            changes.append(Change(cursor: "c_\(index)", op: .create, record: record))
            if changes.count == 1000 {
                _ = try await store.applyChanges(changes, cursor: "c_\(index)")
                changes.removeAll(keepingCapacity: true)
            }
        }
        if !changes.isEmpty { _ = try await store.applyChanges(changes, cursor: "c_\(count)") }
        let afterWrites = ProcessProbe.residentBytes(pid: getpid())
        let records = try await store.records(collection: "bench")
        let afterRead = ProcessProbe.residentBytes(pid: getpid())
        try store.close()
        printJSON(["benchmark": "client-memory", "records": .int(Int64(records.count)),
                   "baseline_rss_bytes": .int(baseline), "rss_after_storing_bytes": .int(afterWrites),
                   "rss_after_reading_all_bytes": .int(afterRead),
                   "bytes_per_record_held": .double(Double(afterRead - baseline) / Double(max(1, records.count)))])
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

func printJSON(_ value: JSONValue) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    if let data = try? encoder.encode(value) { FileHandle.standardOutput.write(data + Data("\n".utf8)) }
}
