import ArgumentParser
import Foundation
import SyncProtocol
#if canImport(Glibc)
import Glibc
#endif

/// `sync-bench server` (the default): the release sync server under each load of the
/// performance table, every figure next to a baseline measured in the same run, printed as a
/// table with the ratio and its goal, and as JSON for history.
struct ServerBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "The sync server's performance table: each load next to a baseline from the same run.",
        discussion: """
            Starts the sync-server built beside this program (on a SQLite database in a temporary \
            folder, rate limits off) and a bare Hummingbird echo server (sync-bench echo-server), \
            measures raw SQLite, fdatasync and the echo server as baselines, and runs every \
            scenario. On a machine with two cores or more the servers run on core 0 and the load \
            on core 1. Build in release first:
              swift build -c release --product sync-server && swift run -c release sync-bench
            A full run takes a few minutes; --smoke runs every scenario briefly and small (a \
            check that the benchmark works, not a measurement). Progress goes to standard error.
            """
    )

    @Option(help: "Seconds each throughput measurement lasts.") var seconds = 5.0
    @Option(help: "Pushing devices (WebSocket sessions) of the push scenarios.") var devices = 64
    @Option(help: "Connections of the replay and REST scenarios.") var connections = 16
    @Option(help: "Idle sessions of the idle-cost scenarios.") var idleSessions = 10_000
    @Option(help: "Listening sessions of the fan-out scenario.") var listeners = 1_000
    @Option(help: "Changes sent to the listeners.") var fanOutChanges = 20
    @Option(help: "The sync-server executable to measure (default: the one built beside this program), to compare builds.")
    var syncServer: String?
    @Option(help: "Append the results as one JSON line to this file.") var jsonOutput: String?
    @Option(help: "Only these rows of the table, comma-separated (\(BenchSettings.rowKeys.joined(separator: ", "))), with what they are compared with.")
    var rows: String?
    @Flag(help: "Every scenario briefly and small: checks that the benchmark runs.") var smoke = false
    @Flag(help: "Do not pin the servers and the load to separate cores.") var noPin = false

    func run() throws {
        var settings = BenchSettings(seconds: seconds, devices: devices, connections: connections, idleSessions: idleSessions,
                                     listeners: listeners, fanOutChanges: fanOutChanges, pin: !noPin)
        if smoke { settings = .smoke }
        if let rows {
            let keys = Set(rows.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            let unknown = keys.subtracting(BenchSettings.rowKeys)
            guard !keys.isEmpty, unknown.isEmpty else {
                throw ValidationError("--rows takes keys among \(BenchSettings.rowKeys.joined(separator: ", ")); unknown: \(unknown.sorted().joined(separator: ", "))")
            }
            settings.rows = keys
        }
        guard settings.seconds > 0, settings.devices > 0, settings.connections > 0, settings.listeners > 0, settings.fanOutChanges > 0,
              settings.idleSessions > 0 else {
            throw ValidationError("--seconds, --devices, --connections, --idle-sessions, --listeners and --fan-out-changes must be positive")
        }
        let openFiles = ProcessProbe.raiseOpenFileLimit()
        guard openFiles > settings.idleSessions + settings.listeners + 2 * settings.devices + 200 else {
            throw ValidationError("the open-file limit (\(openFiles)) is too low for \(settings.idleSessions) idle sessions; raise it (ulimit -n) or lower --idle-sessions")
        }
        let started = Date()
        let rows = try ServerBenchmarkRun(settings: settings, openFiles: openFiles, serverPath: syncServer).rows()
            .filter { settings.wants($0.key) }
        print(BenchTable.render(rows))
        let met = rows.filter(\.isMet).count
        print("\n\(met) of \(rows.count) goals met\(smoke ? " (smoke run: the figures mean nothing)" : "").")
        if let jsonOutput {
            let line: JSONValue = ["benchmark": "server", "date": .string(ISO8601DateFormatter().string(from: started)),
                                   "smoke": .bool(smoke), "seconds": .double(settings.seconds), "rows": .array(rows.map(\.json))]
            let data = try JSONEncoder().encode(line) + Data("\n".utf8)
            if let handle = FileHandle(forWritingAtPath: jsonOutput) {
                handle.seekToEndOfFile()
                handle.write(data)
                try handle.close()
            } else {
                try data.write(to: URL(fileURLWithPath: jsonOutput))
            }
            Progress.note("results appended to \(jsonOutput)")
        }
    }
}

/// The sizes of one run.
struct BenchSettings {
    var seconds: Double
    var devices: Int
    var connections: Int
    var idleSessions: Int
    var listeners: Int
    var fanOutChanges: Int
    var pin: Bool
    /// The rows to measure; `nil` for all.
    var rows: Set<String>?

    static let smoke = BenchSettings(seconds: 0.5, devices: 4, connections: 2, idleSessions: 50, listeners: 20, fanOutChanges: 3, pin: false)

    /// The keys of the table's rows, in its order.
    static let rowKeys = ["ws-push-10", "ws-push-1", "ws-push-10-idle", "one-tenant", "replay", "http-push-10", "idle-session",
                          "open-loop-p95", "fan-out-p95"]

    /// Whether any of the rows `keys` is to be measured.
    func wants(_ keys: String...) -> Bool {
        rows.map { !$0.isDisjoint(with: keys) } ?? true
    }

    /// How long idle sessions are watched for their CPU cost.
    var idleSeconds: Double { min(5, max(1, seconds)) }
}
