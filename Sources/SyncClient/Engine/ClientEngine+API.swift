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

    /// Asks for a push and a reconnection now, and waits until nothing is pending, the client is
    /// caught up with the server, and the last stored cursor is acknowledged (or `timeoutMs`).
    func syncNow(timeoutMs: Int64) async throws(SyncClientError) {
        halted = nil
        wakeConnection.continuation.yield()
        post(.machine(.syncRequested))
        let id = UUID()
        let finished = await withTaskGroup(of: Bool.self) { group in
            group.addTask { [weak self] in
                await self?.waitUntilIdle(id: id)
                return true
            }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(timeoutMs))
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        if !finished {
            cancelIdleWaiter(id)
            switch status.connection {
            case .needsAuthentication:
                throw SyncClientError(.needsAuthentication, status.reason ?? "the server refused the token")
            default:
                let detail = status.lastUploadError ?? status.reason ?? "\(status.connection)"
                throw SyncClientError(.timedOut, "not in sync after \(timeoutMs) ms: \(status.pendingCount) pending (\(detail))")
            }
        }
    }

    /// Whether everything is pushed, pulled and acknowledged on a live session.
    var isIdle: Bool {
        connection != nil && pushing == nil && status.pendingCount == 0 && downSync.phase == .live && !ack.isBusy
    }

    private func waitUntilIdle(id: UUID) async {
        if isIdle { return }
        await withCheckedContinuation { continuation in
            if isIdle {
                continuation.resume()
            } else {
                idleWaiters[id] = continuation
            }
        }
    }

    private func cancelIdleWaiter(_ id: UUID) {
        idleWaiters.removeValue(forKey: id)?.resume()
    }

    func resumeIdleWaitersIfIdle() {
        guard isIdle, !idleWaiters.isEmpty else { return }
        let waiters = idleWaiters.values
        idleWaiters.removeAll()
        for waiter in waiters { waiter.resume() }
    }

    /// Stops every task, closes the session, and fails the waiting handles with `stopped`.
    func stop() async {
        connectionTask?.cancel()
        timerTask?.cancel()
        wakeConnection.continuation.finish()
        if let connection {
            self.connection = nil
            await connection.close(code: 1000)
        }
        events.continuation.finish()
        loopTask?.cancel()
        for promise in promises.values {
            promise.fulfil(.failure(SyncClientError(.stopped, "the client stopped; the write stays queued and is sent after the next start")))
        }
        promises.removeAll()
        let waiters = idleWaiters.values
        idleWaiters.removeAll()
        for waiter in waiters { waiter.resume() }
        publish(connection: .closed, reason: "stopped")
        statusStream.finish()
        eventStream.finish()
        started = false
    }
}

extension ClientEngine {
    /// An uploader sharing the client's store, transport and tokens.
    nonisolated func uploader(parallelism: Int) -> FileUploader {
        FileUploader(rest: rest, store: store, tokens: tokens, parallelism: parallelism, backoff: configuration.uploader.backoff)
    }
}
