public import SyncProtocol
import Synchronization

/// What the app gets back from a write: the write is already durable on the device when the
/// handle exists (stage one); `settled()` waits for the server's verdict (stage two).
public struct WriteHandle: Sendable {
    /// The write's sequence number on this device.
    public let seq: Int64
    /// The record written.
    public let key: RecordKey
    let promise: SettlementPromise

    /// Always true: a handle is only returned after the local transaction committed.
    public var isDurable: Bool { true }

    /// Waits for the server's result for this write. Throws `SyncClientError` `stopped` when the
    /// client stops first, `cancelled` when the waiting task is cancelled; the write itself stays
    /// queued and is sent (after the next start).
    public func settled() async throws(SyncClientError) -> MutationResult {
        try await promise.value()
    }
}

/// Why a `SyncClient` call failed. A struct with a code, so new codes do not break callers.
public struct SyncClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: String
        /// Creates a code.
        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        public var description: String { rawValue }
        /// The client stopped before the operation finished; queued writes are kept.
        public static let stopped = Code(rawValue: "stopped")
        /// The operation did not finish in the time allowed.
        public static let timedOut = Code(rawValue: "timed_out")
        /// The waiting task was cancelled; the operation itself goes on.
        public static let cancelled = Code(rawValue: "cancelled")
        /// The server refused the token and no new one came.
        public static let needsAuthentication = Code(rawValue: "needs_authentication")
        /// The server refused a request in a way retrying does not fix.
        public static let refused = Code(rawValue: "refused")
        /// A local file could not be read.
        public static let fileUnreadable = Code(rawValue: "file_unreadable")
        /// The local store failed.
        public static let store = Code(rawValue: "store")
    }

    /// The kind of failure.
    public var code: Code
    /// One line for people; never holds tokens or record data.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}

/// A value that arrives once, awaited by any number of callers; a caller whose task is
/// cancelled stops waiting (with `cancelled`) while the others keep waiting.
final class SettlementPromise: Sendable {
    private typealias Waiter = CheckedContinuation<Result<MutationResult, SyncClientError>, Never>

    private enum State {
        case waiting([UInt64: Waiter], next: UInt64)
        case done(Result<MutationResult, SyncClientError>)
    }

    private let state = Mutex<State>(.waiting([:], next: 0))

    func fulfil(_ result: Result<MutationResult, SyncClientError>) {
        let waiters: [Waiter] = state.withLock { state in
            guard case .waiting(let waiters, _) = state else { return [] }
            state = .done(result)
            return Array(waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: result) }
    }

    func value() async throws(SyncClientError) -> MutationResult {
        let id: UInt64 = state.withLock { state in
            guard case .waiting(let waiters, let next) = state else { return 0 }
            state = .waiting(waiters, next: next + 1)
            return next
        }
        let cancelled = Result<MutationResult, SyncClientError>.failure(
            SyncClientError(.cancelled, "stopped waiting; the write stays queued and settles later"))
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: Waiter) in
                let ready: Result<MutationResult, SyncClientError>? = state.withLock { state in
                    switch state {
                    case .done(let result): return result
                    case .waiting(var waiters, let next):
                        if Task.isCancelled { return cancelled }
                        waiters[id] = continuation
                        state = .waiting(waiters, next: next)
                        return nil
                    }
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let waiter: Waiter? = state.withLock { state in
                guard case .waiting(var waiters, let next) = state, let waiter = waiters.removeValue(forKey: id) else { return nil }
                state = .waiting(waiters, next: next)
                return waiter
            }
            waiter?.resume(returning: cancelled)
        }
        return try result.get()
    }
}
