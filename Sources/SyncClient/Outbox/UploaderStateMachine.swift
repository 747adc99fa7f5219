public import SyncProtocol

/// The uploader's decisions as a plain value: events in, one action out, no sockets, no clocks,
/// no tasks (like postgres-nio's `ConnectionStateMachine`). Whoever drives it (the client actor)
/// performs each action and reports what happened as the next event.
///
/// It never stalls (the PowerSync stall): whenever it knows work is pending, a timer is armed,
/// whatever the state, a send's timeout included, so something always wakes it. Timers carry an
/// id: arming one replaces the previous one, and a fired timer whose id is not the armed one is
/// ignored.
public struct UploaderStateMachine: Sendable {
    /// Tunables of the uploader.
    public struct Configuration: Sendable, Hashable {
        /// Delays between retries.
        public var backoff: Backoff
        /// The most mutations one batch may hold (the server's `max_mutations_per_push` is never
        /// below the spec's 500).
        public var maxMutationsPerBatch: Int
        /// How long to wait for the answer to a push before treating it as lost.
        public var sendTimeoutMs: Int64

        /// Creates a configuration.
        public init(backoff: Backoff = Backoff(), maxMutationsPerBatch: Int = Int(Limits.maxMutationsPerPush), sendTimeoutMs: Int64 = 30_000) {
            self.backoff = backoff
            self.maxMutationsPerBatch = max(1, maxMutationsPerBatch)
            self.sendTimeoutMs = max(1, sendTimeoutMs)
        }
    }

    /// Where the uploader stands.
    public enum State: Sendable, Hashable {
        /// Nothing pending: nothing to do until a local write or an explicit sync.
        case idle
        /// Work is pending but there is no connection: one was requested, and a timer requests
        /// it again (with backoff) until `connected`.
        case waitingForConnection
        /// A batch is out; its timeout is armed.
        case sending
        /// The last attempt failed; the retry timer is armed. `attempt` counts consecutive failures.
        case backingOff(attempt: Int)
        /// The server refused the token: a new one was requested, and a timer requests it again
        /// until `tokenSupplied` or `connected`.
        case needsAuthentication
    }

    /// Something that happened, reported by the driver.
    public enum Event: Sendable, Hashable {
        /// The app saved a local write (the outbox is not empty).
        case localWrite
        /// A session with the server is established; `pendingWork` tells whether the outbox holds
        /// anything (after a launch, say).
        case connected(pendingWork: Bool)
        /// The connection closed or could not be opened.
        case disconnected
        /// The armed timer fired.
        case timerFired(id: UInt64)
        /// The app asked to sync now.
        case syncRequested
        /// The store settled the in-flight batch; `morePending` tells whether the outbox still
        /// holds mutations.
        case batchSettled(morePending: Bool)
        /// A `sendBatch` found the outbox empty (`nextBatch` returned `nil`).
        case outboxEmpty
        /// The batch of `batchSize` mutations that was sent failed (see `ReplyClassification`).
        case batchFailed(UploadFailure, batchSize: Int)
        /// A new token is available.
        case tokenSupplied
    }

    /// A timer to arm: when it fires after `delayMs`, report `timerFired(id:)`. It replaces any
    /// timer armed before.
    public struct TimerRequest: Sendable, Hashable {
        /// The timer's id.
        public var id: UInt64
        /// The delay, in milliseconds.
        public var delayMs: Int64
    }

    /// What to do with the store's in-flight batch before taking the next batch.
    public enum InFlightDisposition: Sendable, Hashable {
        /// Send the in-flight batch again if there is one (the normal case: same key, same bytes).
        case reuse
        /// Discard it (`ClientStore.discardInFlightBatch`): the server refused it as a whole and
        /// nothing of it was applied; the next batch gets a new key.
        case discard
        /// Reject its mutations locally with this code (`ClientStore.rejectInFlightBatch`): a lone
        /// mutation the server refuses whatever the retry.
        case reject(ErrorCode)
    }

    /// How to send the next batch.
    public struct SendRequest: Sendable, Hashable {
        /// The most mutations to take (`ClientStore.nextBatch(maxMutations:maxBytes:)`).
        public var maxMutations: Int
        /// What to do first with the in-flight batch.
        public var inFlight: InFlightDisposition
        /// The timer bounding the wait for the answer.
        public var timeout: TimerRequest
    }

    /// What the driver must do now.
    public enum Action: Sendable, Hashable {
        /// Nothing.
        case none
        /// Take the next batch from the store as the request says and push it; report
        /// `batchSettled`, `batchFailed`, `outboxEmpty` or `disconnected`.
        case sendBatch(SendRequest)
        /// Arm the timer.
        case scheduleTimer(TimerRequest)
        /// Ask the app for a new token, and arm the timer that asks again.
        case requestToken(retry: TimerRequest)
        /// Open (or reopen) the session with the server, and arm the timer that asks again.
        case requestConnection(retry: TimerRequest)
    }

    /// The current state.
    public internal(set) var state: State = .idle
    /// Whether a session is established, as last reported.
    public internal(set) var isConnected = false
    /// Whether the outbox holds mutations, as far as the events told.
    public internal(set) var hasPendingWork = false
    /// Consecutive failed attempts (sends, connections, token requests); 0 after a settled batch.
    /// Saturates instead of overflowing.
    public internal(set) var attempt = 0
    /// The id of the armed timer, `nil` when none is.
    public internal(set) var armedTimer: UInt64?
    /// The most mutations the next batch may hold: halved when the server finds a batch too large
    /// or refuses one, doubled back after each success.
    public internal(set) var batchLimit: Int

    let configuration: Configuration
    var nextDisposition: InFlightDisposition = .reuse
    /// Whether the current backoff honours a server `retry_after_ms` (an explicit sync does not cut it short).
    var serverImposedDelay = false
    var timerIds: UInt64 = 0
    var random: SplitMix64

    /// Creates an idle, disconnected uploader. `randomSeed` fixes the jitter (tests); by default
    /// it is random.
    public init(configuration: Configuration = Configuration(), randomSeed: UInt64? = nil) {
        self.configuration = configuration
        batchLimit = configuration.maxMutationsPerBatch
        random = SplitMix64(seed: randomSeed ?? UInt64.random(in: .min ... .max))
    }
}
