import Benchmark
import Crypto
import SyncProtocol
import SyncServer

/// The push fingerprint the server compares to detect a reused idempotency key (IDEM-2):
/// `SyncEngine.fingerprint`, which builds the mutations' JSON tree (`JSONValueEncoder`), writes
/// its RFC 8785 canonical text and hex-encodes its SHA-256. Baseline: SHA-256 alone of the same
/// canonical bytes, so the ratio is what the canonical form costs on top of hashing.
enum FingerprintBenchmarks {
    static func register() {
        let mutations = SamplePush.mutations
        let canonical = Array(CanonicalJSON.encode((try? JSONValueEncoder.encode(["mutations": mutations])) ?? .null).utf8)
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
