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
        let fsync = settings.wants("open-loop-p95")
            ? LoadResult(latencies: try StorageBaselines.fdatasyncLatencies(folder: folder, samples: max(50, Int(seconds * 200)))) : LoadResult()
        let sqlite100 = settings.wants("ws-push-10")
            ? try StorageBaselines.sqliteRowsPerSecond(folder: folder, rowsPerTransaction: 100, seconds: seconds) : 0
        let sqlite1 = settings.wants("ws-push-1") ? try StorageBaselines.sqliteRowsPerSecond(folder: folder, rowsPerTransaction: 1, seconds: seconds) : 0

        Progress.note("[2/4] the bare Hummingbird echo server")
        let echo = settings.wants("replay", "http-push-10", "idle-session")
            ? try EchoBaseline.measure(executable: here.path, settings: settings, pinLoad: pinLoad) : EchoBaseline.Figures()

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

    /// The figures of the sync server's scenarios (empty for those not measured).
    private struct ServerFigures {
        var ws10 = LoadResult()
        var ws1 = LoadResult()
        var rate = 0.0
        var openLoop = LoadResult()
        var replay = LoadResult()
        var http = LoadResult()
        var oneTenant = LoadResult()
        var idle: (bytesPerConnection: Double, coreFraction: Double) = (0, 0)
        var busy = LoadResult()
        var fanOut = LoadResult()
    }

    private func measureServer(_ server: ListeningProcess) throws -> ServerFigures {
        let scenarios = PushScenarios(port: server.port, secret: secret, seconds: settings.seconds)
        let devices = settings.devices
        var figures = ServerFigures()
        _ = try PushScenarios(port: server.port, secret: secret, seconds: min(1, settings.seconds)).webSocketPushes("warm", devices: devices, size: 10)
        if settings.wants("ws-push-10", "ws-push-10-idle", "one-tenant") {
            Progress.note("  10-mutation pushes, \(devices) devices")
            figures.ws10 = try measuringCPU(of: server) { try scenarios.webSocketPushes("ws10", devices: devices, size: 10) }
        }
        if settings.wants("ws-push-1", "open-loop-p95") {
            Progress.note("  1-mutation pushes, \(devices) devices")
            figures.ws1 = try measuringCPU(of: server) { try scenarios.webSocketPushes("ws1", devices: devices, size: 1) }
        }
        if settings.wants("open-loop-p95") {
            figures.rate = figures.ws1.operationsPerSecond / 2
            Progress.note("  1-mutation pushes at \(Int(figures.rate))/s, open loop")
            figures.openLoop = try scenarios.openLoopPushes("open", devices: devices, rate: figures.rate)
        }
        if settings.wants("replay") {
            Progress.note("  replays, \(settings.connections) connections")
            figures.replay = try measuringCPU(of: server) { try scenarios.replays(connections: settings.connections, size: 10) }
        }
        if settings.wants("http-push-10") {
            Progress.note("  REST pushes, \(settings.connections) connections")
            figures.http = try measuringCPU(of: server) { try scenarios.httpPushes(connections: settings.connections, size: 10) }
        }
        if settings.wants("one-tenant") {
            Progress.note("  \(devices) devices of one tenant")
            figures.oneTenant = try measuringCPU(of: server) { try scenarios.webSocketPushes("tenant", devices: devices, size: 10, sharedTenant: "one") }
        }
        if settings.wants("ws-push-10-idle", "idle-session") {
            Progress.note("  \(settings.idleSessions) idle sessions, then 10-mutation pushes beside them")
            let idleDevices = scenarios.devices("idle", count: settings.idleSessions)
            var next = 0
            var busy = LoadResult()
            figures.idle = try SessionScenarios.idleCost(pid: server.pid, count: settings.idleSessions, idleSeconds: settings.idleSeconds, open: {
                defer { next += 1 }
                return try DeviceSession(port: server.port, device: idleDevices[next])
            }, during: {
                busy = try measuringCPU(of: server) { try scenarios.webSocketPushes("busy", devices: devices, size: 10) }
            })
            figures.busy = busy
        }
        if settings.wants("fan-out-p95") {
            Progress.note("  fan-out to \(settings.listeners) listeners")
            let fanDevices = scenarios.devices("fan", count: settings.listeners + 1, sharedTenant: "fan")
            let sessions = try fanDevices.map { try DeviceSession(port: server.port, device: $0) }
            figures.fanOut = LoadResult(latencies: try SessionScenarios.fanOut(pusher: sessions[0], listeners: Array(sessions.dropFirst()),
                                                                              changes: settings.fanOutChanges))
        }
        return figures
    }

    /// Keeps a server on core 0 and this process's load on core 1, when asked to and able to.
    private func pinLoad(_ serverPid: Int32) {
        guard settings.pin else { return }
        if !(ProcessProbe.pin(pid: serverPid, cpu: 0) && ProcessProbe.pin(pid: getpid(), cpu: 1)) {
            Progress.note("  (could not pin the server and the load to separate cores; figures are noisier)")
        }
    }

    /// Runs a scenario and notes the CPU time the server used meanwhile: efficiency, which the
    /// throughput alone does not show when the server waits (for the disk, or for the clients).
    private func measuringCPU(of server: ListeningProcess, _ scenario: () throws -> LoadResult) throws -> LoadResult {
        let before = ProcessProbe.cpuSeconds(pid: server.pid)
        var result = try scenario()
        result.serverCPUSeconds = ProcessProbe.cpuSeconds(pid: server.pid) - before
        return result
    }

    private func latencies(_ result: LoadResult) -> [String: Double] {
        var details = ["p50_ms": result.percentile(0.5), "p95_ms": result.percentile(0.95), "p99_ms": result.percentile(0.99),
                       "operations": Double(result.operations)]
        if let cpu = result.serverCPUSeconds, result.operations > 0, result.seconds > 0 {
            details["server_cpu_us_per_operation"] = cpu / Double(result.operations) * 1_000_000
            details["server_cores"] = cpu / result.seconds
        }
        return details
    }
}
