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
