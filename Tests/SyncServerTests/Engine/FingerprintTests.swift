import Crypto
import Foundation
import SyncProtocol
import SyncServer
import Testing

/// IDEM-2's fingerprint must not change between releases: an idempotency entry stored by one
/// version is compared with the fingerprint the next one computes for the replayed batch.
@Suite struct FingerprintTests {
    static let mutations = [
        Mutation(seq: 1, collection: "tasks", recordId: "r-1", op: .create, baseVersion: 0,
                 fields: ["title": "Buy milk \"2%\"\n", "priority": 3, "ratio": 0.1, "big": 1e21, "whole": .double(2), "tiny": 1e-7,
                          "é": true, "\u{10000}": .null, "\u{FFFF}": [1, "two", ["n": -9223372036854775808]], "empty": [:]],
                 clientTime: 1_700_000_000_000),
        Mutation(seq: 2, collection: "tasks", recordId: "r-1", op: .update, baseVersion: 1, fields: ["done": false], clientTime: 1_700_000_000_001),
        Mutation(seq: 3, collection: "tasks", recordId: "r-1", op: .delete, baseVersion: 2, clientTime: 1_700_000_000_002),
    ]

    @Test("the fingerprint of a fixed batch is the one earlier releases stored")
    func knownAnswer() {
        // Computed by the release before the generated codec wrote the canonical text.
        #expect(SyncEngine.fingerprint(Self.mutations) == "eddfd81027e58a8e81019e1fc45ba7312b24ecc795713673e5a434182c8b7485")
    }

    @Test("the fingerprint hashes the canonical text of the batch's JSON, as RFC 8785 writes it")
    func canonicalText() throws {
        let tree = try JSONDecoder().decode(JSONValue.self, from: WireCodec.encode(["mutations": Self.mutations]))
        #expect(SyncEngine.fingerprint(Self.mutations) == HexDigest.encode(SHA256.hash(data: CanonicalJSON.bytes(tree))))
        #expect(SyncEngine.fingerprint(Array(Self.mutations.prefix(2))) != SyncEngine.fingerprint(Self.mutations))
    }
}
