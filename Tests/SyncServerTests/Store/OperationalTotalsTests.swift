import Foundation
import SyncProtocol
@testable import SyncServer
import Testing

/// `SQLiteSyncStore.operationalTotals`: the database-wide figures `/metrics` reports, at the
/// alert levels' exact edges (HEALTH-4, HEALTH-8).
@Suite struct OperationalTotalsTests {
    static let now: Int64 = 1_767_225_600_000
    static let day: Int64 = 86_400_000

    static func syncs(_ tenant: String, _ device: String, total: Int, failed: Int, at: Int64 = now - 1000) -> [ActivityEvent] {
        (0..<total).map { index in
            .sync(SyncActivity(tenant: tenant, device: device, user: "u", at: at - Int64(index), failed: index < failed,
                               latencyMs: 1, mutations: 1, conflicts: 0))
        }
    }

    static func withStore(_ body: (SQLiteSyncStore) async throws -> Void) async throws {
        let path = StoreFixture.temporaryDatabasePath()
        defer { StoreFixture.removeDatabase(at: path) }
        let store = try await SQLiteSyncStore.open(path: path)
        do {
            try await store.migrate()
            try await body(store)
        } catch {
            try? await store.close()
            throw error
        }
        try await store.close()
    }

    @Test func anEmptyDatabaseHasAPerfectScoreAndNothingStored() async throws {
        try await Self.withStore { store in
            let totals = try await store.operationalTotals(since: Self.now - Self.day, until: Self.now)
            #expect(totals == OperationalTotals(lowestHealthScore: 100, devicesWarning: 0, devicesCritical: 0, uploadsInProgress: 0, bytesStored: 0))
        }
    }

    @Test func devicesCountAtTheirLevelOnlyWithinTheWindow() async throws {
        try await Self.withStore { store in
            // Scores: 80 (5 syncs, 1 failed: ok, on the edge), 70 (10, 3: warning, on the edge),
            // 69 (13, 4: critical), 100, and one whose failures are all older than the window.
            var events = Self.syncs("acme", "edge-ok", total: 5, failed: 1) + Self.syncs("acme", "edge-warning", total: 10, failed: 3)
            events += Self.syncs("globex", "critical", total: 13, failed: 4) + Self.syncs("globex", "fine", total: 2, failed: 0)
            events += Self.syncs("acme", "old", total: 3, failed: 3, at: Self.now - Self.day - 1000)
            try await store.recordActivity(events)
            #expect(HealthMath.healthScore(total: 5, failed: 1) == 80 && HealthMath.healthScore(total: 10, failed: 3) == 70)
            #expect(HealthMath.healthScore(total: 13, failed: 4) == 69)
            let totals = try await store.operationalTotals(since: Self.now - Self.day, until: Self.now)
            #expect(totals.lowestHealthScore == 69 && totals.devicesWarning == 1 && totals.devicesCritical == 1)
            // A window that holds only the old device's failures.
            let old = try await store.operationalTotals(since: Self.now - 2 * Self.day, until: Self.now - Self.day)
            #expect(old.lowestHealthScore == 0 && old.devicesCritical == 1 && old.devicesWarning == 0)
        }
    }

    @Test func openUnexpiredSessionsAndFinalizedBytesAreCounted() async throws {
        try await Self.withStore { store in
            func session(_ id: String, expiresAt: Int64) -> UploadSessionEntry {
                UploadSessionEntry(tenant: "acme", uploadId: id, device: "phone", name: "a.bin", size: 10, contentType: "application/octet-stream",
                                   sha256: String(repeating: "a", count: 64), chunkSize: 10, state: .open, createdAt: Self.now - 10, expiresAt: expiresAt)
            }
            for (id, expiry) in [("u1", Self.now + 1000), ("u2", Self.now + 1000), ("u3", Self.now)] {
                _ = try await store.createUploadSession(session(id, expiresAt: expiry), maxOpenPerDevice: 10, quotaBytes: nil, now: Self.now - 10)
            }
            let file = UploadedFile(fileId: "f1", name: "a.bin", size: 10, sha256: String(repeating: "a", count: 64),
                                    contentType: "application/octet-stream", createdAt: Self.now)
            _ = try await store.finalizeUploadSession(tenant: "acme", uploadId: "u2", file: StoredFileEntry(tenant: "acme", uploadId: "u2", file: file))
            let totals = try await store.operationalTotals(since: Self.now - Self.day, until: Self.now)
            // u1 is open; u2 is finalized; u3 expires exactly now.
            #expect(totals.uploadsInProgress == 1 && totals.bytesStored == 10)
        }
    }
}
