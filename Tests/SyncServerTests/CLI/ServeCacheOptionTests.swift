import SyncServer
import Testing
@testable import sync_server

/// The replay cache setting of `sync-server serve`.
@Suite("sync-server serve: idempotency cache")
struct ServeCacheOptionTests {
    @Test("the default keeps 10,000 batches; a variable sets it and a flag beats the variable")
    func sources() throws {
        #expect(try serveConfiguration([], environment: secretEnvironment).idempotencyCacheEntries == 10_000)
        let environment = secretEnvironment.merging(["SYNC_IDEMPOTENCY_CACHE_ENTRIES": "64"]) { $1 }
        #expect(try serveConfiguration([], environment: environment).idempotencyCacheEntries == 64)
        #expect(try serveConfiguration(["--idempotency-cache-entries", "2"], environment: environment).idempotencyCacheEntries == 2)
        #expect(try serveConfiguration(["--idempotency-cache-entries", "10000000"], environment: environment).idempotencyCacheEntries == 10_000_000)
    }

    @Test("counts outside 2 to 10,000,000 are refused with the range", arguments: [
        ["--idempotency-cache-entries", "1"], ["--idempotency-cache-entries", "0"], ["--idempotency-cache-entries=-5"],
        ["--idempotency-cache-entries", "10000001"], ["--idempotency-cache-entries", "9223372036854775807"],
    ])
    func refusals(arguments: [String]) throws {
        let refusal = try #require(serveRefusal(arguments, environment: secretEnvironment))
        #expect(refusal.message.contains("2 to 10000000"), "\(refusal.message)")
    }

    @Test("a variable that is not a number is refused")
    func notANumber() throws {
        let environment = secretEnvironment.merging(["SYNC_IDEMPOTENCY_CACHE_ENTRIES": "lots"]) { $1 }
        let refusal = try #require(serveRefusal([], environment: environment))
        #expect(refusal.message.contains("SYNC_IDEMPOTENCY_CACHE_ENTRIES"), "\(refusal.message)")
    }
}
