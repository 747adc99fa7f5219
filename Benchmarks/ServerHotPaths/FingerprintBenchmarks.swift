import Foundation
import Benchmark
import Crypto
import SyncProtocol
import SyncServer

/// The push fingerprint the server compares to detect a reused idempotency key (IDEM-2):
/// `SyncEngine.fingerprint`, which writes the mutations' RFC 8785 canonical text through their
/// generated codec and hex-encodes its SHA-256. Baseline: SHA-256 alone of the same canonical
/// bytes, so the ratio is what the canonical form costs on top of hashing.
enum FingerprintBenchmarks {
    static func register() {
        let mutations = SamplePush.mutations
        let tree = try? JSONDecoder().decode(JSONValue.self, from: WireCodec.encode(["mutations": mutations]))
        let canonical = CanonicalJSON.bytes(tree ?? .null)
        guard SyncEngine.fingerprint(mutations) == HexDigest.encode(SHA256.hash(data: canonical)) else {
            fatalError("the baseline does not hash the bytes the fingerprint hashes")
        }
        let group = HotPathGroup("Fingerprint", baseline: "SHA256") {
            blackHole(SHA256.hash(data: canonical))
        }
        group.subject("SyncEngine") {
            blackHole(SyncEngine.fingerprint(mutations))
        }
    }
}
