import Foundation
import SyncProtocol

extension ClientEngine {
    /// Handles one event; the loop calls it for each event in order.
    func process(_ event: Event) async {
        switch event {
        case .machine(let machineEvent):
            await perform(machine.handle(machineEvent))
        case .writeCommitted:
            await refreshCounts()
            await perform(machine.handle(.localWrite))
        case .syncBarrier(let id):
            await syncRequested(id)
        case .connectionState(let state, let reason):
            if connection == nil || state == .connected { publish(connection: state, reason: reason) }
        case .opened(let newConnection, let welcome, let opened):
            await sessionOpened(newConnection, welcome: welcome, generation: opened)
        case .closed(let error, let closed):
            guard closed == generation, connection != nil else { return }
            connection = nil
            pushing = nil
            ack = AckState()
            downSync.sessionEnded()
            publish(connection: .offline, reason: error.message)
            await perform(machine.handle(.disconnected))
        case .message(let message, let received):
            guard received == generation, let connection else { return }
            await handle(message, on: connection)
        }
        await refreshCounts()
        resumeSyncWaitersIfIdle()
    }

    private func sessionOpened(_ newConnection: any SyncConnection, welcome: WelcomeMessage, generation opened: UInt64) async {
        guard opened == generation else {
            await newConnection.close(code: 1000)
            return
        }
        connection = newConnection
        limits = welcome.limits
        // A server ahead of every sequence number this store assigned means the device id was
        // reused with fresh local data: renumber, or the server would take the writes for duplicates.
        do {
            _ = try await store.rebaseSequence(serverLastSeq: welcome.lastSeq)
        } catch {
            publish(connection: .error, reason: "the local store failed: \(error)")
            await dropConnection(reason: "the local store failed")
            return
        }
        publish(connection: .connected, reason: nil)
        let resume = (try? await store.cursors())?.resume
        let reason = resyncOnConnect
        resyncOnConnect = nil
        await performDownSync(downSync.sessionStarted(cursor: resume, resync: reason))
        await refreshCounts()
        await perform(machine.handle(.connected(pendingWork: status.pendingCount > 0)))
    }

    private func handle(_ message: ServerMessage, on connection: any SyncConnection) async {
        switch message {
        case .ping(let ping):
            try? await connection.send(.pong(PongMessage(nonce: ping.nonce)))
        case .pong, .welcome:
            break
        case .pushResult(let result):
            await pushAnswered(result)
        case .changes(let page):
            let action = downSync.page(page)
            guard case .apply = action else { return }
            await performDownSync(action)
            await performDownSync(downSync.pageStored(page))
        case .change(let message):
            await performDownSync(downSync.change(message.change))
        case .acked(let acked):
            try? await store.markAcknowledged(cursor: acked.cursor)
            if let next = ack.acknowledged() { await sendAck(next) }
        case .error(let error):
            if let pushing, error.requestId == pushing.requestId {
                await pushRefused(error)
            } else if let action = downSync.error(error) {
                await performDownSync(action)
            } else if let pending = ack.requestId, error.requestId == pending {
                ack = AckState()
            }
        }
    }

    // MARK: Down-sync

    func performDownSync(_ action: DownSyncState.Action) async {
        switch action {
        case .none:
            return
        case .pull(let requestId, let cursor):
            publishCatchingUp(true)
            await send(.pull(PullMessage(requestId: requestId, cursor: cursor, limit: pullLimit)))
        case .resync(let requestId, let reason):
            eventStream.send(.resyncStarted(reason: reason), remember: false)
            do {
                try await store.resetServerLayer()
            } catch {
                publish(connection: .error, reason: "the local store failed: \(error)")
                return
            }
            publishCatchingUp(true)
            await send(.pull(PullMessage(requestId: requestId, cursor: nil, limit: pullLimit)))
        case .apply(let changes, let cursor):
            let changed: [RecordKey]
            do {
                changed = try await store.applyChanges(changes, cursor: cursor)
            } catch {
                publish(connection: .error, reason: "the local store failed: \(error)")
                return
            }
            status.changesApplied += changes.count
            // Only what the store took: a change delivered twice, or the echo of this device's
            // own settled write, is no news for the app.
            if !changed.isEmpty { eventStream.send(.recordsChanged(changed, origin: .server), remember: false) }
            if case .live = downSync.phase { publishCatchingUp(false) }
            if let next = ack.stored(cursor) { await sendAck(next) }
        case .reconnect(let reason):
            await dropConnection(reason: reason)
        case .fail(let reason):
            halted = reason
            publish(connection: .error, reason: reason)
            await dropConnection(reason: reason)
        }
    }

    private var pullLimit: Int64 {
        min(configuration.pullPageSize, limits?.maxPullPage ?? Limits.maxPullPage)
    }

    private func sendAck(_ cursor: String) async {
        requestCounter &+= 1
        let id = "ack-\(requestCounter)"
        ack.sent(cursor, requestId: id)
        await send(.ack(AckMessage(requestId: id, cursor: cursor)))
    }

    /// Sends on the current connection; a failure ends the session (the connection task notices).
    func send(_ message: ClientMessage) async {
        guard let connection else { return }
        do {
            try await connection.send(message)
        } catch {
            await dropConnection(reason: error.message)
        }
    }

    /// Closes the current session; the connection task reconnects with backoff.
    func dropConnection(reason: String) async {
        guard let current = connection else { return }
        connection = nil
        pushing = nil
        ack = AckState()
        downSync.sessionEnded()
        await current.close(code: 1000)
        await perform(machine.handle(.disconnected))
    }

    // MARK: Status

    func refreshCounts() async {
        guard let pending = try? await store.pendingCount() else { return }
        var next = status
        next.pendingCount = pending
        next.oldestPendingClientTime = pending == 0 ? nil : (try? await store.oldestPendingClientTime()) ?? nil
        next.lastSettledSeq = (try? await store.lastSettledSeq()) ?? next.lastSettledSeq
        update(next)
    }

    func publish(connection state: SyncStatus.Connection, reason: String?) {
        var next = status
        next.connection = state
        next.reason = reason
        update(next)
    }

    private func publishCatchingUp(_ value: Bool) {
        var next = status
        next.catchingUp = value
        update(next)
    }

    func update(_ next: SyncStatus) {
        guard next != status else { return }
        status = next
        statusStream.send(next)
    }
}

/// One acknowledgement in flight at a time; the newest stored cursor waits behind it.
struct AckState: Sendable {
    private(set) var requestId: String?
    private var inFlight: String?
    private var waiting: String?

    /// Whether an acknowledgement is in flight or waiting.
    var isBusy: Bool { inFlight != nil || waiting != nil }

    /// A cursor was stored: the cursor to acknowledge now, if none is in flight.
    mutating func stored(_ cursor: String) -> String? {
        if inFlight == nil { return cursor }
        waiting = cursor
        return nil
    }

    mutating func sent(_ cursor: String, requestId: String) {
        inFlight = cursor
        self.requestId = requestId
    }

    /// The server confirmed; the cursor to acknowledge next, if one waits.
    mutating func acknowledged() -> String? {
        inFlight = nil
        requestId = nil
        defer { waiting = nil }
        return waiting
    }
}
