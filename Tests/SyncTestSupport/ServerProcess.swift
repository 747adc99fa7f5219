public import Foundation
import Synchronization

/// A `sync-server` process started by a test: its own SQLite file (or a PostgreSQL database), a
/// free loopback port read from
/// the line the server prints when it listens (or a given one, to restart on the same address),
/// and ways to stop it gently or kill it.
public final class ServerProcess: @unchecked Sendable {
    // `process` is set once in `start` and only read afterwards.
    private let process = Process()
    private let output = OutputLog()
    /// The server's SQLite file; its folder is the data directory.
    public let databasePath: String
    /// The PostgreSQL database the server uses instead of the SQLite file, if any.
    public let databaseURL: String?
    /// The built executable to run, and the arguments before the common ones.
    private let executableName: String
    private let leadingArguments: [String]
    /// The HS256 secret the server verifies tokens with.
    public let secret = "integration-test-secret-0123456789abcdef0123"
    /// The port it listens on, once started.
    public private(set) var port = 0

    /// `http://127.0.0.1:PORT`.
    public var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }
    /// The server's data directory (uploads, files): the database's folder.
    public var dataDirectory: String { URL(fileURLWithPath: databasePath).deletingLastPathComponent().path }
    /// The process id, to read the server's memory figures from `/proc`.
    public var pid: Int32 { process.processIdentifier }
    /// The WebSocket endpoint.
    public var webSocketURL: String { "ws://127.0.0.1:\(port)/v1/sync" }

    /// An executable built beside the test bundle.
    public static func executable(_ name: String) -> URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name)
    }

    /// A `sync-server serve --test-control` process, or another built server taking the same
    /// listening, storage and token options (such as `fault-injection-server --fault NAME`).
    /// With a `databaseURL`, the data is in that PostgreSQL database rather than at `databasePath`.
    public init(databasePath: String, databaseURL: String? = nil, executable: String = "sync-server",
                leadingArguments: [String] = ["serve", "--test-control"], port: Int = 0) {
        self.databasePath = databasePath
        self.databaseURL = databaseURL
        executableName = executable
        self.leadingArguments = leadingArguments
        self.port = port
    }

    /// Starts the server and waits until it listens (or fails, or 30 seconds pass).
    public func start(extraArguments: [String] = []) async throws {
        process.executableURL = Self.executable(executableName)
        let database = databaseURL.map { ["--database-url", $0] } ?? ["--db", databasePath]
        process.arguments = leadingArguments + ["--host", "127.0.0.1", "--port", "\(port)"] + database
            + ["--data-dir", dataDirectory, "--jwt-secret", secret] + extraArguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let (lines, continuation) = AsyncStream<String>.makeStream()
        pipe.fileHandleForReading.readabilityHandler = { [output] handle in
            let data = handle.availableData
            if data.isEmpty {
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
        for await chunk in lines {
            seen += chunk
            if let port = Self.listeningPort(in: seen) {
                self.port = port
                return
            }
            if ContinuousClock.now > deadline { break }
        }
        throw ServerStartFailure(output: log)
    }

    /// The port of a `listening on http://127.0.0.1:PORT` (or `https://`) line.
    public static func listeningPort(in text: String) -> Int? {
        guard let range = text.range(of: "listening on http://127.0.0.1:") ?? text.range(of: "listening on https://127.0.0.1:") else { return nil }
        let digits = text[range.upperBound...].prefix { $0.isNumber }
        return Int(digits)
    }

    /// Everything the server printed so far.
    public var log: String { output.text.withLock { $0 } }

    /// Sends SIGTERM and waits for the process to exit; returns its status.
    @discardableResult
    public func terminate() -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Kills the process with SIGKILL, as a crash would.
    public func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning { kill() }
    }
}

/// The server exited or stayed silent instead of listening.
public struct ServerStartFailure: Error, CustomStringConvertible {
    /// What it printed.
    public var output: String
    public var description: String { "sync-server did not start listening:\n\(output)" }
}

/// What a server process printed, shared with the pipe's reading handler.
final class OutputLog: Sendable {
    let text = Mutex("")
}
