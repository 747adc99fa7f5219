import Foundation

/// Carries out one vector's steps against the target, in order, each bounded by its timeout.
struct StepExecutor: Sendable {
    let session: VectorSession

    /// Extra time a step gets beyond its own waiting time (`within_ms`, `for_ms`, `ms`).
    static let margin = 5_000
    /// Default timeout of steps that do not wait for anything in particular (http, ws_connect, send, clock).
    static let defaultTimeoutMs = 10_000

    /// Runs `steps`; the first failure is thrown with the index of the top-level step.
    func run(_ steps: [Step]) async throws(IndexedFailure) {
        for (index, step) in steps.enumerated() {
            do {
                try await run(step)
            } catch {
                throw IndexedFailure(index: index, step: step, failure: error)
            }
        }
    }

    /// One step with its timeout.
    func run(_ step: Step) async throws(StepFailure) {
        let timeout = step.timeoutMs ?? Self.timeout(of: step.action)
        do {
            try await withTimeout(.milliseconds(timeout), what: "step \(step.kind)", onTimeout: { [session] in session.abortAll() }) {
                try await perform(step)
            }
        } catch let failure as StepFailure {
            throw failure
        } catch {
            throw .error("\(error)")
        }
    }

    static func timeout(of action: StepAction) -> Int {
        switch action {
        case .expect(let step): step.withinMs + margin
        case .expectAnyOrder(let step): step.withinMs + margin
        case .expectClose(let step): step.withinMs + margin
        case .expectSilence(_, let forMs): forMs + margin
        case .sleep(let ms): ms + margin
        case .parallel(let branches): branches.map { $0.reduce(0) { $0 + ($1.timeoutMs ?? timeout(of: $1.action)) } }.max() ?? defaultTimeoutMs
        default: defaultTimeoutMs
        }
    }

    private func perform(_ step: Step) async throws(StepFailure) {
        for use in step.captureUses {
            let root = Interpolation.root(of: use.value)
            if session.vector.actor(root) != nil, use.value.hasPrefix(root + ".token") { _ = try await session.token(for: root) }
        }
        let nowMs: Int64? = step.captureUses.contains { Interpolation.root(of: $0.value) == "now_ms" }
            ? try await session.readClock("main") : nil
        let scope = session.scope(nowMs: nowMs)
        switch step.action {
        case .wsConnect(let connect): try await wsConnect(connect, scope)
        case .send(let send): try await self.send(send, scope)
        case .expect(let expect): try await expectFrame(expect, scope)
        case .expectAnyOrder(let expect): try await expectAnyOrder(expect, scope)
        case .expectSilence(let conn, let forMs): try await expectSilence(conn, forMs: forMs)
        case .expectClose(let expect): try await expectClose(expect)
        case .close(let conn, let code):
            let connection = try session.connection(conn)
            await connection.close(code: code)
            session.remove(conn)
        case .reading(let conn, let paused): try session.connection(conn).setReading(paused: paused)
        case .http(let http): try await self.http(http, scope)
        case .clock(let tenant, let body):
            do {
                try await session.moveClock(tenant, body: try Interpolation.apply(body, scope))
            } catch let failure as StepFailure {
                throw failure
            } catch {
                throw .error("\(error)")
            }
        case .sleep(let ms):
            try? await Task.sleep(for: .milliseconds(ms))
        case .parallel(let branches): try await parallel(branches)
        }
    }

    private func parallel(_ branches: [[Step]]) async throws(StepFailure) {
        let failures = await withTaskGroup(of: StepFailure?.self) { group in
            for (number, branch) in branches.enumerated() {
                group.addTask {
                    do throws(IndexedFailure) {
                        try await run(branch)
                        return nil
                    } catch {
                        var failure = error.failure
                        failure.location = "branch \(number + 1), step \(error.index + 1) \(error.step.kind)"
                        return failure
                    }
                }
            }
            var failures: [StepFailure] = []
            for await failure in group { if let failure { failures.append(failure) } }
            return failures
        }
        if let first = failures.first(where: { $0.status == VectorStatus.failed }) ?? failures.first { throw first }
    }
}

/// A step failure with the step it happened in.
struct IndexedFailure: Error, Sendable {
    var index: Int
    var step: Step
    var failure: StepFailure
}
