import Crypto
import Foundation
public import SyncProtocol

extension SyncEngine {
    /// Applies the batch and counts it as a sync of the device (HEALTH-1): every authenticated
    /// push of a device token, answered or refused, except replays and
    /// `idempotency_key_in_flight`. Refusals the transports raise before calling the engine
    /// arrive through `pushRefused`. A token without `device_id` has no device to count against
    /// (`forbidden`). Latency runs from the transport's `RequestReceipt` (the engine's own start
    /// when there is none) to the result being handed back for sending.
    public func push(_ principal: Principal, idempotencyKey: String, mutations: [Mutation], sessionId: String?) async throws(ServiceError) -> PushResult {
        let started = RequestReceipt.receivedAt ?? ContinuousClock.now
        do {
            let result = try await applyPush(principal, idempotencyKey: idempotencyKey, mutations: mutations, sessionId: sessionId)
            if !result.replayed {
                recordSync(principal, failed: result.failed > 0, results: result.results, duration: ContinuousClock.now - started)
            }
            return result
        } catch {
            if error.code != .idempotencyKeyInFlight {
                recordSync(principal, failed: true, results: [], duration: ContinuousClock.now - started)
            }
            throw error
        }
    }

    public func pushRefused(_ principal: Principal, code: ErrorCode, receivedAt: ContinuousClock.Instant) {
        guard code != .idempotencyKeyInFlight else { return }
        recordSync(principal, failed: true, results: [], duration: ContinuousClock.now - receivedAt)
    }

    /// Records one sync for health, analytics and metrics.
    private func recordSync(_ principal: Principal, failed: Bool, results: [MutationResult], duration: Duration) {
        guard let device = principal.device else { return }
        let processed = results.filter { $0.status != .duplicate }
        activity.record(.sync(SyncActivity(
            tenant: principal.tenant, device: device, user: principal.user, at: clock.now(tenant: principal.tenant), failed: failed,
            latencyMs: duration.wholeMillisecondsRoundedUp, mutations: Int64(processed.count),
            conflicts: Int64(processed.filter { $0.strategy != nil }.count))))
        metrics.recordSync(failed: failed, duration: duration, results: results)
    }

    private func applyPush(_ principal: Principal, idempotencyKey: String, mutations: [Mutation], sessionId: String?) async throws(ServiceError) -> PushResult {
        let device = try device(of: principal)
        let tenant = principal.tenant
        try checkBatch(mutations)
        let fingerprint = Self.fingerprint(mutations)
        let now = clock.now(tenant: tenant)
        // A hot replay needs no write turn and not even a read. Without group commit, a stored
        // one needs a read but no write turn; a group reads the entry with the push's other rows.
        var known = idempotencyCache.get(tenant: tenant, device: device, key: idempotencyKey)
        if known == nil, pushQueue == nil {
            known = try await storage { try await store.idempotency(tenant: tenant, device: device, key: idempotencyKey) }
        }
        if let entry = known, entry.createdAt >= now - configuration.idempotencyWindowMs {
            return try replay(entry, tenant: tenant, device: device, fingerprint: fingerprint)
        }
        let claim = "\(tenant)\u{0}\(device)\u{0}\(idempotencyKey)"
        guard inFlight.claim(claim) else {
            // The batch may have finished since the cache was asked: then this is a replay.
            if let entry = try await storage({ try await store.idempotency(tenant: tenant, device: device, key: idempotencyKey) }),
               entry.createdAt >= now - configuration.idempotencyWindowMs {
                return try replay(entry, tenant: tenant, device: device, fingerprint: fingerprint)
            }
            metrics.recordIdempotency(.inFlight)
            throw ServiceError.keyInFlight
        }
        defer { inFlight.release(claim) }
        let policies = try await policies(tenant: tenant)
        let batch = PushBatch(tenant: tenant, device: device, user: principal.user, key: idempotencyKey, fingerprint: fingerprint,
                              mutations: mutations, policies: policies, configuration: configuration, cursors: cursors, now: clock.now(tenant: tenant),
                              windowStart: clock.now(tenant: tenant) - configuration.idempotencyWindowMs)
        let outcome: PushBatch.Outcome
        do {
            outcome = try await commit(batch, sessionId: sessionId)
            metrics.recordIdempotency(outcome.result.replayed ? .replay : .new)
        } catch let error as ServiceError {
            metrics.recordIdempotency(error.code == .idempotencyKeyReused ? .mismatch : error.code == .idempotencyKeyInFlight ? .inFlight : .new)
            throw error
        } catch {
            metrics.recordIdempotency(.new)
            logStorageFailure(error)
            throw ServiceError(.internalError, "the batch could not be stored; nothing was applied, retry later")
        }
        if let entry = outcome.entry { idempotencyCache.put(tenant: tenant, device: device, entry) }
        return outcome.result
    }

    /// Batch-level checks before anything is read (RES-4, SEQ-3).
    private func checkBatch(_ mutations: [Mutation]) throws(ServiceError) {
        guard !mutations.isEmpty else { throw ServiceError(.invalidMessage, "a push needs at least one mutation") }
        guard Int64(mutations.count) <= configuration.maxMutationsPerPush else {
            throw ServiceError(.batchTooLarge, "a push may hold at most \(configuration.maxMutationsPerPush) mutations")
        }
        for (index, pair) in zip(mutations, mutations.dropFirst()).enumerated() where pair.1.seq <= pair.0.seq {
            throw ServiceError(.invalidMessage, "sequence numbers must increase strictly within a batch",
                               issues: [WireIssue(path: "mutations[\(index + 1)].seq", message: "not greater than the previous seq")])
        }
        for (index, mutation) in mutations.enumerated() {
            if let fields = mutation.fields, Int64(CanonicalJSON.byteCount(.object(fields))) > configuration.maxRecordBytes {
                throw ServiceError(.recordTooLarge, "mutations[\(index)].fields is larger than \(configuration.maxRecordBytes) bytes")
            }
        }
    }

    /// Answers from a stored entry: its result marked as a replay, or `idempotency_key_reused`.
    private func replay(_ entry: IdempotencyEntry, tenant: String, device: String, fingerprint: String) throws(ServiceError) -> PushResult {
        idempotencyCache.put(tenant: tenant, device: device, entry)
        metrics.recordIdempotency(entry.payloadHash == fingerprint ? .replay : .mismatch)
        guard entry.payloadHash == fingerprint else {
            throw ServiceError(.idempotencyKeyReused, "this idempotency key was used for a different batch")
        }
        var result = entry.result
        result.replayed = true
        return result
    }

    /// SHA-256 (hex) of the RFC 8785 canonical `{"mutations": [...]}` (IDEM-2). Package access so
    /// that `Benchmarks/ServerHotPaths` measures this function itself, not a copy.
    /// The text is written straight from the mutations by their generated codec in RFC 8785 form.
    package static func fingerprint(_ mutations: [Mutation]) -> String {
        var writer = JSONWriter(canonical: true, capacity: 128 * mutations.count + 16)
        writer.beginObject()
        writer.key("mutations")
        mutations.writeJSON(to: &writer)
        writer.endObject()
        return HexDigest.encode(SHA256.hash(data: writer.bytes))
    }
}

extension ServiceError {
    /// IDEM-6: a batch with the key is being processed, on this node or another.
    static var keyInFlight: ServiceError {
        ServiceError(.idempotencyKeyInFlight, "a batch with this idempotency key is still being processed", retryAfterMilliseconds: 100)
    }
}
