import Benchmark
import Foundation

/// One hot path and the baseline it is read against: the baseline is a benchmark of its own
/// (`<group>.Baseline.<what>`), and every subject of the group (`<group>.<what>`) also reports
/// `ratioToBaseline`, its time as a percentage of the baseline's, both timed in the same
/// iteration. Timed side by side, the two feel the same load of the machine, so the ratio
/// stays put where absolute times on a busy 2-core machine do not.
struct HotPathGroup {
    let name: String
    private let baseline: () -> Void

    /// Registers the group's baseline benchmark, `<name>.Baseline.<label>`, running `baseline`.
    init(_ name: String, baseline label: String, _ baseline: @escaping () -> Void) {
        self.name = name
        self.baseline = baseline
        Benchmark("\(name).Baseline.\(label)", configuration: HotPathConfiguration.baseline) { benchmark in
            for _ in benchmark.scaledIterations {
                baseline()
            }
        }
    }

    /// Registers the subject `<name>.<label>`: only `body` is inside the measurement (wall
    /// clock, throughput, mallocs); the baseline runs just before it, outside, for the ratio.
    func subject(_ label: String, _ body: @escaping () -> Void) {
        let baseline = self.baseline
        Benchmark("\(name).\(label)", configuration: HotPathConfiguration.subject) { benchmark in
            let clock = ContinuousClock()
            let baselineTime = clock.measure(baseline)
            benchmark.startMeasurement()
            let subjectTime = clock.measure(body)
            benchmark.stopMeasurement()
            if baselineTime > .zero {
                benchmark.measurement(ratioToBaseline, Int((subjectTime / baselineTime * 100).rounded()))
            }
        }
    }
}

/// A subject's time as a percentage of its group's baseline, timed in the same iteration
/// (250 means two and a half times as long as the baseline).
var ratioToBaseline: BenchmarkMetric {
    .custom("Time vs baseline (%)", polarity: .prefersSmaller, useScalingFactor: false)
}

/// What every benchmark here measures, and the tolerances `swift package benchmark thresholds
/// check` allows around the p90 values committed in `Thresholds/`.
///
/// The tolerances are wide on purpose: the thresholds are recorded and checked on a shared
/// 2-core machine where another build may be running, and such load moves wall-clock times by
/// tens of percent. They catch a path that became about twice as slow, not a 10% drift; for
/// small changes compare two baselines of the same quiet run instead
/// (`swift package benchmark baseline compare`).
/// - Wall clock: ±60% at p50 and p90.
/// - Throughput: ±60%. It needs as wide a band as the wall clock, and more: benchmark 1.38.1
///   records a throughput threshold from the fast end of the samples (the raw 90th
///   percentile) but checks it against the slow end (the 90th percentile of "worse"), so even
///   an unchanged run reads some 20% lower than its threshold.
/// - Mallocs: ±5%. Allocation counts barely vary from run to run, so a change here is a
///   change of the code (or of Foundation).
/// - Ratio to the baseline: ±50%, for the same reasons as the wall clock, halved by the side by
///   side timing.
enum HotPathConfiguration {
    static var metrics: [BenchmarkMetric] { [.wallClock, .throughput, .mallocCountTotal] }

    static var tolerances: [BenchmarkMetric: BenchmarkThresholds] {
        [.wallClock: within(percent: 60), .throughput: within(percent: 60), .mallocCountTotal: within(percent: 5)]
    }

    /// A baseline: the common metrics.
    static var baseline: Benchmark.Configuration {
        .init(metrics: metrics, warmupIterations: 10, maxDuration: .seconds(1), maxIterations: 10_000, thresholds: tolerances)
    }

    /// A subject: the common metrics and its ratio to the baseline.
    static var subject: Benchmark.Configuration {
        var thresholds = tolerances
        thresholds[ratioToBaseline] = within(percent: 50)
        return .init(metrics: metrics + [ratioToBaseline], warmupIterations: 10, maxDuration: .seconds(1), maxIterations: 10_000,
                     thresholds: thresholds)
    }

    /// A relative tolerance at the percentiles the checks read: p90 for the committed
    /// thresholds, p50 too for comparisons of two baselines.
    private static func within(percent: Double) -> BenchmarkThresholds {
        BenchmarkThresholds(relative: [.p50: percent, .p90: percent])
    }
}
