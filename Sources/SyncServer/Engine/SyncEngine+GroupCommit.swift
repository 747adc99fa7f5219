// Group commit of pushes: pushes that wait while a write transaction runs share the next one
// (one commit, one sync to disk, a few multi-row statements), each still all or nothing.
extension SyncEngine {
    /// Applies `batch` and hands its changes to the feed, in a group with other pushes when the
    /// store groups writes, else in a transaction of its own.
    func commit(_ batch: PushBatch, sessionId: String?) async throws -> PushBatch.Outcome {
        guard let pushQueue else {
            return try await sequencer.withLock(batch.tenant) { [store] in
                let outcome = try await store.write(tenant: batch.tenant) { transaction in try await batch.apply(in: transaction) }
                await self.deliver(tenant: batch.tenant, outcome.changes, originSession: sessionId)
                return outcome
            }
        }
        let result = await withCheckedContinuation { continuation in
            if let group = pushQueue.enqueue(PushQueue.Job(batch: batch, sessionId: sessionId, continuation: continuation)) {
                // A task of its own: no caller's cancellation reaches the groups it runs.
                Task { await self.runGroups(from: group, queue: pushQueue) }
            }
        }
        return try result.get()
    }

    /// Runs groups until the queue has none to give this runner.
    private func runGroups(from first: [PushQueue.Job], queue: PushQueue) async {
        var group = first
        while true {
            await runGroup(group)
            guard let next = queue.next(after: group) else { return }
            group = next
        }
    }

    /// Commits one group, delivers its changes in commit order and answers each push. When the
    /// group's transaction fails as a whole (not one push's refusal), each push is tried again
    /// alone, so that one push the database refuses cannot fail the others.
    private func runGroup(_ jobs: [PushQueue.Job]) async {
        let tenants = Set(jobs.map(\.batch.tenant)).sorted()
        await sequencer.withLocks(tenants) { [store] in
            var outcomes: [Result<PushBatch.Outcome, any Error>]
            do {
                outcomes = try await store.writeGroup(tenants: tenants) { group in
                    try await group.prefetch(PushBatch.prefetch(jobs.map(\.batch)))
                    var outcomes: [Result<PushBatch.Outcome, any Error>] = []
                    for job in jobs {
                        do {
                            outcomes.append(.success(try await group.unit(tenant: job.batch.tenant) { try await job.batch.apply(in: $0) }))
                        } catch let refusal as ServiceError {
                            outcomes.append(.failure(refusal))
                        }
                    }
                    return outcomes
                }
            } catch {
                outcomes = jobs.count > 1 ? await Self.applyAlone(jobs, store: store) : [.failure(error)]
            }
            for (job, outcome) in zip(jobs, outcomes) {
                if case .success(let committed) = outcome {
                    await deliver(tenant: job.batch.tenant, committed.changes, originSession: job.sessionId)
                }
                job.continuation.resume(returning: outcome)
            }
        }
    }
}

extension SyncEngine {
    /// Each push in a write transaction of its own.
    private static func applyAlone(_ jobs: [PushQueue.Job], store: any SyncStore) async -> [Result<PushBatch.Outcome, any Error>] {
        var outcomes: [Result<PushBatch.Outcome, any Error>] = []
        for job in jobs {
            do {
                outcomes.append(.success(try await store.write(tenant: job.batch.tenant) { try await job.batch.apply(in: $0) }))
            } catch {
                outcomes.append(.failure(error))
            }
        }
        return outcomes
    }
}

extension PushBatch {
    /// What a group of these batches reads: their records, devices and idempotency entries.
    static func prefetch(_ batches: [PushBatch]) -> WritePrefetch {
        var keys = WritePrefetch()
        for batch in batches {
            keys.devices.append(StoredDeviceKey(tenant: batch.tenant, device: batch.device))
            keys.idempotencyKeys.append(StoredIdempotencyKey(tenant: batch.tenant, device: batch.device, key: batch.key))
            keys.records += batch.mutations.map { StoredRecordKey(tenant: batch.tenant, collection: $0.collection, id: $0.recordId) }
            keys.changeBudget += batch.mutations.count
        }
        return keys
    }
}
