import Foundation
import Synchronization

/// A server process of the benchmark (the sync server or the echo baseline), started and waited
/// for until it prints `listening on http://127.0.0.1:PORT`; stopped with SIGTERM.
final class ListeningProcess: Sendable {
    let pid: Int32
    let port: Int
    private let process: UncheckedBox<Process>
    private let output: Printed

    init(executable: String, arguments: [String], environment: [String: String] = [:]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let output = Printed()
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil; return }
            let seen = output.text.withLock { text -> String in
                // Keep the start (why a server failed) and the latest lines, not a whole run's log.
                text += String(decoding: data, as: UTF8.self)
                if text.count > 64 << 10 { text = String(text.prefix(16 << 10)) + "\n…\n" + String(text.suffix(16 << 10)) }
                return text
            }
            if let range = seen.range(of: "listening on http://127.0.0.1:") {
                let port = Int(seen[range.upperBound...].prefix { $0.isNumber })
                output.port.withLock { if $0 == nil { $0 = port } }
            }
        }
        try process.run()
        let deadline = ContinuousClock.now + .seconds(60)
        while output.port.withLock({ $0 }) == nil {
            guard process.isRunning, ContinuousClock.now < deadline else {
                process.terminate()
                throw BenchFailure("\(URL(fileURLWithPath: executable).lastPathComponent) did not start: \(output.text.withLock { $0 })")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        pid = process.processIdentifier
        port = output.port.withLock { $0 } ?? 0
        self.process = UncheckedBox(process)
        self.output = output
    }

    /// What the process printed (its start and its latest output).
    var log: String { output.text.withLock { $0 } }

    /// Whether it still runs.
    var isRunning: Bool { process.value.isRunning }

    /// SIGTERM, then waits for the exit.
    func stop() {
        guard process.value.isRunning else { return }
        process.value.terminate()
        process.value.waitUntilExit()
    }
}

/// What a benchmark's server printed, and the port it said it listens on.
private final class Printed: Sendable {
    let text = Mutex("")
    let port = Mutex<Int?>(nil)
}
