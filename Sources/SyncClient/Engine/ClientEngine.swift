import Foundation
import SyncProtocol

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
    var idleWaiters: [UUID: CheckedContinuation<Void, Never>] = [:]
    var resyncOnConnect: String?
    var ack = AckState()

    let events: (stream: AsyncStream<Event>, continuation: AsyncStream<Event>.Continuation)
    let statusStream: Broadcast<SyncStatus>
    let eventStream: Broadcast<SyncEvent>
    var loopTask: Task<Void, Never>?
    var connectionTask: Task<Void, Never>?
    var timerTask: Task<Void, Never>?
    /// Wakes the connection task early from its reconnect delay.
    let wakeConnection: (stream: AsyncStream<Void>, continuation: AsyncStream<Void>.Continuation)
    var started = false
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
        events = AsyncStream.makeStream(bufferingPolicy: .unbounded)
        wakeConnection = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
        statusStream = Broadcast(initial: .initial)
        eventStream = Broadcast(initial: nil)
    }

    /// Starts the loop and the connection task; idempotent.
    func start() async {
        guard !started else { return }
        started = true
        await refreshCounts()
        publish(connection: .connecting, reason: nil)
        let stream = events.stream
        loopTask = Task { [weak self] in
            for await event in stream {
                guard let self else { return }
                await self.process(event)
            }
        }
        connectionTask = Task { [weak self] in await self?.connectionLoop() }
        if status.pendingCount > 0 { post(.machine(.localWrite)) }
    }

    /// Posts an event to the loop.
    nonisolated func post(_ event: Event) {
        events.continuation.yield(event)
    }
}
