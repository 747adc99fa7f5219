import Foundation
package import SyncClient
import SyncClientWebSocket
package import SyncProtocol
import Synchronization

/// Hooks a test build uses to give the harness's client one deliberate bug (the
/// fault-injection client); the reference harness uses none.
package struct HarnessCustomization: Sendable {
    /// Wraps the WebSocket connector.
    package var wrapConnector: @Sendable (any SyncConnector) -> any SyncConnector = { $0 }
    /// Wraps the local store.
    package var wrapStore: @Sendable (any ClientStore) -> any ClientStore = { $0 }
    /// Wraps the token provider.
    package var wrapTokens: @Sendable (any TokenProvider) -> any TokenProvider = { $0 }
    /// Adjusts the client's configuration.
    package var configure: @Sendable (inout SyncClientConfiguration) -> Void = { _ in }

    /// No customization: the reference client as shipped.
    package init() {}
}

/// Runs the harness protocol (`Conformance/harness.md`) on standard input and output until end
/// of input, then stops the client.
package enum HarnessRunner {
    package static func run(_ customization: HarnessCustomization = HarnessCustomization()) async {
        let harness = Harness(customization: customization)
        for await line in standardInputLines() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let instruction = try? JSONDecoder().decode(HarnessInstruction.self, from: Data(trimmed.utf8)) else {
                printJSON(HarnessOutput.error(id: nil, code: "bad_instruction", "the line is not a harness instruction"))
                continue
            }
            await harness.handle(instruction)
        }
        await harness.finish()
    }

    /// Lines of stdin, read on a Dispatch thread so the blocking reads never hold the concurrency pool.
    private static func standardInputLines() -> AsyncStream<String> {
        AsyncStream { continuation in
            DispatchQueue.global().async {
                while let line = readLine(strippingNewline: true) { continuation.yield(line) }
                continuation.finish()
            }
        }
    }
}

/// One JSON line on standard output, written at once (unbuffered), so a reader following the
/// output line by line sees each line as soon as it is printed. Shared with `sync-client`'s
/// other commands.
package func printJSON(_ value: JSONValue) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    if let data = try? encoder.encode(value) { FileHandle.standardOutput.write(data + Data("\n".utf8)) }
}

/// A token the runner can replace (`new_token`); the client asks again after a refusal.
final class ReplaceableToken: TokenProvider {
    private let value: Mutex<String>

    init(_ token: String) {
        value = Mutex(token)
    }

    func set(_ token: String) {
        value.withLock { $0 = token }
    }

    func token(refresh: Bool) async throws -> String {
        value.withLock { $0 }
    }
}

