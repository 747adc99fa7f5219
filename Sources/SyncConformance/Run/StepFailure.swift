/// Why a step (or setup) did not pass: a mismatch (`failed`) or the runner could not carry it out (`error`).
struct StepFailure: Error, Sendable {
    /// `failed` or `error`.
    var status: VectorStatus
    /// One-line explanation.
    var message: String
    /// The expected value, pretty-printed.
    var expected: String?
    /// The actual value, pretty-printed.
    var actual: String?
    /// Where inside a `parallel` step it happened (`branch 2, step 1 expect b`).
    var location: String?

    static func failed(_ message: String, expected: String? = nil, actual: String? = nil) -> StepFailure {
        StepFailure(status: .failed, message: message, expected: expected, actual: actual)
    }

    static func error(_ message: String) -> StepFailure {
        StepFailure(status: .error, message: message)
    }

    /// A failure from matcher mismatches.
    static func mismatch(_ what: String, _ problems: [Mismatch], expected: JSON, actual: JSON?) -> StepFailure {
        let first = problems.prefix(3).map(\.description).joined(separator: "; ")
        let more = problems.count > 3 ? " (and \(problems.count - 3) more)" : ""
        return .failed("\(what): \(first)\(more)", expected: expected.pretty, actual: actual?.pretty ?? "(missing)")
    }
}

extension FailureDetail {
    /// A failure of the vector as a whole, not of one step: the runner could not carry it out.
    static func vectorError(_ error: any Error) -> FailureDetail {
        FailureDetail(stepIndex: -1, step: "vector", message: (error as? StepFailure)?.message ?? "\(error)")
    }
}

/// Runs `body`, giving up after `duration`: `onTimeout` runs first (it closes connections so
/// nothing stays blocked), then the timeout is reported as an `error`.
func withTimeout<T: Sendable>(_ duration: Duration, what: String, onTimeout: @escaping @Sendable () -> Void,
                              _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: duration)
            onTimeout()
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            throw StepFailure.error("\(what) did not finish within \(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000) ms")
        }
        return value
    }
}
