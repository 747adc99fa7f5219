import ArgumentParser
import Foundation
import SyncClient
import SyncClientHarness
import SyncProtocol
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Commands that talk to the server.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Push what is pending, pull what is new, then exit (non-zero when not in sync).")

    @OptionGroup var options: ClientOptions
    @Option(help: "Seconds to wait for the sync to finish.") var timeout: Int = 60

    func run() async throws {
        let store = try options.openStore()
        let client = try options.makeClient(store: store)
        do {
            try await client.sync(timeout: .seconds(max(1, timeout)))
        } catch {
            await client.stop()
            FileHandle.standardError.write(Data("sync-client: \(error)\n".utf8))
            throw ExitCode(2)
        }
        await client.stop()
        let cursors = try await store.cursors()
        printJSON(["pending": .int(Int64(try await store.pendingCount())), "rejected": .int(Int64(try await store.rejected().count)),
                   "last_settled_seq": .int(try await store.lastSettledSeq()), "cursor": cursors.stored.map(JSONValue.string) ?? .null])
    }
}

struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch", abstract: "Stay connected and print each record the server changes as a JSON line.")

    @OptionGroup var options: ClientOptions
    @Option(help: "Exit after this many changed records.") var count: Int?
    @Option(help: "Exit after this many seconds.") var timeout: Int?

    func run() async throws {
        let store = try options.openStore()
        let client = try options.makeClient(store: store)
        let events = client.events
        await client.start()
        let limit = count
        let printed = await withTaskGroup(of: Int?.self) { group in
            group.addTask {
                var printed = 0
                for await event in events {
                    guard case .recordsChanged(let keys, .server) = event else { continue }
                    for key in keys {
                        if let record = try? await store.record(collection: key.collection, id: key.id) {
                            printJSON(record.json)
                        } else {
                            printJSON(["collection": .string(key.collection), "id": .string(key.id), "deleted": true])
                        }
                        printed += 1
                        if let limit, printed >= limit { return printed }
                    }
                }
                return printed
            }
            if let timeout {
                group.addTask {
                    try? await Task.sleep(for: .seconds(timeout))
                    return nil
                }
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        await client.stop()
        if let limit, (printed ?? 0) < limit { throw ExitCode(3) }
    }
}

struct UploadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upload",
        abstract: "Upload a file on the resumable protocol; running it again on the same file resumes where it stopped.",
        discussion: "Shows a progress bar on a terminal and prints JSON progress lines otherwise; the last line is the stored file.")

    @OptionGroup var options: ClientOptions
    @Argument(help: "The file.") var file: String
    @Option(help: "The file's media type.") var contentType = "application/octet-stream"
    @Option(help: "Chunks in flight at once.") var parallel = 4

    func run() async throws {
        let store = try options.openStore()
        let client = try options.makeClient(store: store)
        let terminal = isatty(STDOUT_FILENO) == 1
        let uploaded: UploadedFile
        do {
            uploaded = try await client.upload(fileAt: URL(fileURLWithPath: file), contentType: contentType, parallelism: parallel) { progress in
                if terminal {
                    let width = 40
                    let done = progress.chunkCount == 0 ? width : Int(Int64(width) * progress.chunksStored / progress.chunkCount)
                    let bar = "\r[\(String(repeating: "#", count: done))\(String(repeating: ".", count: width - done))] "
                        + "\(progress.chunksStored)/\(progress.chunkCount) chunks"
                    FileHandle.standardOutput.write(Data(bar.utf8))
                } else {
                    printJSON(["upload_id": .string(progress.uploadId), "chunk_count": .int(progress.chunkCount),
                               "chunks_stored": .int(progress.chunksStored), "chunks_sent": .int(progress.chunksSent),
                               "chunks_skipped": .int(progress.chunksSkipped)])
                }
            }
        } catch {
            FileHandle.standardError.write(Data("\nsync-client: \(error)\n".utf8))
            throw ExitCode(2)
        }
        if terminal { FileHandle.standardOutput.write(Data("\n".utf8)) }
        printJSON(["file_id": .string(uploaded.fileId), "name": .string(uploaded.name), "size": .int(uploaded.size),
                   "sha256": .string(uploaded.sha256)])
    }
}
