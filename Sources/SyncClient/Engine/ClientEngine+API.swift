import Foundation
import SyncProtocol

extension ClientEngine {
    /// Writes locally (durable when this returns) and wakes the uploader.
    func write(collection: String, id: String, op: MutationOp, fields: JSONObject?) async throws -> WriteHandle {
        let now = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
        let entry = try await store.write(collection: collection, id: id, op: op, fields: fields, clientTime: now)
        let promise = SettlementPromise()
        promises[entry.seq] = promise
        eventStream.send(.recordsChanged([entry.key], origin: .local), remember: false)
        post(.writeCommitted)
        return WriteHandle(seq: entry.seq, key: entry.key, promise: promise)
    }

    /// Asks for a push, a pull and a reconnection now, and waits until nothing is pending, the
    /// client is caught up with the server, and the last stored cursor is acknowledged (or
    /// `timeoutMs`, or `stop()`).
    func syncNow(timeoutMs: Int64) async throws(SyncClientError) {
        halted = nil
        wakeConnection.signal()
        let id = UUID()
        let deadline = Task { [weak self] in
            try? await Task.sleep(for: .milliseconds(timeoutMs))
            guard !Task.isCancelled else { return }
            await self?.resumeSyncWaiter(id, with: .timedOut)
        }
        defer { deadline.cancel() }
        let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<SyncOutcome, Never>) in
            syncWaiters[id] = SyncWaiter(continuation: continuation)
            post(.syncBarrier(id))
        }
        switch outcome {
        case .idle:
            return
        case .stopped:
            throw SyncClientError(.stopped, "the client stopped before it was in sync")
        case .timedOut:
            if status.connection == .needsAuthentication {
                throw SyncClientError(.needsAuthentication, status.reason ?? "the server refused the token")
            }
            let detail = status.lastUploadError ?? status.reason ?? "\(status.connection)"
            throw SyncClientError(.timedOut, "not in sync after \(timeoutMs) ms: \(status.pendingCount) pending (\(detail))")
        }
    }

    /// The loop reached a `sync()` barrier: every write before it is counted, so arm its waiter,
    /// push, and on a live session pull once more (a change committed on another node a moment
    /// ago may not have been delivered yet).
    func syncRequested(_ id: UUID) async {
        syncWaiters[id]?.armed = true
        await perform(machine.handle(.syncRequested))
        if connection != nil, downSync.phase == .live {
            let cursor = (try? await store.cursors())?.resume
            await performDownSync(downSync.pullNow(cursor: cursor))
        }
    }

    /// Whether everything is pushed, pulled and acknowledged on a live session.
    var isIdle: Bool {
        connection != nil && pushing == nil && status.pendingCount == 0 && downSync.phase == .live && !ack.isBusy
    }

    private func resumeSyncWaiter(_ id: UUID, with outcome: SyncOutcome) {
        syncWaiters.removeValue(forKey: id)?.continuation.resume(returning: outcome)
    }

    /// Resumes the armed `sync()` calls when the client is idle.
    func resumeSyncWaitersIfIdle() {
        guard isIdle else { return }
        for (id, waiter) in syncWaiters where waiter.armed {
            syncWaiters.removeValue(forKey: id)
            waiter.continuation.resume(returning: .idle)
        }
    }

    /// Stops every task, closes the session, and fails the waiting handles and `sync()` calls
    /// with `stopped`. Status and event subscriptions end; `start()` may be called again.
    /// `started` stays set until the end, so a `start()` or `stop()` arriving while this one
    /// waits (the actor is re-entrant) does nothing instead of interleaving with it.
    func stop() async {
        guard started, !stopping else { return }
        stopping = true
        defer {
            stopping = false
            started = false
        }
        connectionTask?.cancel()
        timerTask?.cancel()
        if let connection {
            self.connection = nil
            await connection.close(code: 1000)
        }
        pushing = nil
        ack = AckState()
        downSync.sessionEnded()
        events.withLock { continuation in
            continuation?.finish()
            continuation = nil
        }
        loopTask?.cancel()
        await loopTask?.value
        await connectionTask?.value
        // The machine forgets the session; the in-flight batch stays in the store and goes
        // again, unchanged, after the next start.
        machine = UploaderStateMachine(configuration: configuration.uploader)
        generation &+= 1
        for promise in promises.values {
            promise.fulfil(.failure(SyncClientError(.stopped, "the client stopped; the write stays queued and is sent after the next start")))
        }
        promises.removeAll()
        for waiter in syncWaiters.values { waiter.continuation.resume(returning: .stopped) }
        syncWaiters.removeAll()
        publish(connection: .closed, reason: "stopped")
        statusStream.finish()
        eventStream.finish()
    }
}

extension ClientEngine {
    /// An uploader sharing the client's store, transport and tokens.
    nonisolated func uploader(parallelism: Int) -> FileUploader {
        FileUploader(rest: rest, store: store, tokens: tokens, parallelism: parallelism, backoff: configuration.uploader.backoff)
    }
}
