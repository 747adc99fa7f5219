import Foundation
import SyncProtocol

/// One line of the server benchmark's table: a measurement of the server, the baseline it is
/// compared with (measured in the same run), their ratio and the goal the ratio must meet.
struct BenchRow {
    /// Which way the goal points.
    enum Goal {
        case atLeast(Double)
        case atMost(Double)

        func isMet(by ratio: Double) -> Bool {
            switch self {
            case .atLeast(let goal): ratio >= goal
            case .atMost(let goal): ratio <= goal
            }
        }

        var text: String {
            switch self {
            case .atLeast(let goal): ">= \(BenchRow.format(goal))"
            case .atMost(let goal): "<= \(BenchRow.format(goal))"
            }
        }
    }

    /// A stable name for the JSON history.
    let key: String
    let measurement: String
    let value: Double
    let unit: String
    let baseline: Double?
    let baselineLabel: String
    /// What the goal is checked against (the ratio, or the value itself where there is no baseline).
    let ratio: Double
    let goal: Goal
    /// Further figures (latency percentiles, CPU) for the JSON and the notes.
    var details: [String: Double] = [:]

    var isMet: Bool { goal.isMet(by: ratio) }

    var json: JSONValue {
        var object: JSONObject = ["key": .string(key), "measurement": .string(measurement), "value": .double(value), "unit": .string(unit),
                                  "baseline_label": .string(baselineLabel), "ratio": .double(ratio), "goal": .string(goal.text), "met": .bool(isMet)]
        if let baseline { object["baseline"] = .double(baseline) }
        for (name, figure) in details { object[name] = .double(figure) }
        return .object(object)
    }

    /// Three significant digits, thousands grouped.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "-" }
        let magnitude = abs(value)
        if magnitude >= 1000 { return Int(value.rounded()).formatted(.number.grouping(.automatic)) }
        if magnitude >= 100 { return String(format: "%.0f", value) }
        if magnitude >= 10 { return String(format: "%.1f", value) }
        if magnitude >= 1 { return String(format: "%.2f", value) }
        return String(format: "%.3f", value)
    }
}

/// The table `sync-bench server` prints.
enum BenchTable {
    static func render(_ rows: [BenchRow]) -> String {
        let header = ["measurement", "server", "baseline (same run)", "ratio", "goal", "met"]
        let lines = rows.map { row in
            [row.measurement, "\(BenchRow.format(row.value)) \(row.unit)",
             row.baseline.map { "\(BenchRow.format($0)) \(row.baselineLabel)" } ?? row.baselineLabel,
             BenchRow.format(row.ratio), row.goal.text, row.isMet ? "yes" : "NO"]
        }
        let widths = header.indices.map { column in ([header] + lines).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            "| " + cells.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: " | ") + " |"
        }
        let rule = "|" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|"
        return ([line(header), rule] + lines.map(line)).joined(separator: "\n")
    }
}
