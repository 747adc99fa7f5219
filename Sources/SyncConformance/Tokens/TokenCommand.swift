import Foundation

/// Runs the implementer's token command (`sh -c`), bounded by a timeout: its output is read
/// without blocking a thread, and a command that does not finish in time is terminated.
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
        let bytes = Mailbox<[UInt8]>()
        let exit = Mailbox<Int32>()
        output.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
                bytes.finish()
            } else {
                bytes.push(Array(data))
            }
        }
        process.terminationHandler = { finished in exit.push(finished.terminationStatus) }
        try process.run()
        let deadline = ContinuousClock.now + timeout
        guard let status = await exit.next(before: deadline) else {
            output.fileHandleForReading.readabilityHandler = nil
            if process.isRunning { process.terminate() }
            throw TokenError(description: "the token command did not finish within \(timeout)")
        }
        // The pipe's end of file can come late (another child started meanwhile may hold a copy
        // of its write end), so after the exit take what arrives until a quiet period: up to a
        // second for the first bytes, then 50 ms.
        var printed: [UInt8] = []
        while let chunk = await bytes.next(before: min(deadline, .now + .milliseconds(printed.isEmpty ? 1000 : 50))) { printed += chunk }
        output.fileHandleForReading.readabilityHandler = nil
        guard status == 0 else { throw TokenError(description: "the token command exited with status \(status)") }
        let token = String(decoding: printed, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw TokenError(description: "the token command printed nothing") }
        return token
    }
}
