import SyncProtocol
import Testing

extension FaultInjectionTests {
    /// The real-time fault of `fault-injection-server` keeps changes from other devices, and the
    /// faithful server (`--fault none`) delivers them.
    @Suite("fault-injection-server: real-time fault")
    struct RealtimeFaults {
        @Test("lost-realtime-change: another device's committed change never arrives (RT-1)")
        func lostRealtimeChange() async throws {
            let (reference, faulty) = try await FaultServer.compare("lost-realtime-change") { server in
                let (laptop, _) = try await server.socket(tenant: "acme", device: "laptop")
                let rest = try await server.push([FaultServer.create(1, "a")], key: "k1", token: try await server.token(tenant: "acme", device: "phone"))
                #expect(rest.status == 200)
                // The pong proves the session is alive; a delivered change comes before or after it.
                await laptop.send(.ping(PingMessage(nonce: "n1")))
                var seen: Set<String> = []
                while seen.count < 2, let message = try await laptop.next(timeout: .seconds(2)) {
                    switch message {
                    case .change(let change): seen.insert("change \(change.change.record.id)")
                    case .pong: seen.insert("pong")
                    default: seen.insert("other")
                    }
                }
                await laptop.close()
                return seen
            }
            #expect(reference == ["change a", "pong"])
            #expect(faulty == ["pong"])
        }
    }
}
