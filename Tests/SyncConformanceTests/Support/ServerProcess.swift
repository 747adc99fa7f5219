import Foundation
import Synchronization

/// A server process for a test: its own temp data dir, test control on, a free loopback port
/// read from the line the server prints when it listens.
final class ServerProcess: @unchecked Sendable {
    // `process` is configured once in `start` and only read afterwards.
    private let process = Process()
    private let output = ProcessOutput()
    let directory: URL
    let secret = "conformance-test-secret-0123456789abcdef0123"
    private(set) var port = 0

    var url: String { "\(extraArguments.contains("--tls-cert") ? "https" : "http")://127.0.0.1:\(port)" }

    /// A binary built beside the test bundle.
    static func executable(_ name: String) -> URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name)
    }

    private let executableName: String
    private let leadingArguments: [String]
    private let extraArguments: [String]

    /// A `sync-server serve --test-control` process, or another server binary built beside the
    /// tests that takes the same options after `leadingArguments` (`fault-injection-server --fault NAME`).
    init(executable: String = "sync-server", leadingArguments: [String] = ["serve", "--test-control"], extraArguments: [String] = []) {
        executableName = executable
        self.leadingArguments = leadingArguments
        self.extraArguments = extraArguments
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("conformance-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Starts the server and waits until it listens (or 30 seconds pass).
    func start() async throws {
        process.executableURL = Self.executable(executableName)
        process.arguments = leadingArguments + ["--host", "127.0.0.1", "--port", "0", "--db", directory.appendingPathComponent("db.sqlite").path,
                             "--data-dir", directory.path, "--jwt-secret", secret,
                             // The profile's `storage-quota` feature: vectors expect a 1 GiB quota per tenant.
                             "--storage-quota", "1073741824"] + extraArguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let (chunks, continuation) = AsyncStream<String>.makeStream()
        pipe.fileHandleForReading.readabilityHandler = { [output] handle in
            let data = handle.availableData
            guard !data.isEmpty else {
                handle.readabilityHandler = nil
                continuation.finish()
                return
            }
            let text = String(decoding: data, as: UTF8.self)
            output.text.withLock { $0 += text }
            continuation.yield(text)
        }
        try process.run()
        let deadline = ContinuousClock.now + .seconds(30)
        var seen = ""
        for await chunk in chunks {
            seen += chunk
            if let range = seen.range(of: "listening on http://127.0.0.1:") ?? seen.range(of: "listening on https://127.0.0.1:"), let port = Int(seen[range.upperBound...].prefix { $0.isNumber }) {
                self.port = port
                return
            }
            if ContinuousClock.now > deadline { break }
        }
        throw ServerDidNotStart(output: output.text.withLock { $0 })
    }

    /// Stops the server and removes its files.
    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

struct ServerDidNotStart: Error, CustomStringConvertible {
    var output: String
    var description: String { "the server did not start:\n\(output)" }
}

/// What the server printed, shared with the pipe's reading handler.
final class ProcessOutput: Sendable {
    let text = Mutex("")
}
