import Foundation
import Synchronization

/// The result of running the built `sync-conformance` binary.
struct BinaryRun {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `sync-conformance` with `arguments` from the package root and waits for it. The waiting
/// happens on a thread of its own: a full run takes minutes, and blocking one of the few threads
/// of Swift's cooperative pool for that long starves every other test running beside it.
func runConformanceBinary(_ arguments: [String], environment: [String: String] = [:]) async throws -> BinaryRun {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            do {
                continuation.resume(returning: try runConformanceBinaryBlocking(arguments, environment: environment))
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }
}

private func runConformanceBinaryBlocking(_ arguments: [String], environment: [String: String]) throws -> BinaryRun {
    let process = Process()
    process.executableURL = ServerProcess.executable("sync-conformance")
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Both pipes are drained at once, so a chatty stderr cannot fill its buffer and stall the run.
    let stderr = Mutex(Data())
    let drained = DispatchGroup()
    DispatchQueue.global().async(group: drained) {
        let data = err.fileHandleForReading.readDataToEndOfFile()
        stderr.withLock { $0 = data }
    }
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    drained.wait()
    process.waitUntilExit()
    return BinaryRun(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                     stderr: String(decoding: stderr.withLock { $0 }, as: UTF8.self))
}
