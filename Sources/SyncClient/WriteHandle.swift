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
    /// client stops first; the write itself stays queued and is sent after the next start.
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

/// A value that arrives once, awaited by any number of callers.
final class SettlementPromise: Sendable {
    private enum State {
        case waiting([CheckedContinuation<Result<MutationResult, SyncClientError>, Never>])
        case done(Result<MutationResult, SyncClientError>)
    }

    private let state = Mutex<State>(.waiting([]))

    func fulfil(_ result: Result<MutationResult, SyncClientError>) {
        let waiters: [CheckedContinuation<Result<MutationResult, SyncClientError>, Never>] = state.withLock { state in
            guard case .waiting(let waiters) = state else { return [] }
            state = .done(result)
            return waiters
        }
        for waiter in waiters { waiter.resume(returning: result) }
    }

    func value() async throws(SyncClientError) -> MutationResult {
        let result = await withCheckedContinuation { continuation in
            let ready: Result<MutationResult, SyncClientError>? = state.withLock { state in
                switch state {
                case .done(let result): return result
                case .waiting(var waiters):
                    waiters.append(continuation)
                    state = .waiting(waiters)
                    return nil
                }
            }
            if let ready { continuation.resume(returning: ready) }
        }
        return try result.get()
    }
}
