import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// One device floods the server with pushes while another device of the same tenant pushes one
/// batch at a time; reports the quiet device's push latency (p50, p95) with and without the
/// flood, measured in the same run, and their ratio. With the server's rate limits the flood is
/// refused cheaply and the ratio stays near 1; `serve --no-rate-limits` shows the difference.
///
/// The flood runs in a process of its own (`flood-load`: kept-alive connections, blocking
/// sockets), at a lower scheduling priority: it stands for a client on another machine, so on a
/// small machine it must not take the measuring client's CPU. The server gets no such help.
struct FloodBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flood",
        abstract: "Push latency of one device while another device of its tenant floods the server.",
        discussion: """
            Mint two device tokens of one tenant whose devices have never pushed (the benchmark \
            numbers its mutations from 1), for example:
              sync-server token --dev --tenant bench --user quiet --device quiet-1
              sync-server token --dev --tenant bench --user flood --device flood-1
            Pin the server and the benchmark to different cores (taskset) to keep them apart.
            """
    )

    @Option(help: "The server's base URL (http://127.0.0.1:PORT).") var server: String
    @Option(help: "Token of the device whose latency is measured.") var quietToken: String
    @Option(help: "Token of the flooding device.") var floodToken: String
    @Option(help: "Pushes measured in each phase.") var samples = 200
    @Option(help: "Concurrent connections of the flooding device.") var flooders = 32
    @Option(help: "How long the flood lasts, in seconds; the measurement must end within it.") var floodSeconds = 10.0
    @Option(help: "Niceness of the flooding process (0 to 19).") var floodNice = 19
    @Flag(help: "The flood opens a new connection for every request.") var newConnections = false

    func run() async throws {
        guard let base = URL(string: server), let port = base.port else { throw ValidationError("--server must be a URL with a port") }
        guard (0...19).contains(floodNice) else { throw ValidationError("--flood-nice must be 0 to 19") }
        let quiet = Pusher(session: URLSession(configuration: .ephemeral), base: base, token: quietToken, prefix: "q")
        for _ in 0..<20 { _ = try await quiet.push() }
        let quietLatencies = try await measure(quiet)

        let flood = Process()
        flood.executableURL = URL(fileURLWithPath: "/usr/bin/nice")
        let benchmark = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        flood.arguments = ["-n", String(floodNice), benchmark, "flood-load", "--port", String(port),
                           "--token", floodToken, "--connections", String(flooders), "--seconds", String(floodSeconds)]
            + (newConnections ? ["--new-connections"] : [])
        let output = Pipe()
        flood.standardOutput = output
        let floodStart = ContinuousClock.now
        try flood.run()
        try await Task.sleep(for: .seconds(1))
        let floodLatencies = try await measure(quiet)
        let measuredUntil = ContinuousClock.now - floodStart
        let tallyText = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        flood.waitUntilExit()
        guard measuredUntil.seconds < floodSeconds else {
            throw ValidationError("the flood ended before the measurement (\(measuredUntil)); raise --flood-seconds")
        }
        let statuses = (try? JSONDecoder().decode([String: Int].self, from: Data(tallyText.utf8))) ?? [:]
        let quietP95 = Self.percentile(quietLatencies, 0.95)
        let floodP95 = Self.percentile(floodLatencies, 0.95)
        printJSON(["benchmark": "flood", "samples": .int(Int64(samples)), "flooders": .int(Int64(flooders)), "flood_nice": .int(Int64(floodNice)),
                   "flood_new_connections": .bool(newConnections),
                   "baseline_quiet_p50_ms": .double(Self.percentile(quietLatencies, 0.5)), "baseline_quiet_p95_ms": .double(quietP95),
                   "flood_p50_ms": .double(Self.percentile(floodLatencies, 0.5)), "flood_p95_ms": .double(floodP95),
                   "ratio_p95_flood_to_quiet": .double(floodP95 / max(quietP95, 0.001)),
                   "flood_requests_per_second": .double(Double(statuses.values.reduce(0, +)) / floodSeconds),
                   "flood_admitted": .int(Int64(statuses["200"] ?? 0)), "flood_refused_429": .int(Int64(statuses["429"] ?? 0)),
                   "flood_other": .int(Int64(statuses.filter { $0.key != "200" && $0.key != "429" }.values.reduce(0, +)))])
    }

    /// `samples` pushes one after another; each latency in milliseconds.
    private func measure(_ pusher: Pusher) async throws -> [Double] {
        var latencies: [Double] = []
        for _ in 0..<samples {
            let (status, elapsed) = try await pusher.push()
            guard status == 200 else { throw ValidationError("the measured device's push was answered \(status)") }
            latencies.append(elapsed.seconds * 1000)
        }
        return latencies
    }

    static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)]
    }
}

/// Sends single-mutation pushes of one device over REST, numbering them from 1.
private final class Pusher: Sendable {
    let session: URLSession
    let url: URL
    let token: String
    let prefix: String
    private let sequence = Mutex<Int64>(0)

    init(session: URLSession, base: URL, token: String, prefix: String) {
        self.session = session
        url = base.appendingPathComponent("v1/sync/push")
        self.token = token
        self.prefix = prefix
    }

    /// One push; its HTTP status and how long the answer took.
    func push() async throws -> (status: Int, elapsed: Duration) {
        let seq = sequence.withLock { value -> Int64 in
            value += 1
            return value
        }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("\(prefix)-\(seq)-\(UUID().uuidString)", forHTTPHeaderField: "Idempotency-Key")
        let body = #"{"mutations":[{"seq":\#(seq),"collection":"bench","record_id":"\#(prefix)\#(seq)","op":"create","base_version":0,"client_time":1767225600000,"fields":{"n":\#(seq)}}]}"#
        request.httpBody = Data(body.utf8)
        let start = ContinuousClock.now
        let (_, response) = try await session.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, .now - start)
    }
}
