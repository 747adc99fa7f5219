import Foundation

/// The result of running the built `sync-conformance` binary.
struct BinaryRun {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `sync-conformance` with `arguments` from the package root and waits for it on a
/// Dispatch thread, so the Swift concurrency pool (two threads on a two-core machine) stays free
/// for the suites running beside it.
func runConformanceBinary(_ arguments: [String], environment: [String: String] = [:]) async throws -> BinaryRun {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(with: Result { try runBlocking(arguments, environment: environment) })
        }
    }
}

private func runBlocking(_ arguments: [String], environment: [String: String]) throws -> BinaryRun {
    let process = Process()
    process.executableURL = ServerProcess.executable("sync-conformance")
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return BinaryRun(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                     stderr: String(decoding: stderr, as: UTF8.self))
}
