import Foundation

/// Runs the implementer's token command (`sh -c`), bounded by a timeout.
enum TokenCommand {
    static let timeout: Duration = .seconds(15)

    static func run(_ command: String, _ request: TokenRequest) async throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        var environment = ProcessInfo.processInfo.environment
        environment["MS_TENANT_ID"] = request.tenant
        environment["MS_SUB"] = request.user
        environment["MS_DEVICE_ID"] = request.device ?? ""
        environment["MS_ROLES"] = request.roles.joined(separator: ",")
        environment["MS_EXP"] = String(request.expires)
        environment["MS_IAT"] = String(request.issuedAt)
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        let (finished, continuation) = AsyncStream<Void>.makeStream()
        process.terminationHandler = { _ in continuation.yield(); continuation.finish() }
        try process.run()
        let data = try await withThrowingTaskGroup(of: Data?.self) { group in
            group.addTask { output.fileHandleForReading.readDataToEndOfFile() }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            let first = try await group.next() ?? nil
            if first == nil, process.isRunning { process.terminate() }
            group.cancelAll()
            return first
        }
        for await _ in finished {}
        guard let data else { throw TokenError(description: "the token command did not finish within \(timeout)") }
        guard process.terminationStatus == 0 else {
            throw TokenError(description: "the token command exited with status \(process.terminationStatus)")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw TokenError(description: "the token command printed nothing") }
        return token
    }
}
