import Foundation
import SyncProtocol

extension ClientEngine {
    /// Performs what the uploader's state machine decided.
    func perform(_ action: UploaderStateMachine.Action) async {
        switch action {
        case .none:
            return
        case .scheduleTimer(let timer):
            arm(timer)
        case .requestConnection(let retry):
            arm(retry)
            wakeConnection.signal()
        case .requestToken(let retry):
            arm(retry)
            publish(connection: .needsAuthentication, reason: status.reason ?? "the server refused the token")
            wakeConnection.signal()
        case .sendBatch(let request):
            await sendBatch(request)
        }
    }

    private func sendBatch(_ request: UploaderStateMachine.SendRequest) async {
        arm(request.timeout)
        guard let connection else {
            await perform(machine.handle(.disconnected))
            return
        }
        let batch: OutboxBatch?
        do {
            switch request.inFlight {
            case .reuse: break
            case .discard: try await store.discardInFlightBatch()
            case .reject(let code):
                let rejected = try await store.rejectInFlightBatch(error: code, message: "the server refused this write on every attempt (\(code))")
                for mutation in rejected {
                    eventStream.send(.rejected(seq: mutation.seq, key: mutation.key, code: code), remember: false)
                    promises.removeValue(forKey: mutation.seq)?.fulfil(.success(MutationResult(
                        seq: mutation.seq, collection: mutation.key.collection, recordId: mutation.key.id, status: .rejected,
                        error: code.rawValue)))
                }
            }
            let maxBytes = Int(limits?.maxFrameBytes ?? Limits.maxFrameBytes)
            let maxMutations = min(request.maxMutations, Int(limits?.maxMutationsPerPush ?? Limits.maxMutationsPerPush))
            batch = try await store.nextBatch(maxMutations: maxMutations, maxBytes: maxBytes)
        } catch {
            publishUploadError("the local store failed: \(error)")
            await perform(machine.handle(.batchFailed(.retry(retryAfterMs: nil), batchSize: 0)))
            return
        }
        guard let batch else {
            await perform(machine.handle(.outboxEmpty))
            return
        }
        requestCounter &+= 1
        let requestId = "push-\(batch.firstSeq)-\(requestCounter)"
        pushing = (batch, requestId)
        do {
            try await connection.send(.push(PushMessage(requestId: requestId, idempotencyKey: batch.idempotencyKey, mutations: batch.mutations)))
        } catch {
            pushing = nil
            await dropConnection(reason: error.message)
        }
    }

    /// A `push_result` arrived for the batch in flight: settle it in the store, tell the app.
    func pushAnswered(_ result: PushResultMessage) async {
        guard let (batch, _) = pushing, result.idempotencyKey == batch.idempotencyKey else { return }
        pushing = nil
        let pushResult = PushResult(results: result.results, synced: result.synced, failed: result.failed, cursor: result.cursor,
                                    replayed: result.replayed)
        do {
            _ = try await store.settle(batch: batch, result: pushResult)
        } catch {
            publishUploadError("the local store failed to settle a batch: \(error)")
            await perform(machine.handle(.batchFailed(.retry(retryAfterMs: nil), batchSize: batch.entries.count)))
            return
        }
        announce(result.results)
        var next = status
        next.lastUploadError = nil
        update(next)
        let pending = (try? await store.pendingCount()) ?? 0
        await perform(machine.handle(.batchSettled(morePending: pending > 0)))
    }

    /// An `error` answered the batch in flight.
    func pushRefused(_ error: ErrorMessage) async {
        guard let (batch, _) = pushing else { return }
        pushing = nil
        publishUploadError("the server refused a push: \(error.code)")
        switch ReplyClassification.classify(error) {
        case .failure(let failure):
            await perform(machine.handle(.batchFailed(failure, batchSize: batch.entries.count)))
        case .settle:
            await perform(machine.handle(.batchFailed(.retry(retryAfterMs: error.retryAfterMs), batchSize: batch.entries.count)))
        }
    }

    /// Events and settled handles for the results of a batch.
    private func announce(_ results: [MutationResult]) {
        var changed: [RecordKey] = []
        for result in results {
            let key = RecordKey(collection: result.collection, id: result.recordId)
            promises.removeValue(forKey: result.seq)?.fulfil(.success(result))
            switch result.status {
            case .rejected:
                eventStream.send(.rejected(seq: result.seq, key: key, code: ErrorCode(rawValue: result.error ?? "rejected")), remember: false)
            case .queuedForReview:
                eventStream.send(.queuedForReview(seq: result.seq, key: key), remember: false)
                changed.append(key)
            case .conflictResolved:
                eventStream.send(.conflictResolved(seq: result.seq, key: key, strategy: result.strategy), remember: false)
                eventStream.send(.settled(seq: result.seq, status: result.status, key: key), remember: false)
                changed.append(key)
            default:
                eventStream.send(.settled(seq: result.seq, status: result.status, key: key), remember: false)
                if result.record != nil { changed.append(key) }
            }
        }
        if !changed.isEmpty { eventStream.send(.recordsChanged(changed, origin: .server), remember: false) }
    }

    private func publishUploadError(_ message: String) {
        var next = status
        next.lastUploadError = message
        update(next)
    }

    /// Arms the machine's timer, replacing the previous one.
    func arm(_ timer: UploaderStateMachine.TimerRequest) {
        timerTask?.cancel()
        timerTask = Task { [weak self] in
            try? await Task.sleep(for: .milliseconds(max(0, timer.delayMs)))
            guard !Task.isCancelled else { return }
            self?.post(.machine(.timerFired(id: timer.id)))
        }
    }
}
