import Foundation
import Synchronization

/// The client under test, started as a command (`/bin/sh -c 'exec COMMAND'`) that speaks the harness
/// protocol (`Conformance/harness.md`): instructions on its standard input, answers and events
/// on its standard output, one JSON object per line.
final class HarnessProcess: @unchecked Sendable {
    // @unchecked: `process` and the pipes are set up in `init` and `launch` and only used
    // through their own thread-safe calls afterwards; everything else is behind the mutex.
    private struct State {
        var waiting: [String: CheckedContinuation<JSON?, Never>] = [:]
        var early: [String: JSON] = [:]
        var events: [JSON] = []
        var pending = ""
        var exited = false
    }

    private let process = Process()
    private let input = Pipe()
    private let state = Mutex(State())
    private let recorder: WireRecorder
    private let errorTail = Mutex("")

    init(command: String, recorder: WireRecorder) {
        self.recorder = recorder
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // `exec`: the command replaces the shell, so a SIGKILL reaches the harness itself.
        process.arguments = ["-c", "exec " + command]
    }

    /// Starts the command.
    func launch() throws(ScriptFailure) {
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        output.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
                return
            }
            self?.consume(data)
        }
        errors.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
                return
            }
            self?.errorTail.withLock { tail in
                tail = String((tail + String(decoding: data, as: UTF8.self)).suffix(4000))
            }
        }
        process.terminationHandler = { [weak self] _ in self?.exited() }
        do {
            try process.run()
        } catch {
            throw ScriptFailure("cannot start the harness: \(error)")
        }
    }

    /// The last lines the harness wrote to standard error.
    var standardError: String { errorTail.withLock { $0 } }

    /// Events received so far.
    var events: [JSON] { state.withLock { $0.events } }

    /// Sends `instruction` (with `id`) without waiting for its answer.
    func send(_ instruction: JSON, id: String) {
        let line = instruction.replacing("id", with: .string(id)).movingTypeFirst.compact
        recorder.record("harness", .sent, .note, line)
        try? input.fileHandleForWriting.write(contentsOf: Data((line + "\n").utf8))
    }

    /// Sends `instruction` (with `id`) and waits for the answer with the same id.
    func request(_ instruction: JSON, id: String, timeout: Duration) async throws(ScriptFailure) -> JSON {
        let answer: JSON? = await withTaskGroup(of: JSON?.self) { group in
            group.addTask { [self] in
                await withCheckedContinuation { continuation in
                    let ready = state.withLock { state -> JSON?? in
                        if let early = state.early.removeValue(forKey: id) { return .some(early) }
                        if state.exited { return .some(nil) }
                        state.waiting[id] = continuation
                        return nil
                    }
                    if let ready { continuation.resume(returning: ready) }
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            send(instruction, id: id)
            let first = await group.next() ?? nil
            // Unblock the waiter if the timeout won.
            state.withLock { $0.waiting.removeValue(forKey: id) }?.resume(returning: nil)
            group.cancelAll()
            return first
        }
        guard let answer else {
            let exited = state.withLock { $0.exited }
            throw ScriptFailure(exited ? "the harness exited without answering \(id): \(standardError.suffix(500))"
                                       : "the harness did not answer \(id) within \(timeout)")
        }
        return answer
    }

    /// SIGKILLs the harness, as a crash would. (Foundation's `waitUntilExit` spins on Linux
    /// when called from a concurrency thread, so `exited` is awaited by polling instead.)
    func kill() {
        // Never signal a pid that was reaped (and may be reused).
        guard process.processIdentifier > 0, !state.withLock({ $0.exited }) else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
    }

    /// Kills the harness and waits until it is gone.
    func killAndWait() async {
        kill()
        await waitForExit(within: .seconds(10))
    }

    /// Ends input (the protocol's "finish"), waits a little for the harness to exit, then kills it.
    func finish(grace: Duration = .seconds(5)) async {
        try? input.fileHandleForWriting.close()
        await waitForExit(within: grace)
        await killAndWait()
    }

    /// Polls until the process is gone. Foundation does not always notice a child's exit on
    /// Linux, so the child is also reaped here (`waitpid` without blocking).
    private func waitForExit(within limit: Duration) async {
        let deadline = ContinuousClock.now + limit
        let pid = process.processIdentifier
        while ContinuousClock.now < deadline {
            var status: Int32 = 0
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid || (reaped == -1 && errno == ECHILD) || !process.isRunning { break }
            try? await Task.sleep(for: .milliseconds(10))
        }
        exited()
    }

    /// The longest line read from the harness, and the most events kept: a harness that floods
    /// cannot exhaust the runner's memory.
    static let maxLineBytes = 1 << 20
    static let maxEvents = 10_000

    private func consume(_ data: Data) {
        let lines: [String] = state.withLock { state in
            state.pending += String(decoding: data, as: UTF8.self)
            if state.pending.utf8.count > Self.maxLineBytes, !state.pending.contains("\n") {
                recorder.note("harness", "a line longer than \(Self.maxLineBytes) bytes was dropped")
                state.pending = ""
            }
            var lines: [String] = []
            while let newline = state.pending.firstIndex(of: "\n") {
                lines.append(String(state.pending[..<newline]))
                state.pending = String(state.pending[state.pending.index(after: newline)...])
            }
            return lines
        }
        for line in lines where !line.isEmpty {
            recorder.record("harness", .received, .note, line)
            guard let message = try? JSON.parse(line) else { continue }
            let waiter: CheckedContinuation<JSON?, Never>? = state.withLock { state in
                guard let id = message["id"]?.string else {
                    if state.events.count < Self.maxEvents {
                        state.events.append(message.replacing("at_ms", with: .int(Int64(recorder.elapsedMs))))
                    }
                    return nil
                }
                if let waiter = state.waiting.removeValue(forKey: id) { return waiter }
                state.early[id] = message
                return nil
            }
            waiter?.resume(returning: message)
        }
    }

    private func exited() {
        let waiters = state.withLock { state in
            state.exited = true
            defer { state.waiting.removeAll() }
            return Array(state.waiting.values)
        }
        for waiter in waiters { waiter.resume(returning: nil) }
    }
}
