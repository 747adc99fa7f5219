import ArgumentParser
import Foundation
import Synchronization
import SyncTestSupport

/// Push throughput of a server on PostgreSQL next to what the same PostgreSQL does with
/// `pgbench` inserting single rows at the same concurrency, measured in the same run: each
/// concurrency level runs pgbench, then as many devices (each of its own tenant, so that the
/// tenant lock does not order them) pushing single-mutation batches one after another over
/// kept-alive REST connections. Prints one JSON line per level with the ratio; the goal is 0.5.
///
/// Each level also measures what `pg_notify` costs a write transaction (it takes a lock that is
/// global to the cluster at commit): pgbench transactions of one insert with and without a
/// `pg_notify`, as the server's commits are, while the server listens; and the same pushes
/// against the same server build on SQLite (started here, in a temporary folder), which has no
/// database round trip at all: what the server's own request path allows, whatever the database.
struct PostgresBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "postgres",
        abstract: "Push throughput on PostgreSQL as a ratio to pgbench single-row inserts at the same concurrency.",
        discussion: """
            Start a server on the database with rate limits off, and give the benchmark the same \
            database and the server's HS256 secret (it mints one device token per connection with \
            the sync-server built beside it), for example:
              SYNC_JWT_SECRET=$S sync-server serve --port 8090 --no-rate-limits \\
                --database-url postgres://postgres@127.0.0.1:5432/bench?sslmode=disable &
              sync-bench postgres --server http://127.0.0.1:8090 --secret $S \\
                --database-url postgres://postgres@127.0.0.1:5432/bench
            pgbench inserts into a table of its own (mobilesync_bench_rows), dropped afterwards. \
            For comparison the benchmark also starts that sync-server on SQLite in a temporary \
            folder and sends it the same pushes.
            """
    )

    @Option(help: "The server's base URL (http://127.0.0.1:PORT).") var server: String
    @Option(help: "The server's HS256 secret, to mint device tokens.") var secret: String
    @Option(help: "The server's PostgreSQL database, for pgbench (libpq URL).") var databaseURL: String
    @Option(help: "Concurrent connections of each level, comma-separated.") var concurrency = "8,32"
    @Option(help: "Seconds each measurement lasts.") var seconds = 10.0

    func run() throws {
        guard let base = URL(string: server), let port = base.port else { throw ValidationError("--server must be a URL with a port") }
        let levels = concurrency.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !levels.isEmpty, levels.allSatisfy({ (1...1000).contains($0) }) else { throw ValidationError("--concurrency takes numbers from 1 to 1000") }
        let run = UUID().uuidString.prefix(8).lowercased()
        try psql("CREATE TABLE IF NOT EXISTS mobilesync_bench_rows (id BIGSERIAL PRIMARY KEY, tenant TEXT NOT NULL, payload TEXT NOT NULL)")
        defer { try? psql("DROP TABLE IF EXISTS mobilesync_bench_rows") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sync-bench-sqlite-\(run)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let onSQLite = try ListeningProcess(
            executable: try besideThisProgram("sync-server"),
            arguments: ["serve", "--host", "127.0.0.1", "--port", "0", "--db", folder + "/sync.sqlite", "--data-dir", folder,
                        "--no-rate-limits", "--log-level", "warning"],
            environment: ["SYNC_JWT_SECRET": secret])
        defer { onSQLite.stop() }
        for level in levels {
            let tps = try pgbench(clients: level, script: Self.insert)
            let tokens = try (0..<level).map { try mint(tenant: "bench-\(run)-\(level)-\($0)") }
            let (pushes, failures) = Self.push(port: port, tokens: tokens, seconds: seconds)
            let perSecond = Double(pushes) / seconds
            let (sqlitePushes, sqliteFailures) = Self.push(port: onSQLite.port, tokens: tokens, seconds: seconds)
            let sqlitePerSecond = Double(sqlitePushes) / seconds
            let quiet = try pgbench(clients: level, script: "BEGIN;\n" + Self.insert + "SELECT 1;\nEND;\n")
            let notifying = try pgbench(clients: level, script: "BEGIN;\n" + Self.insert + "SELECT pg_notify('mobilesync_bench', 'c');\nEND;\n")
            printJSON(["benchmark": "postgres-push", "concurrency": .int(Int64(level)), "seconds": .double(seconds),
                       "baseline_pgbench_inserts_per_second": .double(tps), "pushes_per_second": .double(perSecond),
                       "failed_pushes": .int(Int64(failures)), "ratio_push_to_pgbench": .double(perSecond / max(tps, 0.001)), "goal": .double(0.5),
                       "same_server_on_sqlite_pushes_per_second": .double(sqlitePerSecond),
                       "same_server_on_sqlite_failed_pushes": .int(Int64(sqliteFailures)),
                       "ratio_sqlite_push_to_pgbench": .double(sqlitePerSecond / max(tps, 0.001)),
                       "pgbench_transactions_per_second_without_notify": .double(quiet),
                       "pgbench_transactions_per_second_with_notify": .double(notifying),
                       "ratio_notify_to_without": .double(notifying / max(quiet, 0.001))])
        }
    }

    /// One row into pgbench's own table.
    private static let insert = "INSERT INTO mobilesync_bench_rows (tenant, payload) VALUES ('bench', '{\"n\": 1}');\n"

    /// `clients` connections of pgbench running `script` as one transaction for `seconds`; its tps.
    private func pgbench(clients: Int, script text: String) throws -> Double {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("mobilesync-bench-\(UUID().uuidString).sql")
        try Data(text.utf8).write(to: script)
        defer { try? FileManager.default.removeItem(at: script) }
        let output = try tool("pgbench", ["-n", "-c", "\(clients)", "-j", "\(min(clients, 2))", "-T", "\(Int(seconds.rounded(.up)))",
                                          "-f", script.path, databaseURL])
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("tps = ") }),
              let tps = Double(line.dropFirst(6).prefix { $0 != " " }) else {
            throw ValidationError("pgbench printed no tps line: \(output)")
        }
        return tps
    }

    private func psql(_ command: String) throws {
        _ = try tool("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", command, databaseURL])
    }

    /// A device token of its own tenant, from the `sync-server` built beside this benchmark.
    private func mint(tenant: String) throws -> String {
        try Self.run(URL(fileURLWithPath: try besideThisProgram("sync-server")),
                     ["token", "--secret", secret, "--tenant", tenant, "--user", "bench", "--device", "d1"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The path of the program called `name` in this benchmark's folder.
    private func besideThisProgram(_ name: String) throws -> String {
        URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            .deletingLastPathComponent().appendingPathComponent(name).path
    }

    /// A PostgreSQL client program from PATH or Debian's `/usr/lib/postgresql/VERSION/bin`.
    private func tool(_ name: String, _ arguments: [String]) throws -> String {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":").map { "\($0)/\(name)" }
        let debian = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).map { "/usr/lib/postgresql/\($0)/bin/\(name)" }
        guard let found = (path + debian).first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw ValidationError("\(name) was not found; install PostgreSQL's client programs")
        }
        return try Self.run(URL(fileURLWithPath: found), arguments)
    }

    private static func run(_ executable: URL, _ arguments: [String]) throws -> String {
        do {
            return try BlockingProcess.run([executable.path] + arguments)
        } catch let failure as BlockingProcessFailure {
            throw ValidationError(failure.description)
        }
    }

    /// One thread per token pushing for `seconds`; answered pushes and failures.
    private static func push(port: Int, tokens: [String], seconds: Double) -> (pushes: Int, failures: Int) {
        let totals = Mutex((pushes: 0, failures: 0))
        let deadline = Date().addingTimeInterval(seconds)
        let threads = tokens.enumerated().map { index, token in
            Thread {
                var pushes = 0
                var failures = 0
                var socket: RawSocket?
                var seq = 0
                while Date() < deadline {
                    if socket == nil { socket = try? RawSocket(port: port) }
                    seq += 1
                    let body = #"{"mutations":[{"seq":\#(seq),"collection":"bench","record_id":"r\#(seq)","op":"create","base_version":0,"client_time":1767225600000,"fields":{"n":\#(seq)}}]}"#
                    let request = "POST /v1/sync/push HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n"
                        + "Content-Type: application/json\r\nIdempotency-Key: p\(index)-\(seq)\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body
                    guard let connection = socket, connection.send(Array(request.utf8)),
                          let status = connection.receiveResponse(timeoutMs: 10_000)?.head.httpStatus else {
                        socket = nil
                        failures += 1
                        seq -= 1  // the same batch again, with the same key
                        continue
                    }
                    if status == 200 {
                        pushes += 1
                    } else {
                        failures += 1
                        seq -= 1
                    }
                }
                totals.withLock { $0.pushes += pushes; $0.failures += failures }
            }
        }
        threads.forEach { $0.start() }
        while threads.contains(where: { !$0.isFinished }) { Thread.sleep(forTimeInterval: 0.05) }
        return totals.withLock { $0 }
    }
}
