public import Foundation
import Synchronization

/// A command-line tool run by a test, such as `sync-client`: its standard output as lines the
/// test can follow while it runs, and a way to kill it mid-way as a crash would.
public final class CommandProcess: @unchecked Sendable {
    // @unchecked: `process` is configured in `init` and only started and read afterwards.
    private let process = Process()
    private let output = Mutex(Data())
    private let errors = Mutex(Data())
    private let (lineStream, lineContinuation) = AsyncStream<String>.makeStream()
    private let input = Pipe()

    /// A built executable beside the test bundle (`ServerProcess.executable(name)`), with arguments
    /// and extra environment variables.
    public convenience init(_ name: String, arguments: [String], environment: [String: String] = [:]) {
        self.init(executable: ServerProcess.executable(name), arguments: arguments, environment: environment)
    }

    /// Any executable (such as `/bin/bash` running a script), with arguments and extra
    /// environment variables.
    public init(executable: URL, arguments: [String], environment: [String: String] = [:]) {
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }

    /// Starts the process.
    public func start() throws {
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        let continuation = lineContinuation
        let pending = Mutex("")
        out.fileHandleForReading.readabilityHandler = { [self] handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
                continuation.finish()
                return
            }
            self.output.withLock { $0.append(data) }
            let complete: [String] = pending.withLock { text in
                text += String(decoding: data, as: UTF8.self)
                var lines: [String] = []
                while let newline = text.firstIndex(of: "\n") {
                    lines.append(String(text[..<newline]))
                    text = String(text[text.index(after: newline)...])
                }
                return lines
            }
            for line in complete { continuation.yield(line) }
        }
        err.fileHandleForReading.readabilityHandler = { [self] handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
                return
            }
            self.errors.withLock { $0.append(data) }
        }
        try process.run()
    }

    /// Writes `line` and a newline to the process's standard input.
    public func send(_ line: String) {
        try? input.fileHandleForWriting.write(contentsOf: Data((line + "\n").utf8))
    }

    /// Closes the process's standard input (end of input).
    public func closeInput() {
        try? input.fileHandleForWriting.close()
    }

    /// Standard output, line by line, as it is written; ends when the process closes it.
    public var lines: AsyncStream<String> { lineStream }

    /// Everything written to standard output so far.
    public var standardOutput: String { output.withLock { String(decoding: $0, as: UTF8.self) } }

    /// Everything written to standard error so far.
    public var standardError: String { errors.withLock { String(decoding: $0, as: UTF8.self) } }

    /// Kills the process with SIGKILL and waits for it.
    public func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Waits for the process to exit on a Dispatch thread (never blocking the concurrency pool),
    /// killing it after `timeout`; returns its exit status.
    public func wait(timeout: Duration = .seconds(120)) async -> Int32 {
        let process = process
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    DispatchQueue.global().async {
                        process.waitUntilExit()
                        continuation.resume()
                    }
                }
            }
            group.addTask { [self] in
                // The waiting child above returns only once the process is gone: kill it here.
                guard (try? await Task.sleep(for: timeout)) != nil else { return }
                kill()
            }
            await group.next()
            group.cancelAll()
        }
        return process.terminationStatus
    }

    /// Runs the command to completion: exit status, standard output and standard error.
    public static func run(_ name: String, arguments: [String], environment: [String: String] = [:],
                           timeout: Duration = .seconds(120)) async throws -> (status: Int32, output: String, error: String) {
        try await run(CommandProcess(name, arguments: arguments, environment: environment), timeout: timeout)
    }

    /// Runs `command` to completion: exit status, standard output and standard error.
    public static func run(_ command: CommandProcess, timeout: Duration = .seconds(120)) async throws -> (status: Int32, output: String, error: String) {
        try command.start()
        let status = await command.wait(timeout: timeout)
        // Let the reader drain what the process wrote last. Foundation on Linux now and then
        // never reports the end of a pipe whose writer exited, so wait for it a bounded time.
        let lines = command.lines
        await withTaskGroup(of: Void.self) { group in
            group.addTask { for await _ in lines {} }
            group.addTask { try? await Task.sleep(for: .seconds(5)) }
            await group.next()
            group.cancelAll()
        }
        return (status, command.standardOutput, command.standardError)
    }

    deinit {
        if process.isRunning { kill() }
    }
}
