import Foundation

/// Runs one `role: client` vector once against a client command: a scripted server on a
/// loopback port, the harness started on a fresh data directory, the steps in order.
struct ClientVectorRunner: Sendable {
    /// The harness command, run with `/bin/sh -c`.
    let command: String

    /// The token the harness gets in `case`; `new_token` instructions bring others.
    static let firstToken = "token-1"

    func attempt(_ vector: Vector) async -> AttemptOutcome {
        let start = ContinuousClock.now
        let recorder = WireRecorder(start: start)
        let script = vector.client ?? ClientScript(reactions: [:], limits: nil, records: [], steps: [])
        let hub = ScriptedHub(script: script, recorder: recorder)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("client-vector-\(UUID().uuidString)")
        let run = ClientVectorRun(vector: vector, command: command, hub: hub, recorder: recorder, directory: directory)
        var status = VectorStatus.passed
        var failure: FailureDetail?
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let server = try await ScriptedServer.start(hub: hub)
            defer { Task { await server.stop() } }
            run.serverURL = "http://127.0.0.1:\(server.port)"
            try await withTimeout(.milliseconds(vector.timeoutMs), what: "the vector", onTimeout: { run.abort() }) {
                try await run.execute()
            }
        } catch let indexed as ClientStepFailure {
            status = indexed.failure.status
            failure = FailureDetail(stepIndex: indexed.index, step: indexed.label, message: indexed.failure.message,
                                    expected: indexed.failure.expected, actual: indexed.failure.actual,
                                    diff: indexed.failure.expected.flatMap { expected in indexed.failure.actual.map { LineDiff.diff(expected: expected, actual: $0) } } ?? [])
        } catch {
            status = .error
            failure = .vectorError(error)
        }
        await run.finish()
        await hub.finish()
        try? FileManager.default.removeItem(at: directory)
        if let failure {
            let tail = run.harnessErrors
            recorder.note("runner", "\(status.rawValue): \(failure.message)" + (tail.isEmpty ? "" : "\nharness stderr:\n\(tail)"))
        }
        let duration = start.duration(to: .now)
        return AttemptOutcome(status: status, failure: failure, wireLog: recorder.log,
                              durationMs: Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000))
    }
}

/// A failed step of a client vector, with its position.
struct ClientStepFailure: Error {
    var index: Int
    var label: String
    var failure: StepFailure
}
