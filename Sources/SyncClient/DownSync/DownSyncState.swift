import SyncProtocol

/// Down-sync's decisions as a plain value (no sockets, no store): when to pull, what to do with
/// a real-time change that arrives while catching up, when to acknowledge, when to resync.
///
/// On every new session the client catches up with `pull` pages from its stored cursor until
/// `has_more` is false. `change` messages that arrive meanwhile are buffered and applied after
/// the last page (applying is idempotent by record version, so a change both pulled and
/// buffered is harmless); the cursor stored is always that of the last change applied in
/// arrival order, so a crash never stores a cursor beyond a change that was not applied. A
/// buffer that grows past `maxBuffered` is dropped and replaced by one more pull, keeping memory
/// bounded. The cursor is acknowledged only after the changes are stored, one `ack` at a time.
struct DownSyncState: Sendable {
    enum Phase: Sendable, Hashable {
        /// No session.
        case idle
        /// Waiting for the `changes` answering `requestId`.
        case catchingUp(requestId: String)
        /// Caught up: real-time changes are applied as they arrive.
        case live
    }

    /// What the driver does next.
    enum Action: Sendable, Hashable {
        case none
        /// Send `pull` after `cursor` (from the start when `nil`).
        case pull(requestId: String, cursor: String?)
        /// Store these changes and this cursor, then acknowledge it.
        case apply([Change], cursor: String)
        /// Forget the server layer (keeping the outbox) and pull from the start.
        case resync(requestId: String, reason: String)
        /// Close the session and reconnect with backoff (the pull failed for a passing reason).
        case reconnect(reason: String)
        /// Give up: more resyncs in a row than allowed.
        case fail(reason: String)
    }

    private(set) var phase: Phase = .idle
    private(set) var buffered: [Change] = []
    private(set) var bufferOverflowed = false
    private(set) var consecutiveResyncs = 0
    private var requestCounter: UInt64 = 0
    let maxBuffered: Int
    let maxConsecutiveResyncs: Int

    init(maxBuffered: Int = 10_000, maxConsecutiveResyncs: Int = 3) {
        self.maxBuffered = maxBuffered
        self.maxConsecutiveResyncs = maxConsecutiveResyncs
    }

    /// A session was established: catch up from `cursor`, or resync when the last session ended
    /// with a reset (close 1012).
    mutating func sessionStarted(cursor: String?, resync reason: String?) -> Action {
        buffered.removeAll()
        bufferOverflowed = false
        if let reason { return startResync(reason: reason) }
        return startPull(cursor: cursor)
    }

    /// The session ended.
    mutating func sessionEnded() {
        phase = .idle
        buffered.removeAll()
        bufferOverflowed = false
    }

    /// The app asked to sync: pull from `cursor` once more when live (a pull already running
    /// will do).
    mutating func pullNow(cursor: String?) -> Action {
        guard phase == .live else { return .none }
        return startPull(cursor: cursor)
    }

    /// A `changes` page arrived: store it if it answers the pending pull.
    mutating func page(_ page: ChangesMessage) -> Action {
        guard case .catchingUp(let expected) = phase, page.requestId == expected else { return .none }
        return .apply(page.changes, cursor: page.cursor)
    }

    /// After a page was stored: the next pull, or the buffered changes and then live.
    mutating func pageStored(_ page: ChangesMessage) -> Action {
        if page.hasMore { return startPull(cursor: page.cursor) }
        if bufferOverflowed {
            buffered.removeAll()
            bufferOverflowed = false
            return startPull(cursor: page.cursor)
        }
        phase = .live
        consecutiveResyncs = 0
        guard let last = buffered.last else { return .none }
        let changes = buffered
        buffered.removeAll()
        return .apply(changes, cursor: last.cursor)
    }

    /// A real-time `change` arrived.
    mutating func change(_ change: Change) -> Action {
        switch phase {
        case .idle:
            return .none
        case .catchingUp:
            if buffered.count < maxBuffered {
                buffered.append(change)
            } else {
                buffered.removeAll()
                bufferOverflowed = true
            }
            return .none
        case .live:
            return .apply([change], cursor: change.cursor)
        }
    }

    /// An `error` arrived; returns what to do if it answers the pending pull.
    mutating func error(_ error: ErrorMessage) -> Action? {
        guard case .catchingUp(let expected) = phase, error.requestId == expected else { return nil }
        switch ErrorCode(rawValue: error.code) {
        case .cursorExpired, .invalidCursor:
            return startResync(reason: "the server no longer knows the stored cursor (\(error.code))")
        default:
            // Anything else (rate limited, unavailable): the session is unusable for catching up;
            // the driver closes it and reconnects with backoff, resuming from the stored cursor.
            return .reconnect(reason: "pull failed: \(error.code)")
        }
    }

    private mutating func startResync(reason: String) -> Action {
        consecutiveResyncs += 1
        guard consecutiveResyncs <= maxConsecutiveResyncs else {
            phase = .idle
            return .fail(reason: "\(consecutiveResyncs - 1) full resyncs in a row did not help: \(reason)")
        }
        let id = nextRequestId()
        phase = .catchingUp(requestId: id)
        return .resync(requestId: id, reason: reason)
    }

    private mutating func startPull(cursor: String?) -> Action {
        let id = nextRequestId()
        phase = .catchingUp(requestId: id)
        return .pull(requestId: id, cursor: cursor)
    }

    private mutating func nextRequestId() -> String {
        requestCounter &+= 1
        return "pull-\(requestCounter)"
    }
}
