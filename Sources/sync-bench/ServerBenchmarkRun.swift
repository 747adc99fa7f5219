import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One run of `sync-bench server`: the baselines, then the sync server's scenarios, then the
/// table's rows.
struct ServerBenchmarkRun {
    let settings: BenchSettings
    let openFiles: Int
    private let folder: String
    /// The sync-server to measure; `nil` for the one beside this program.
    private let serverPath: String?
    private let secret = "sync-bench-secret-0123456789abcdef0123456789"

    init(settings: BenchSettings, openFiles: Int, serverPath: String?) throws {
        self.settings = settings
        self.serverPath = serverPath
        self.openFiles = openFiles
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("sync-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    func rows() throws -> [BenchRow] {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let here = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        let serverPath = self.serverPath ?? here.deletingLastPathComponent().appendingPathComponent("sync-server").path
        guard FileManager.default.isExecutableFile(atPath: serverPath) else {
            throw BenchFailure("no sync-server at \(serverPath); build it: swift build -c release --product sync-server")
        }
        let seconds = settings.seconds
        Progress.note("[1/4] baselines: fdatasync, raw SQLite (WAL, synchronous FULL), \(seconds) s each")
        let fsync = LoadResult(latencies: try StorageBaselines.fdatasyncLatencies(folder: folder, samples: max(50, Int(seconds * 200))))
        let sqlite100 = try StorageBaselines.sqliteRowsPerSecond(folder: folder, rowsPerTransaction: 100, seconds: seconds)
        let sqlite1 = try StorageBaselines.sqliteRowsPerSecond(folder: folder, rowsPerTransaction: 1, seconds: seconds)

        Progress.note("[2/4] the bare Hummingbird echo server")
        let echo = try EchoBaseline.measure(executable: here.path, settings: settings, pinLoad: pinLoad)

        Progress.note("[3/4] the sync server")
        let server = try ListeningProcess(
            executable: serverPath,
            arguments: ["serve", "--host", "127.0.0.1", "--port", "0", "--db", folder + "/sync.sqlite", "--data-dir", folder,
                        "--no-rate-limits", "--log-level", "warning", "--max-connections", "\(openFiles - 100)"],
            environment: ["SYNC_JWT_SECRET": secret])
        defer { server.stop() }
        pinLoad(server.pid)
        let measured = try measureServer(server)
        guard server.isRunning else { throw BenchFailure("the sync server stopped: \(server.log)") }

        Progress.note("[4/4] done")
        let fsyncP95 = fsync.percentile(0.95)
        let latencyBound = 1 + 2 * fsyncP95
        let idleRatio = measured.idle.bytesPerConnection / max(echo.idle.bytesPerConnection, 1)
        return [
            BenchRow(key: "ws-push-10", measurement: "10-mutation pushes over WS, \(settings.devices) devices, durable",
                     value: measured.ws10.itemsPerSecond, unit: "items/s", baseline: sqlite100, baselineLabel: "rows/s raw SQLite, 100-row tx",
                     ratio: measured.ws10.itemsPerSecond / sqlite100, goal: .atLeast(0.30), details: latencies(measured.ws10)),
            BenchRow(key: "ws-push-1", measurement: "1-mutation pushes, \(settings.devices) devices",
                     value: measured.ws1.operationsPerSecond, unit: "pushes/s", baseline: sqlite1, baselineLabel: "tx/s raw SQLite, 1-row tx",
                     ratio: measured.ws1.operationsPerSecond / sqlite1, goal: .atLeast(2), details: latencies(measured.ws1)),
            BenchRow(key: "ws-push-10-idle", measurement: "the 10-mutation pushes, \(settings.idleSessions) idle sessions open",
                     value: measured.busy.itemsPerSecond, unit: "items/s", baseline: measured.ws10.itemsPerSecond, baselineLabel: "items/s without them",
                     ratio: measured.busy.itemsPerSecond / measured.ws10.itemsPerSecond, goal: .atLeast(0.9), details: latencies(measured.busy)),
            BenchRow(key: "one-tenant", measurement: "\(settings.devices) devices of ONE tenant pushing 10 (all receive)",
                     value: measured.oneTenant.itemsPerSecond, unit: "items/s", baseline: measured.ws10.itemsPerSecond, baselineLabel: "items/s, own tenants",
                     ratio: measured.oneTenant.itemsPerSecond / measured.ws10.itemsPerSecond, goal: .atLeast(0.8), details: latencies(measured.oneTenant)),
            BenchRow(key: "replay", measurement: "idempotent replay of a 10-mutation push, \(settings.connections) conns",
                     value: measured.replay.operationsPerSecond, unit: "replays/s", baseline: echo.webSocket.operationsPerSecond,
                     baselineLabel: "msgs/s WS echo, same bytes", ratio: measured.replay.operationsPerSecond / echo.webSocket.operationsPerSecond,
                     goal: .atLeast(0.5), details: latencies(measured.replay)),
            BenchRow(key: "http-push-10", measurement: "HTTP push, 10 mutations, \(settings.connections) keep-alive conns",
                     value: measured.http.operationsPerSecond, unit: "pushes/s", baseline: echo.post.operationsPerSecond,
                     baselineLabel: "req/s POST echo, same body", ratio: measured.http.operationsPerSecond / echo.post.operationsPerSecond,
                     goal: .atLeast(0.3), details: latencies(measured.http)),
            BenchRow(key: "idle-session", measurement: "idle WebSocket after hello/welcome",
                     value: measured.idle.bytesPerConnection / 1024, unit: "KB/conn", baseline: echo.idle.bytesPerConnection / 1024,
                     baselineLabel: "KB/conn bare Hummingbird WS", ratio: idleRatio, goal: .atMost(2),
                     details: ["server_core_fraction": measured.idle.coreFraction, "baseline_core_fraction": echo.idle.coreFraction,
                               "sessions": Double(settings.idleSessions)]),
            BenchRow(key: "open-loop-p95", measurement: "small push p95 at half load, open loop",
                     value: measured.openLoop.percentile(0.95), unit: "ms", baseline: latencyBound, baselineLabel: "ms = 1 + 2 x fdatasync p95",
                     ratio: measured.openLoop.percentile(0.95) / latencyBound, goal: .atMost(1),
                     details: latencies(measured.openLoop).merging(["rate": measured.rate, "fdatasync_p50_ms": fsync.percentile(0.5),
                                                                     "fdatasync_p95_ms": fsyncP95]) { $1 }),
            BenchRow(key: "fan-out-p95", measurement: "fan-out of one change to \(settings.listeners) listeners, p95",
                     value: measured.fanOut.percentile(0.95), unit: "ms", baseline: nil, baselineLabel: "-",
                     ratio: measured.fanOut.percentile(0.95) / 10, goal: .atMost(1), details: latencies(measured.fanOut)),
        ]
    }

    /// The figures of the sync server's scenarios.
    private struct ServerFigures {
        var ws10: LoadResult
        var ws1: LoadResult
        var rate: Double
        var openLoop: LoadResult
        var replay: LoadResult
        var http: LoadResult
        var oneTenant: LoadResult
        var idle: (bytesPerConnection: Double, coreFraction: Double)
        var busy: LoadResult
        var fanOut: LoadResult
    }

    private func measureServer(_ server: ListeningProcess) throws -> ServerFigures {
        let scenarios = PushScenarios(port: server.port, secret: secret, seconds: settings.seconds)
        let devices = settings.devices
        _ = try PushScenarios(port: server.port, secret: secret, seconds: min(1, settings.seconds)).webSocketPushes("warm", devices: devices, size: 10)
        Progress.note("  10-mutation pushes, \(devices) devices")
        let ws10 = try scenarios.webSocketPushes("ws10", devices: devices, size: 10)
        Progress.note("  1-mutation pushes, \(devices) devices")
        let ws1 = try scenarios.webSocketPushes("ws1", devices: devices, size: 1)
        let rate = ws1.operationsPerSecond / 2
        Progress.note("  1-mutation pushes at \(Int(rate))/s, open loop")
        let openLoop = try scenarios.openLoopPushes("open", devices: devices, rate: rate)
        Progress.note("  replays, \(settings.connections) connections")
        let replay = try scenarios.replays(connections: settings.connections, size: 10)
        Progress.note("  REST pushes, \(settings.connections) connections")
        let http = try scenarios.httpPushes(connections: settings.connections, size: 10)
        Progress.note("  \(devices) devices of one tenant")
        let oneTenant = try scenarios.webSocketPushes("tenant", devices: devices, size: 10, sharedTenant: "one")
        Progress.note("  \(settings.idleSessions) idle sessions, then 10-mutation pushes beside them")
        var busy = LoadResult()
        let idleDevices = scenarios.devices("idle", count: settings.idleSessions)
        var next = 0
        let idle = try SessionScenarios.idleCost(pid: server.pid, count: settings.idleSessions, idleSeconds: settings.idleSeconds, open: {
            defer { next += 1 }
            return try DeviceSession(port: server.port, device: idleDevices[next])
        }, during: {
            busy = try scenarios.webSocketPushes("busy", devices: devices, size: 10)
        })
        Progress.note("  fan-out to \(settings.listeners) listeners")
        let fanDevices = scenarios.devices("fan", count: settings.listeners + 1, sharedTenant: "fan")
        let sessions = try fanDevices.map { try DeviceSession(port: server.port, device: $0) }
        let fanOut = LoadResult(latencies: try SessionScenarios.fanOut(pusher: sessions[0], listeners: Array(sessions.dropFirst()),
                                                                      changes: settings.fanOutChanges))
        return ServerFigures(ws10: ws10, ws1: ws1, rate: rate, openLoop: openLoop, replay: replay, http: http, oneTenant: oneTenant,
                             idle: idle, busy: busy, fanOut: fanOut)
    }

    /// Keeps a server on core 0 and this process's load on core 1, when asked to and able to.
    private func pinLoad(_ serverPid: Int32) {
        guard settings.pin else { return }
        if !(ProcessProbe.pin(pid: serverPid, cpu: 0) && ProcessProbe.pin(pid: getpid(), cpu: 1)) {
            Progress.note("  (could not pin the server and the load to separate cores; figures are noisier)")
        }
    }

    private func latencies(_ result: LoadResult) -> [String: Double] {
        ["p50_ms": result.percentile(0.5), "p95_ms": result.percentile(0.95), "p99_ms": result.percentile(0.99),
         "operations": Double(result.operations)]
    }
}
