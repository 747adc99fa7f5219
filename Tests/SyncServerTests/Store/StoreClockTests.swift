import SyncServer
import Testing

/// The tenant clocks of test control (`ClockStore`): kept across reopening, shared by two stores
/// on one database, changed from the stored value, and cleared by a tenant reset.
@Suite("Store: tenant clocks")
struct StoreClockTests {
    @Test("Offsets are changed from the stored one, kept across reopening and shared by a second store", arguments: StoreFixture.all)
    func offsetsKeptAndShared(fixture: StoreFixture) async throws {
        try await fixture.withDatabase { database in
            let one = try #require(try await fixture.open(database) as? any ClockStore)
            #expect(try await one.clockOffsets() == [:])
            #expect(try await one.clockOffset(tenant: "tenant-a") == 0)
            #expect(try await one.updateClockOffset(tenant: "tenant-a") { $0 + 5_000 } == 5_000)
            #expect(try await one.updateClockOffset(tenant: "tenant-a") { $0 + 7 } == 5_007)
            #expect(try await one.updateClockOffset(tenant: "tenant-b") { _ in -Int64.max } == -Int64.max)
            let two = try #require(try await fixture.open(database) as? any ClockStore)
            #expect(try await two.clockOffsets() == ["tenant-a": 5_007, "tenant-b": -Int64.max])
            // Both stores changing one tenant at once: each change counts.
            try await withThrowingTaskGroup(of: Int64.self) { group in
                for store in [one, two] {
                    for _ in 0..<10 { group.addTask { try await store.updateClockOffset(tenant: "tenant-a") { $0 + 1 } } }
                }
                try await group.waitForAll()
            }
            #expect(try await two.clockOffset(tenant: "tenant-a") == 5_027)
            #expect(try await one.updateClockOffset(tenant: "tenant-b") { _ in 0 } == 0)
            #expect(try await one.clockOffsets() == ["tenant-a": 5_027])
            try await fixture.close(two as! any SyncStore)
            try await fixture.close(one as! any SyncStore)
            let reopened = try #require(try await fixture.open(database) as? any ClockStore)
            #expect(try await reopened.clockOffset(tenant: "tenant-a") == 5_027)
            try await fixture.close(reopened as! any SyncStore)
        }
    }

    @Test("Resetting a tenant puts it back on the real clock and leaves the others", arguments: StoreFixture.all)
    func resetClearsTheClock(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            let clocks = try #require(store as? any ClockStore)
            _ = try await clocks.updateClockOffset(tenant: "tenant-a") { _ in 60_000 }
            _ = try await clocks.updateClockOffset(tenant: "tenant-b") { _ in 1 }
            try await store.resetTenant("tenant-a")
            #expect(try await clocks.clockOffsets() == ["tenant-b": 1])
        }
    }
}
