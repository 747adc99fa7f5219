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
struct FloodBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flood",
        abstract: "Push latency of one device while another device of its tenant floods the server.",
        discussion: """
            Mint two device tokens of one tenant whose devices have never pushed (the benchmark \
            numbers its mutations from 1), for example:
              sync-server token --dev --tenant bench --user quiet --device quiet-1
              sync-server token --dev --tenant bench --user flood --device flood-1
            """
    )

    @Option(help: "The server's base URL.") var server: String
    @Option(help: "Token of the device whose latency is measured.") var quietToken: String
    @Option(help: "Token of the flooding device.") var floodToken: String
    @Option(help: "Pushes measured in each phase.") var samples = 200
    @Option(help: "Concurrent requests of the flooding device.") var flooders = 32

    func run() async throws {
        guard let base = URL(string: server) else { throw ValidationError("--server must be a URL") }
        // Separate sessions: on Linux one URLSession drives all its transfers from one thread, so a
        // shared one would queue the measured pushes behind the flood inside this process.
        let floodConfiguration = URLSessionConfiguration.ephemeral
        floodConfiguration.httpMaximumConnectionsPerHost = flooders
        let quiet = Pusher(session: URLSession(configuration: .ephemeral), base: base, token: quietToken, prefix: "q")
        let flood = Pusher(session: URLSession(configuration: floodConfiguration), base: base, token: floodToken, prefix: "f")
        for _ in 0..<20 { _ = try await quiet.push() }
        let quietLatencies = try await measure(quiet)

        let tally = FloodTally()
        let floodStart = ContinuousClock.now
        let floodLatencies = try await withThrowingTaskGroup(of: [Double]?.self) { group in
            for _ in 0..<flooders {
                group.addTask {
                    while !tally.stopped {
                        tally.count((try? await flood.push().status) ?? -1)
                    }
                    return nil
                }
            }
            try await Task.sleep(for: .seconds(1))
            let measured = try await measure(quiet)
            tally.stop()
            var result: [Double] = []
            for try await latencies in group { if let latencies { result = latencies } }
            return measured.isEmpty ? result : measured
        }
        let floodSeconds = (ContinuousClock.now - floodStart).seconds
        let statuses = tally.statuses
        let quietP95 = Self.percentile(quietLatencies, 0.95)
        let floodP95 = Self.percentile(floodLatencies, 0.95)
        printJSON(["benchmark": "flood", "samples": .int(Int64(samples)), "flooders": .int(Int64(flooders)),
                   "baseline_quiet_p50_ms": .double(Self.percentile(quietLatencies, 0.5)), "baseline_quiet_p95_ms": .double(quietP95),
                   "flood_p50_ms": .double(Self.percentile(floodLatencies, 0.5)), "flood_p95_ms": .double(floodP95),
                   "ratio_p95_flood_to_quiet": .double(floodP95 / max(quietP95, 0.001)),
                   "flood_requests_per_second": .double(Double(statuses.values.reduce(0, +)) / floodSeconds),
                   "flood_admitted": .int(Int64(statuses[200] ?? 0)), "flood_refused_429": .int(Int64(statuses[429] ?? 0)),
                   "flood_other": .int(Int64(statuses.filter { $0.key != 200 && $0.key != 429 }.values.reduce(0, +)))])
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

/// The flooding device's answers by HTTP status, and the signal to stop.
private final class FloodTally: Sendable {
    private let state = Mutex((statuses: [Int: Int](), stopped: false))

    var stopped: Bool { state.withLock { $0.stopped } }
    var statuses: [Int: Int] { state.withLock { $0.statuses } }

    func count(_ status: Int) {
        state.withLock { $0.statuses[status, default: 0] += 1 }
    }

    func stop() {
        state.withLock { $0.stopped = true }
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
