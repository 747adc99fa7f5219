@testable import SyncServer

/// A group transaction of another node, held open: it claimed `keys` and holds its tenants'
/// locks until `release()` (or a 15 s watchdog, so that a test whose subject waits for it fails
/// instead of hanging).
struct HeldGroup {
    private let release: AsyncStream<Void>.Continuation
    private let group: Task<Set<StoredIdempotencyKey>, any Error>
    private let watchdog: Task<Void, any Error>

    /// Opens the group on `store`, claims `keys`, runs one unit of `tenant` (which takes the
    /// locks) and returns once it holds them.
    init(on store: PostgresSyncStore, tenant: String, claiming keys: [StoredIdempotencyKey]) async {
        let (opened, signal) = AsyncStream<Void>.makeStream()
        let (finish, release) = AsyncStream<Void>.makeStream()
        group = Task {
            try await store.writeGroup(tenants: [tenant]) { group in
                let held = try await group.claim(keys)
                try await group.unit(tenant: tenant) { _ = try await $0.deviceState(tenant: tenant, device: "holder") }
                signal.finish()
                for await _ in finish {}
                return held
            }
        }
        for await _ in opened {}
        watchdog = Task {
            try await Task.sleep(for: .seconds(15))
            release.finish()
        }
        self.release = release
    }

    /// Commits the group; returns the keys it found held by others when it claimed.
    func commit() async throws -> Set<StoredIdempotencyKey> {
        release.finish()
        watchdog.cancel()
        return try await group.value
    }
}
