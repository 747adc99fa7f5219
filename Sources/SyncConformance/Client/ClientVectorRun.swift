import Foundation
import Synchronization

/// One run of a client vector: the harness (replaced on `restart`), the captures, and the
/// steps performed in order against the scripted server's hub.
final class ClientVectorRun: @unchecked Sendable {
    // @unchecked: `serverURL`, `captures` and `counter` are written only by `execute`, which
    // runs the steps one at a time; the harness is behind a mutex because `abort` may come
    // from the vector's timeout.
    let vector: Vector
    let command: String
    let hub: ScriptedHub
    let recorder: WireRecorder
    let directory: URL
    var serverURL = ""
    private let harness = Mutex<HarnessProcess?>(nil)
    private var captures: [String: JSON] = [:]
    private var counter = 0

    init(vector: Vector, command: String, hub: ScriptedHub, recorder: WireRecorder, directory: URL) {
        self.vector = vector
        self.command = command
        self.hub = hub
        self.recorder = recorder
        self.directory = directory
    }

    /// Starts the harness and performs every step.
    func execute() async throws {
        do throws(StepFailure) {
            try await startHarness()
        } catch {
            throw ClientStepFailure(index: -1, label: "case", failure: error)
        }
        for (index, step) in (vector.client?.steps ?? []).enumerated() {
            do throws(StepFailure) {
                try await perform(step)
            } catch {
                throw ClientStepFailure(index: index, label: Self.label(step), failure: error)
            }
        }
    }

    /// Kills the harness (the vector timed out).
    func abort() {
        harness.withLock { $0 }?.kill()
    }

    /// Ends the harness's input and waits for it to exit.
    func finish() async {
        await harness.withLock { $0 }?.finish()
    }

    /// What the harness wrote to standard error last.
    var harnessErrors: String { harness.withLock { $0 }?.standardError ?? "" }

    private func startHarness() async throws(StepFailure) {
        let process = HarnessProcess(command: command, recorder: recorder)
        do throws(ScriptFailure) {
            try process.launch()
        } catch {
            throw .error(error.message)
        }
        harness.withLock { $0 = process }
        let instruction = JSON.object([
            .init("type", .string("case")), .init("case_id", .string(vector.id)), .init("server_url", .string(serverURL)),
            .init("token", .string(ClientVectorRunner.firstToken)), .init("data_dir", .string(directory.path)),
        ])
        let answer = try await ask(process, instruction, timeout: .seconds(30))
        guard answer["type"]?.string == "ready" else {
            throw .failed("the harness answered case with \(answer.compact), not ready")
        }
    }

    private func perform(_ step: ClientStep) async throws(StepFailure) {
        switch step.action {
        case .harness(let instruction, wait: false):
            guard let process = harness.withLock({ $0 }) else { throw .error("no harness") }
            counter += 1
            process.send(try interpolate(instruction), id: "i\(counter)")
        case .harness(let instruction, wait: true):
            guard let process = harness.withLock({ $0 }) else { throw .error("no harness") }
            let waitMs = instruction["timeout_ms"]?.integer ?? 10_000
            let answer = try await ask(process, try interpolate(instruction), timeout: .milliseconds(waitMs + 10_000))
            if let name = step.name { captures[name] = answer }
            if let expect = step.expect {
                try match(expect, answer, what: "the harness's answer")
            } else if answer["type"]?.string == "error" {
                throw .failed("the harness refused \(instruction["type"]?.string ?? "the instruction"): \(answer.compact)")
            }
        case .restart:
            await harness.withLock { $0 }?.killAndWait()
            recorder.note("runner", "harness killed (SIGKILL); starting it again on the same data directory")
            try await startHarness()
        case .await(let kind, let count, let timeoutMs):
            if await !hub.wait(kind: kind, count: count, timeoutMs: timeoutMs) {
                let got = await hub.totals[kind, default: 0]
                throw .failed("the client sent \(got) \(kind) frame(s) within \(timeoutMs) ms, expected \(count)")
            }
            if let expect = step.expect { try match(expect, .array(await hub.frames[kind] ?? []), what: "the \(kind) frames") }
        case .server(let action):
            let resolved = try interpolate(action)
            do throws(ScriptFailure) {
                try await hub.perform(resolved)
            } catch {
                throw .error(error.message)
            }
        case .check(let kind):
            let actual: JSON = kind == "events" ? .array(harness.withLock { $0 }?.events ?? []) : .array(await hub.frames[kind] ?? [])
            if let name = step.name { captures[name] = actual }
            try match(step.expect ?? .null, actual, what: kind == "events" ? "the harness's events" : "the \(kind) frames")
        case .sleep(let ms):
            try? await Task.sleep(for: .milliseconds(ms))
        }
    }

    private func ask(_ process: HarnessProcess, _ instruction: JSON, timeout: Duration) async throws(StepFailure) -> JSON {
        counter += 1
        do throws(ScriptFailure) {
            return try await process.request(instruction, id: "i\(counter)", timeout: timeout)
        } catch {
            throw .failed(error.message)
        }
    }

    private func interpolate(_ value: JSON) throws(StepFailure) -> JSON {
        do {
            return try Interpolation.apply(value, InterpolationScope(captures: captures))
        } catch {
            throw .error("\(error)")
        }
    }

    private func match(_ expected: JSON, _ actual: JSON, what: String) throws(StepFailure) {
        let resolved = try interpolate(expected)
        var matcher = Matcher(mode: .subset, captures: captures)
        let problems = matcher.match(resolved, actual)
        guard problems.isEmpty else { throw .mismatch(what, problems, expected: resolved, actual: actual) }
        captures = matcher.captures
    }

    /// `harness write`, `check push`, with the step's name when it has one.
    static func label(_ step: ClientStep) -> String {
        let text: String = switch step.action {
        case .harness(let instruction, _): "harness \(instruction["type"]?.string ?? "")"
        case .restart: "restart"
        case .await(let kind, let count, _): "await \(count) \(kind)"
        case .server(let action): "server \(action.members?.first?.key ?? "")"
        case .check(let kind): "check \(kind)"
        case .sleep(let ms): "sleep \(ms) ms"
        }
        return text + (step.name.map { " \"\($0)\"" } ?? "")
    }
}