/// The harness's state: one client on one data directory per case.
actor Harness {
    private let customization: HarnessCustomization
    private var client: SyncClient?
    private var store: (any ClientStore)?
    private var token: ReplaceableToken?
    private var dataDirectory: URL?
    private var handles: [Int64: WriteHandle] = [:]
    private var eventTask: Task<Void, Never>?

    init(customization: HarnessCustomization) {
        self.customization = customization
    }

    func handle(_ instruction: HarnessInstruction) async {
        let id = instruction.id
        if instruction.type == "case" {
            openCase(instruction)
            return
        }
        guard let client, let store, let token else {
            printJSON(HarnessOutput.error(id: id, code: "not_ready", "send a 'case' instruction first"))
            return
        }
        do {
            switch instruction.type {
            case "write":
                try await write(instruction, client: client)
            case "start":
                startEvents(client)
                await client.start()
                printJSON(HarnessOutput.message("started", id: id))
            case "stop":
                await client.stop()
                eventTask?.cancel()
                eventTask = nil
                printJSON(HarnessOutput.message("stopped", id: id))
            case "sync":
                startEvents(client)
                try await client.sync(timeout: .milliseconds(instruction.timeoutMs ?? 30_000))
                printJSON(HarnessOutput.message("synced", id: id, ["pending": .int(Int64(try await store.pendingCount()))]))
            case "wait_settled":
                try await waitSettled(instruction, store: store)
            case "upload":
                try await upload(instruction, client: client)
            case "new_token":
                token.set(instruction.token ?? "")
                printJSON(HarnessOutput.message("token_set", id: id))
            case "snapshot":
                printJSON(try await snapshot(id: id, collection: instruction.collection, store: store))
            default:
                printJSON(HarnessOutput.error(id: id, code: "bad_instruction", "unknown instruction type '\(instruction.type.prefix(64))'"))
            }
        } catch let error as SyncClientError {
            printJSON(HarnessOutput.error(id: id, code: error.code == .timedOut ? "timed_out" : "failed", error.description))
        } catch {
            printJSON(HarnessOutput.error(id: id, code: "failed", String(describing: error)))
        }
    }

    func finish() async {
        await client?.stop()
        eventTask?.cancel()
    }

    private func openCase(_ instruction: HarnessInstruction) {
        guard let text = instruction.serverURL, let url = URL(string: text), let dataDir = instruction.dataDir, let tokenText = instruction.token else {
            printJSON(HarnessOutput.error(id: instruction.id, code: "bad_instruction", "a case needs server_url, token and data_dir"))
            return
        }
        do {
            let directory = URL(fileURLWithPath: dataDir)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let store = customization.wrapStore(try SQLiteClientStore(path: directory.appendingPathComponent("client.sqlite").path))
            let token = ReplaceableToken(tokenText)
            let info = ClientInfo(platform: SyncClientConfiguration.platform, appVersion: "sync-client-harness", osVersion: "harness",
                                  networkType: .unknown)
            var configuration = SyncClientConfiguration(serverURL: url, client: info)
            customization.configure(&configuration)
            self.client = SyncClient(configuration: configuration, store: store,
                                     connector: customization.wrapConnector(WebSocketConnector()), tokens: customization.wrapTokens(token))
            self.store = store
            self.token = token
            self.dataDirectory = directory
            printJSON(HarnessOutput.message("ready", id: instruction.id, ["case_id": instruction.caseId.map(JSONValue.string) ?? .null]))
        } catch {
            printJSON(HarnessOutput.error(id: instruction.id, code: "failed", "the data directory cannot hold a store: \(error)"))
        }
    }

    private func write(_ instruction: HarnessInstruction, client: SyncClient) async throws {
        guard let collection = instruction.collection, let recordId = instruction.recordId else {
            throw SyncClientError(.refused, "a write needs collection and record_id")
        }
        guard ["put", "update", "delete"].contains(instruction.op ?? "") else { throw SyncClientError(.refused, "op must be put, update or delete") }
        if let count = instruction.count, !(1...10_000).contains(count) { throw SyncClientError(.refused, "count must be 1 to 10000") }
        let ids = instruction.count.map { count in (0..<count).map { "\(recordId)-\($0)" } } ?? [recordId]
        var seqs: [Int64] = []
        for id in ids {
            let handle: WriteHandle = switch instruction.op {
            case "put": try await client.put(collection, id: id, fields: instruction.fields ?? [:])
            case "update": try await client.update(collection, id: id, fields: instruction.fields ?? [:])
            default: try await client.delete(collection, id: id)
            }
            handles[handle.seq] = handle
            seqs.append(handle.seq)
        }
        var members: JSONObject = ["seq": .int(seqs.last ?? 0)]
        if instruction.count != nil { members["first_seq"] = .int(seqs.first ?? 0) }
        printJSON(HarnessOutput.message("written", id: instruction.id, members))
    }

    private func waitSettled(_ instruction: HarnessInstruction, store: any ClientStore) async throws {
        guard let seq = instruction.seq else { throw SyncClientError(.refused, "wait_settled needs seq") }
        let timeout = Duration.milliseconds(instruction.timeoutMs ?? 30_000)
        if let handle = handles[seq] {
            let result = try await withDeadline(timeout) { try await handle.settled() }
            printJSON(HarnessOutput.message("settled", id: instruction.id, ["seq": .int(seq), "result": HarnessOutput.json(result)]))
            return
        }
        // A write from before a restart: its handle is gone; the store knows whether it settled.
        try await withDeadline(timeout) {
            while try await store.lastSettledSeq() < seq { try await Task.sleep(for: .milliseconds(20)) }
        }
        printJSON(HarnessOutput.message("settled", id: instruction.id, ["seq": .int(seq), "result": .null]))
    }

    private func upload(_ instruction: HarnessInstruction, client: SyncClient) async throws {
        guard let size = instruction.size, size >= 0, size <= 1 << 34, let directory = dataDirectory else {
            throw SyncClientError(.refused, "an upload needs a size from 0 to 16 GiB")
        }
        let seed = instruction.blobSeed ?? 0
        let file = directory.appendingPathComponent("blob-\(seed)-\(size).bin")
        if !FileManager.default.fileExists(atPath: file.path) { try Self.writeBlob(to: file, size: size, seed: seed) }
        let id = instruction.id
        let uploaded = try await client.upload(fileAt: file, contentType: instruction.contentType ?? "application/octet-stream") { progress in
            printJSON(HarnessOutput.message("event", id: nil, [
                "event": "upload_progress", "upload_id": .string(progress.uploadId), "chunks_stored": .int(progress.chunksStored),
                "chunks_sent": .int(progress.chunksSent), "chunks_skipped": .int(progress.chunksSkipped), "chunk_count": .int(progress.chunkCount),
            ]))
        }
        printJSON(HarnessOutput.message("uploaded", id: id, ["file_id": .string(uploaded.fileId), "sha256": .string(uploaded.sha256),
                                                             "size": .int(uploaded.size)]))
    }

    private func snapshot(id: String?, collection: String?, store: any ClientStore) async throws -> JSONValue {
        var records: [JSONValue] = []
        if let collection {
            for record in try await store.records(collection: collection) {
                let fields: JSONObject = ["collection": .string(record.key.collection), "id": .string(record.key.id),
                                          "fields": .object(record.fields), "version": .int(record.serverVersion),
                                          "pending": .int(Int64(record.pendingMutations))]
                records.append(.object(fields))
            }
        }
        let rejected: [JSONValue] = try await store.rejected().map { .object(["seq": .int($0.seq), "error": .string($0.error.rawValue)]) }
        let cursors = try await store.cursors()
        var members: JSONObject = ["records": .array(records), "rejected": .array(rejected)]
        members["pending"] = .int(Int64(try await store.pendingCount()))
        members["next_seq"] = .int(try await store.nextSequenceNumber())
        members["last_settled_seq"] = .int(try await store.lastSettledSeq())
        members["cursor"] = cursors.stored.map(JSONValue.string) ?? .null
        members["acknowledged_cursor"] = cursors.acknowledged.map(JSONValue.string) ?? .null
        return HarnessOutput.message("snapshot", id: id, members)
    }

    /// Forwards the client's events to stdout as `event` lines, once per client.
    private func startEvents(_ client: SyncClient) {
        guard eventTask == nil else { return }
        let events = client.events
        eventTask = Task {
            for await event in events {
                switch event {
                case .settled(let seq, let status, let key):
                    printJSON(HarnessOutput.message("event", id: nil, ["event": "settled", "seq": .int(seq), "status": .string(status.rawValue),
                                                                      "collection": .string(key.collection), "record_id": .string(key.id)]))
                case .rejected(let seq, let key, let code):
                    printJSON(HarnessOutput.message("event", id: nil, ["event": "rejected", "seq": .int(seq), "code": .string(code.rawValue),
                                                                      "collection": .string(key.collection), "record_id": .string(key.id)]))
                case .recordsChanged(let keys, .server):
                    printJSON(HarnessOutput.message("event", id: nil, ["event": "records_changed",
                                                                      "records": .array(keys.map { .string("\($0.collection)/\($0.id)") })]))
                case .resyncStarted(let reason):
                    printJSON(HarnessOutput.message("event", id: nil, ["event": "resync", "reason": .string(reason)]))
                default:
                    break
                }
            }
        }
    }

    /// Writes `size` bytes of the vectors' SplitMix64 blob (`Conformance/README.md`, Blobs) to `file`.
    static func writeBlob(to file: URL, size: Int64, seed: UInt64) throws {
        FileManager.default.createFile(atPath: file.path, contents: nil)
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        var index: UInt64 = 0
        var remaining = size
        while remaining > 0 {
            let count = Int(min(remaining, 1 << 20))
            var block = [UInt8]()
            block.reserveCapacity(count + 8)
            while block.count < count {
                var z = seed &+ (index &+ 1) &* 0x9E37_79B9_7F4A_7C15
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                z ^= z >> 31
                index += 1
                for shift in stride(from: 0, to: 64, by: 8) { block.append(UInt8(truncatingIfNeeded: z >> UInt64(shift))) }
            }
            try handle.write(contentsOf: block.prefix(count))
            remaining -= Int64(count)
        }
    }
}

/// Runs `body`, failing with `timed_out` after `timeout`.
func withDeadline<T: Sendable>(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw SyncClientError(.timedOut, "not done within \(timeout)")
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw SyncClientError(.timedOut, "not done within \(timeout)") }
        return first
    }
}
