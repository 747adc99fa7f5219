import Foundation
import SyncTestSupport

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

/// Output goes to temporary files, not pipes: a process started elsewhere meanwhile could
/// inherit a pipe's write end and hold its end of file back.
private func runBlocking(_ arguments: [String], environment: [String: String]) throws -> BinaryRun {
    let process = Process()
    process.executableURL = ServerProcess.executable("sync-conformance")
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("sync-conformance-\(UUID().uuidString)")
    let outURL = base.appendingPathExtension("out")
    let errURL = base.appendingPathExtension("err")
    FileManager.default.createFile(atPath: outURL.path, contents: nil)
    FileManager.default.createFile(atPath: errURL.path, contents: nil)
    defer {
        try? FileManager.default.removeItem(at: outURL)
        try? FileManager.default.removeItem(at: errURL)
    }
    process.standardOutput = try FileHandle(forWritingTo: outURL)
    process.standardError = try FileHandle(forWritingTo: errURL)
    try process.run()
    process.waitUntilExit()
    return BinaryRun(status: process.terminationStatus, stdout: try String(contentsOf: outURL, encoding: .utf8),
                     stderr: try String(contentsOf: errURL, encoding: .utf8))
}
