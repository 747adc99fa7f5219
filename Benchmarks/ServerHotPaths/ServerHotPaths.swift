import Benchmark

/// The server's hot pure paths, each beside a baseline measured in the same run: reading a
/// push, its fingerprint, conflict resolution, and writing a `push_result` and a `changes`
/// page. Run with `swift package benchmark`; `Thresholds/` holds the committed p90 values
/// that `swift package benchmark thresholds check` compares a run with.
/// The benchmark plugin's generated `main` calls this closure to register them.
let benchmarks: @Sendable () -> Void = {
    PushDecodingBenchmarks.register()
    FingerprintBenchmarks.register()
    ConflictResolutionBenchmarks.register()
    EncodingBenchmarks.register()
}
