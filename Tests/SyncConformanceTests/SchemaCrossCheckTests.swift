import Foundation
import SyncTestSupport
import Testing

/// The vector schema checked by Python's `jsonschema` too, so the Swift checker and a standard
/// implementation agree that every committed vector is valid.
@Suite struct SchemaCrossCheckTests {
    @Test func jsonschemaAcceptsEveryVector() async throws {
        // Blocking process I/O runs on a Dispatch thread, not in the Swift concurrency pool.
        let (status, output) = try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result {
                    let process = Process()
                    process.executableURL = try PythonTools.interpreterBlocking()
                    process.arguments = ["Tests/SyncConformanceTests/Scripts/check_vectors_schema.py"]
                    let pipe = Pipe()
                    process.standardOutput = pipe
                    process.standardError = pipe
                    try process.run()
                    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                    process.waitUntilExit()
                    return (process.terminationStatus, output)
                })
            }
        }
        #expect(status == 0, "\(output)")
        #expect(output.contains("vectors checked"))
    }
}
