import SyncServer
import Testing

/// The cursor key (`SyncStore.cursorKey()`): created once, then the same for every caller, every
/// reopening and every reset of a tenant, so cursors outlive restarts.
@Suite("Store: secrets")
struct StoreSecretTests {
    @Test("The cursor key is 32 bytes, kept across reopening and tenant resets", arguments: StoreFixture.all)
    func cursorKeyKept(fixture: StoreFixture) async throws {
        try await fixture.withDatabase { database in
            let first = try await fixture.open(database)
            let key = try await first.cursorKey()
            #expect(key.count == 32)
            #expect(Set(key).count > 8, "random bytes, not a constant")
            #expect(try await first.cursorKey() == key)
            try await first.resetTenant("tenant-a")
            #expect(try await first.cursorKey() == key)
            try await fixture.close(first)

            let reopened = try await fixture.open(database)
            #expect(try await reopened.cursorKey() == key)
            try await fixture.close(reopened)
        }
    }

    @Test("Two stores opened on one database at once agree on one key", arguments: StoreFixture.all)
    func cursorKeyShared(fixture: StoreFixture) async throws {
        try await fixture.withDatabase { database in
            let one = try await fixture.open(database)
            let two = try await fixture.open(database)
            async let fromOne = one.cursorKey()
            async let fromTwo = two.cursorKey()
            let (a, b) = try await (fromOne, fromTwo)
            #expect(a == b)
            try await fixture.close(one)
            try await fixture.close(two)
        }
    }

    @Test("Two databases have different keys", arguments: StoreFixture.all)
    func cursorKeyPerDatabase(fixture: StoreFixture) async throws {
        var keys: [[UInt8]] = []
        for _ in 0..<2 {
            try await fixture.withStore { keys.append(try await $0.cursorKey()) }
        }
        #expect(keys[0] != keys[1])
    }
}
