import Foundation

/// The outcome of one attempt at a vector, before the profile is applied.
struct AttemptOutcome: Sendable {
    var status: VectorStatus
    var failure: FailureDetail?
    var wireLog: [WireEntry]
    var durationMs: Int
}

/// Runs one vector once: fresh tenants, reset, setup, steps, all within the vector's timeout.
struct VectorRunner: Sendable {
    let target: TargetServer
    var nodes: [String: TargetServer] = [:]
    let tokens: TokenSource
    /// Checked on every answer of the server, in every vector (`WireInvariants`).
    var invariants: WireInvariants?

    func attempt(_ vector: Vector, tenantPrefix: String) async -> AttemptOutcome {
        let start = ContinuousClock.now
        let recorder = WireRecorder(start: start, invariants: invariants)
        let session = VectorSession(vector: vector, target: target, nodes: nodes, tokens: tokens, tenantPrefix: tenantPrefix, recorder: recorder)
        var failure: FailureDetail?
        var status = VectorStatus.passed
        do {
            try await withTimeout(.milliseconds(vector.timeoutMs), what: "the vector", onTimeout: { session.abortAll() }) {
                do throws(StepFailure) {
                    try await session.runSetup()
                } catch {
                    throw IndexedFailure(index: -1, step: vector.steps[0], failure: error)
                }
                try await StepExecutor(session: session).run(vector.steps)
            }
        } catch let indexed as IndexedFailure {
            status = indexed.failure.status
            failure = Self.detail(indexed, vector: vector)
        } catch {
            status = .error
            failure = .vectorError(error)
        }
        session.abortAll()
        // Steps that all matched still fail when an answer broke a relation the spec states.
        if status == .passed, let first = recorder.violations.first {
            status = .failed
            failure = FailureDetail(stepIndex: vector.steps.count, step: "wire invariants",
                                    message: "\(first)" + (recorder.violations.count > 1 ? " (and \(recorder.violations.count - 1) more)" : ""))
        }
        let duration = start.duration(to: .now)
        if let failure { recorder.note("runner", "\(status.rawValue): \(failure.message)") }
        return AttemptOutcome(status: status, failure: failure, wireLog: recorder.log,
                              durationMs: Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000))
    }

    static func detail(_ indexed: IndexedFailure, vector: Vector) -> FailureDetail {
        let failure = indexed.failure
        var label = indexed.index < 0 ? "setup" : Self.label(indexed.step)
        if let location = failure.location { label += " (\(location))" }
        let diff = if let expected = failure.expected, let actual = failure.actual { LineDiff.diff(expected: expected, actual: actual) } else { [String]() }
        return FailureDetail(stepIndex: indexed.index, step: label, message: failure.message, expected: failure.expected,
                             actual: failure.actual, diff: diff)
    }

    /// `expect a`, `http POST /v1/sync/push`, with the step's name when it has one.
    static func label(_ step: Step) -> String {
        let detail: String = switch step.action {
        case .wsConnect(let connect): connect.name
        case .send(let send): send.conn
        case .expect(let expect): expect.conn
        case .expectAnyOrder(let expect): expect.conn
        case .expectSilence(let conn, _): conn
        case .expectClose(let expect): expect.conn
        case .close(let conn, _): conn
        case .reading(let conn, _): conn
        case .http(let http): "\(http.method) \(http.path)"
        case .clock(let tenant, _): tenant
        case .sleep(let ms): "\(ms) ms"
        case .parallel(let branches): "\(branches.count) branches"
        }
        return "\(step.kind) \(detail)" + (step.name.map { " \"\($0)\"" } ?? "")
    }
}
