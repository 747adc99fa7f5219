import Foundation
import SyncProtocol
import Synchronization

/// The client's driver: one event loop that feeds the uploader's and down-sync's state machines
/// and performs what they decide, a connection task that keeps a session open, and a timer.
///
/// Every event goes through one `AsyncStream` consumed by one task, so the machines see events
/// one at a time and in order; the app-facing calls only write to the store and post events.
actor ClientEngine {
    enum Event: Sendable {
        case machine(UploaderStateMachine.Event)
        case opened(any SyncConnection, WelcomeMessage, generation: UInt64)
        case message(ServerMessage, generation: UInt64)
        case closed(TransportError, generation: UInt64)
        case connectionState(SyncStatus.Connection, reason: String?)
        case writeCommitted
        /// `sync()` was called: push and pull now, then resume waiter `id` once idle.
        case syncBarrier(UUID)
    }

    /// How a `sync()` wait ended.
    enum SyncOutcome: Sendable {
        case idle, timedOut, stopped
    }

    /// A `sync()` call waiting to be resumed; armed once the loop reached its barrier, so it
    /// never sees the idle state from before the writes that preceded it.
    struct SyncWaiter {
        var continuation: CheckedContinuation<SyncOutcome, Never>
        var armed = false
    }

    let configuration: SyncClientConfiguration
    let store: any ClientStore
    let connector: any SyncConnector
    let rest: RESTClient
    let tokens: any TokenProvider

    var machine: UploaderStateMachine
    var downSync: DownSyncState
    var status = SyncStatus.initial
    var connection: (any SyncConnection)?
    var generation: UInt64 = 0
    var limits: ServerLimits?
    /// The batch pushed on the current session and the request id it went with.
    var pushing: (batch: OutboxBatch, requestId: String)?
    var requestCounter: UInt64 = 0
    var promises: [Int64: SettlementPromise] = [:]
    var syncWaiters: [UUID: SyncWaiter] = [:]
    var resyncOnConnect: String?
    var ack = AckState()

    /// The loop's input while the client runs; `nil` when stopped.
    let events = Mutex<AsyncStream<Event>.Continuation?>(nil)
    let statusStream: Broadcast<SyncStatus>
    let eventStream: Broadcast<SyncEvent>
    var loopTask: Task<Void, Never>?
    var connectionTask: Task<Void, Never>?
    var timerTask: Task<Void, Never>?
    /// Wakes the connection task early from its reconnect delay (only `sync()` and the
    /// uploader's own timers do: a burst of writes must not turn into a burst of reconnects).
    let wakeConnection = WakeSignal()
    var started = false
    /// Set while `stop()` runs.
    var stopping = false
    /// Set when down-sync gave up (too many resyncs): the connection task waits for `sync()`.
    var halted: String?

    init(configuration: SyncClientConfiguration, store: any ClientStore, connector: any SyncConnector,
         http: any HTTPTransport, tokens: any TokenProvider) {
        self.configuration = configuration
        self.store = store
        self.connector = connector
        self.rest = RESTClient(baseURL: configuration.serverURL, transport: http)
        self.tokens = tokens
        machine = UploaderStateMachine(configuration: configuration.uploader)
        downSync = DownSyncState(maxConsecutiveResyncs: configuration.maxConsecutiveResyncs)
        statusStream = Broadcast(initial: .initial)
        eventStream = Broadcast(initial: nil)
    }

    /// Starts the loop and the connection task; idempotent, and possible again after `stop()`.
    func start() async {
        guard !started else { return }
        started = true
        halted = nil
        wakeConnection.clear()
        await refreshCounts()
        publish(connection: .connecting, reason: nil)
        let (stream, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .unbounded)
        events.withLock { $0 = continuation }
        loopTask = Task { [weak self] in
            for await event in stream {
                guard let self else { return }
                await self.process(event)
            }
        }
        connectionTask = Task { [weak self] in await self?.connectionLoop() }
        if status.pendingCount > 0 { post(.machine(.localWrite)) }
    }

    /// Posts an event to the loop; dropped when the client is stopped.
    nonisolated func post(_ event: Event) {
        events.withLock { $0 }?.yield(event)
    }
}
