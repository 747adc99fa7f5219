import Benchmark

/// What every benchmark here measures (wall clock, throughput, mallocs; subjects also their
/// ratio to the baseline), and the tolerances `swift package benchmark thresholds check`
/// allows around the p90 values committed in `Thresholds/`.
///
/// The thresholds are recorded and checked on a shared 2-core machine where another build
/// may be running. Four runs there, minutes apart, put the p90 wall clock of one benchmark up
/// to 2× apart, its ratio to the baseline mostly within 17% (the fingerprint's, against a
/// 3 µs hash, 1.7× apart), and every subject's malloc count exactly equal. Hence:
/// - Ratio to the baseline: ±50%. The gate on time: a path that became 1.5× as slow as its
///   baseline fails, whatever the load, and one that became 2× as fast asks for new thresholds.
/// - Wall clock: ±150%. Only a path 2.5× as slow fails; load alone stayed under 2×.
/// - Throughput: ±200%, shown for reading but never failing on its own. It is the inverse of
///   the wall clock, and benchmark 1.38.1 records its threshold at the fast end of the
///   samples (the raw 90th percentile) but checks the slow end (the 90th "worse" percentile),
///   so an unchanged run already reads some 10% to 35% below its threshold.
/// - Mallocs of a subject: ±10 allocations. The server's own code allocates the same count on
///   every run, so any real change of its allocations shows.
/// - Mallocs of a baseline: ±10%. Foundation's `JSONSerialization` wanders by up to 5% from run
///   to run.
/// For small changes, compare two baselines of one quiet run instead
/// (`swift package benchmark baseline update` and `baseline compare`).
enum HotPathConfiguration {
    /// A baseline: the common metrics.
    static var baseline: Benchmark.Configuration {
        configuration(metrics: [.wallClock, .throughput, .mallocCountTotal], thresholds: [
            .wallClock: relative(150), .throughput: relative(200), .mallocCountTotal: relative(10),
        ])
    }

    /// A subject: the common metrics and its ratio to the baseline.
    static var subject: Benchmark.Configuration {
        configuration(metrics: [.wallClock, .throughput, .mallocCountTotal, ratioToBaseline], thresholds: [
            .wallClock: relative(150), .throughput: relative(200), .mallocCountTotal: absolute(10), ratioToBaseline: relative(50),
        ])
    }

    /// Up to 2 s or 10,000 iterations each (the slowest, a `changes` page timed beside
    /// `JSONSerialization`, gets some 40), counts and percentages shown as plain numbers.
    private static func configuration(metrics: [BenchmarkMetric], thresholds: [BenchmarkMetric: BenchmarkThresholds]) -> Benchmark.Configuration {
        .init(metrics: metrics, units: [.mallocCountTotal: .count, ratioToBaseline: .count], warmupIterations: 10,
              maxDuration: .seconds(2), maxIterations: 10_000, thresholds: thresholds)
    }

    /// A tolerance in percent at the percentiles the checks read: p90 for the committed
    /// thresholds, p50 too for comparisons of two baselines.
    private static func relative(_ percent: Double) -> BenchmarkThresholds {
        BenchmarkThresholds(relative: [.p50: percent, .p90: percent])
    }

    /// A tolerance in units of the metric, at the same percentiles.
    private static func absolute(_ amount: Int) -> BenchmarkThresholds {
        BenchmarkThresholds(absolute: [.p50: amount, .p90: amount])
    }
}
