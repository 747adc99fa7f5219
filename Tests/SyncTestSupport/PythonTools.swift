public import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A Python 3 with the packages the tests use, at pinned versions, in a virtual environment under
/// `.build/python-tools/venv` that the first test needing it creates and later runs reuse. So
/// the README's test command needs nothing installed by hand beyond Python 3 (and, once, access
/// to PyPI); the machine's own Python packages are never touched or relied on.
public enum PythonTools {
    /// The packages and versions the validators, the vector schema check and the naive Python
    /// client need. Changing the list rebuilds the environment on the next run.
    public static let requirements = ["jsonschema==4.26.0", "openapi-spec-validator==0.9.0", "websocket-client==1.9.2"]

    /// Why the environment could not be made, with the tool's output.
    public struct SetupError: Error, CustomStringConvertible {
        public var description: String
    }

    private static let ready = Mutex<URL?>(nil)

    /// The environment's `python`, made first if it is missing or was made for other
    /// requirements. Blocks while pip works (the first run takes some seconds); call it from a
    /// test's synchronous code or through `interpreter()`.
    public static func interpreterBlocking() throws -> URL {
        try ready.withLock { cached in
            if let cached { return cached }
            let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/python-tools")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            let python = try withFileLock(root.appendingPathComponent("lock")) { try prepare(in: root) }
            cached = python
            return python
        }
    }

    /// `interpreterBlocking()` on a Dispatch thread, so the blocking pip run never occupies the
    /// Swift concurrency pool.
    public static func interpreter() async throws -> URL {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try interpreterBlocking() }) }
        }
    }

    private static func prepare(in root: URL) throws -> URL {
        let venv = root.appendingPathComponent("venv")
        let python = venv.appendingPathComponent("bin/python")
        let marker = root.appendingPathComponent("requirements.txt")
        let wanted = requirements.joined(separator: "\n") + "\n"
        if FileManager.default.isExecutableFile(atPath: python.path), (try? String(contentsOf: marker, encoding: .utf8)) == wanted {
            return python
        }
        try? FileManager.default.removeItem(at: marker)
        try? FileManager.default.removeItem(at: venv)
        try run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-m", "venv", venv.path])
        try run(python, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check"] + requirements)
        try wanted.write(to: marker, atomically: true, encoding: .utf8)
        return python
    }

    private static func run(_ executable: URL, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw SetupError(description: "\(([executable.path] + arguments).joined(separator: " ")) failed (\(process.terminationStatus)): \(text)")
        }
    }

    /// Runs `body` holding an exclusive lock on `file`, so test processes running at the same
    /// time do not build the environment twice.
    private static func withFileLock<T>(_ file: URL, _ body: () throws -> T) throws -> T {
        let descriptor = open(file.path, O_CREAT | O_RDWR, 0o644)
        guard descriptor >= 0 else { throw SetupError(description: "cannot open \(file.path)") }
        defer { close(descriptor) }
        flock(descriptor, LOCK_EX)
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }
}
