import SyncServer
import Testing

/// Idempotency keys in flight across nodes (IDEM-6): a group's claims are seen by other store
/// instances on the database at once, without waiting, until the group's transaction ends.
extension PostgresStoreTests {
    private static let first = StoredIdempotencyKey(tenant: "tenant-a", device: "d1", key: "k1")
    private static let second = StoredIdempotencyKey(tenant: "tenant-a", device: "d1", key: "k2")

    @Test("Another node finds the keys a running group holds at once, and they are free again after its commit or rollback")
    func claimsAcrossNodes() async throws {
        try await withDatabase { url in
            try await withStore(url) { nodeA in
                try await withStore(url) { nodeB in
                    // Node A holds tenant-a's lock too. A claim that waited for it would return
                    // only when the watchdog ends node A's group, finding nothing held by then.
                    let holding = await HeldGroup(on: nodeA, tenant: "tenant-a", claiming: [Self.first])
                    let whileRunning = try await nodeB.writeGroup(tenants: ["tenant-a", "tenant-b"]) { group in
                        try await group.claim([Self.first, Self.second, StoredIdempotencyKey(tenant: "tenant-b", device: "d1", key: "k1")])
                    }
                    #expect(whileRunning == [Self.first])
                    #expect(try await holding.commit() == [])
                    #expect(try await nodeB.writeGroup(tenants: ["tenant-a"]) { try await $0.claim([Self.first]) } == [])

                    struct Abandon: Error {}
                    await #expect(throws: Abandon.self) {
                        try await nodeA.writeGroup(tenants: ["tenant-a"]) { group in
                            #expect(try await group.claim([Self.second]) == [])
                            throw Abandon()
                        }
                    }
                    #expect(try await nodeB.writeGroup(tenants: ["tenant-a"]) { try await $0.claim([Self.second]) } == [])
                }
            }
        }
    }

    @Test("A group claims only its own tenants' keys, and a key claimed twice in one group is not in flight to itself")
    func claimsStayInTheGroup() async throws {
        try await withDatabase { url in
            try await withStore(url) { store in
                let claimed = try await store.writeGroup(tenants: ["tenant-a"]) { group in
                    let other = try await group.claim([StoredIdempotencyKey(tenant: "tenant-b", device: "d1", key: "k1")])
                    let again = try await group.claim([Self.first, Self.first])
                    return other.union(again)
                }
                #expect(claimed == [])
            }
        }
    }
}

/// Tenant clocks across nodes (TEST-5): another store's change and reset arrive as events.
extension PostgresStoreTests {
    @Test("Another node's clock changes and tenant resets arrive as clock events")
    func clockEvents() async throws {
        try await withDatabase { url in
            try await withStore(url) { writer in
                try await withStore(url) { listener in
                    var events = listener.peerEvents().makeAsyncIterator()
                    #expect(await events.next() == .resumed)
                    _ = try await writer.updateClockOffset(tenant: "tenant-a") { $0 + 1_000 }
                    #expect(await events.next() == .clock(tenant: "tenant-a"))
                    #expect(try await listener.clockOffset(tenant: "tenant-a") == 1_000)
                    try await writer.resetTenant("tenant-a")
                    var afterReset: [PeerEvent] = []
                    while afterReset.count < 2, let event = await events.next() { afterReset.append(event) }
                    #expect(afterReset == [.policies(tenant: "tenant-a"), .clock(tenant: "tenant-a")])
                }
            }
        }
    }
}
