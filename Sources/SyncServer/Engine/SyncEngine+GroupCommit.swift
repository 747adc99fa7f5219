import Synchronization

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

    /// Commits one group, delivers its changes in commit order and answers each push. A push
    /// whose idempotency key another node is committing is answered `idempotency_key_in_flight`
    /// at once and left out. When the group's transaction fails as a whole (not one push's
    /// refusal), each push is tried again alone, so that one push the database refuses cannot
    /// fail the others.
    private func runGroup(_ jobs: [PushQueue.Job]) async {
        let tenants = Set(jobs.map(\.batch.tenant)).sorted()
        await sequencer.withLocks(tenants) { [store] in
            let answered = Mutex<Set<Int>>([])
            var outcomes: [Result<PushBatch.Outcome, any Error>?]
            do {
                outcomes = try await store.writeGroup(tenants: tenants) { group in
                    let elsewhere = try await group.claim(jobs.map(\.batch.idempotencyKey))
                    var outcomes: [Result<PushBatch.Outcome, any Error>?] = Array(repeating: nil, count: jobs.count)
                    for (index, job) in jobs.enumerated() where elsewhere.contains(job.batch.idempotencyKey) {
                        answered.withLock { _ = $0.insert(index) }
                        job.continuation.resume(returning: .failure(ServiceError.keyInFlight))
                    }
                    let running = jobs.indices.filter { !elsewhere.contains(jobs[$0].batch.idempotencyKey) }
                    guard !running.isEmpty else { return outcomes }
                    try await group.prefetch(PushBatch.prefetch(running.map { jobs[$0].batch }))
                    for index in running {
                        do {
                            outcomes[index] = .success(try await group.unit(tenant: jobs[index].batch.tenant) { try await jobs[index].batch.apply(in: $0) })
                        } catch let refusal as ServiceError {
                            outcomes[index] = .failure(refusal)
                        }
                    }
                    return outcomes
                }
            } catch {
                let left = jobs.indices.filter { index in !answered.withLock { $0.contains(index) } }
                let alone = left.count > 1 ? await Self.applyAlone(left.map { jobs[$0] }, store: store) : left.map { _ in .failure(error) }
                outcomes = Array(repeating: nil, count: jobs.count)
                for (index, outcome) in zip(left, alone) { outcomes[index] = outcome }
            }
            for (job, outcome) in zip(jobs, outcomes) {
                guard let outcome else { continue }
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
    /// The batch's idempotency key as the store keys it.
    var idempotencyKey: StoredIdempotencyKey {
        StoredIdempotencyKey(tenant: tenant, device: device, key: key)
    }

    /// What a group of these batches reads: their records, devices and idempotency entries.
    static func prefetch(_ batches: [PushBatch]) -> WritePrefetch {
        var keys = WritePrefetch()
        for batch in batches {
            keys.devices.append(StoredDeviceKey(tenant: batch.tenant, device: batch.device))
            keys.idempotencyKeys.append(batch.idempotencyKey)
            keys.records += batch.mutations.map { StoredRecordKey(tenant: batch.tenant, collection: $0.collection, id: $0.recordId) }
            keys.changeBudget += batch.mutations.count
        }
        return keys
    }
}
