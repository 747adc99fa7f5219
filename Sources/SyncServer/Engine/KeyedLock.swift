/// Mutual exclusion per key: at most one holder of a key at a time, the others waiting in
/// order. The engine orders each tenant's commits with it; uploads, concurrent finalizes of one
/// session, so that they assemble the file once.
actor KeyedLock {
    private var held: Set<String> = []
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    /// Runs `body` while holding `key`.
    nonisolated func withLock<T: Sendable, E: Error>(_ key: String, _ body: () async throws(E) -> T) async throws(E) -> T {
        await acquire(key)
        do {
            let value = try await body()
            await release(key)
            return value
        } catch {
            await release(key)
            throw error
        }
    }

    /// Runs `body` while holding every one of `keys`, taken in sorted order so that two holders
    /// of several keys never wait for each other in a cycle.
    nonisolated func withLocks<T: Sendable, E: Error>(_ keys: [String], _ body: () async throws(E) -> T) async throws(E) -> T {
        let keys = Set(keys).sorted()
        for key in keys { await acquire(key) }
        do {
            let value = try await body()
            for key in keys { await release(key) }
            return value
        } catch {
            for key in keys { await release(key) }
            throw error
        }
    }

    private func acquire(_ key: String) async {
        guard held.contains(key) else {
            held.insert(key)
            return
        }
        await withCheckedContinuation { waiting[key, default: []].append($0) }
    }

    /// Hands the key to the next waiter, who then holds it, or frees it.
    private func release(_ key: String) {
        guard var queue = waiting[key], !queue.isEmpty else {
            held.remove(key)
            return
        }
        let next = queue.removeFirst()
        waiting[key] = queue.isEmpty ? nil : queue
        next.resume()
    }
}
