import Testing
import SyncSpec
@testable import SyncConformance

/// The relations checked on every answer of a server: each one caught on a broken answer and
/// silent on a correct one.
@Suite struct WireInvariantsTests {
    static let invariants = WireInvariants(spec: SpecLoader.load(directory: "Spec").spec)

    private func http(_ status: Int, _ body: String, retryAfter: String? = nil) -> [String] {
        Self.invariants.violations(status: status, headers: retryAfter.map { [("Retry-After", $0)] } ?? [], body: Array(body.utf8))
    }

    private func problem(_ code: String, status: Int, retryable: Bool, delay: Int? = nil) -> String {
        "{\"type\":\"urn:mobilesync:error:\(code)\",\"title\":\"t\",\"status\":\(status),\"code\":\"\(code)\",\"retryable\":\(retryable)"
            + (delay.map { ",\"retry_after_ms\":\($0)" } ?? "") + "}"
    }

    @Test func retryAfterAgreesWithRetryAfterMs() {
        #expect(http(409, problem("sequence_gap", status: 409, retryable: true, delay: 1500), retryAfter: "2").isEmpty)
        #expect(http(409, problem("sequence_gap", status: 409, retryable: true, delay: 1500)).first?.hasPrefix("ERR-3: retryable problem sequence_gap without a Retry-After") == true)
        #expect(http(409, problem("sequence_gap", status: 409, retryable: true, delay: 1500), retryAfter: "1").first?.hasPrefix("ERR-3: Retry-After 1 s") == true)
        #expect(http(409, problem("sequence_gap", status: 409, retryable: true, delay: 1500), retryAfter: "soon").first?.contains("not a whole number") == true)
    }

    @Test func registryDecidesRetryableStatusAndMinimumDelay() throws {
        let spec = try #require(SpecLoader.load(directory: "Spec").spec)
        let limited = try #require(spec.errors.first { $0.code == "rate_limited" })
        let minimum = try #require(limited.retry?.minDelayMs)
        #expect(http(429, problem("rate_limited", status: 429, retryable: true, delay: Int(minimum)), retryAfter: "\((minimum + 999) / 1000)").isEmpty)
        try #require(minimum > 0)
        let below = http(429, problem("rate_limited", status: 429, retryable: true, delay: Int(minimum) - 1),
                         retryAfter: "\((minimum - 1 + 999) / 1000)")
        #expect(below.contains { $0.hasPrefix("ERR-10:") })
        #expect(http(404, problem("not_found", status: 404, retryable: true)).contains { $0.hasPrefix("ERR-2: not_found says retryable true") })
        #expect(http(400, problem("not_found", status: 400, retryable: false)) == ["ERR-1: problem not_found answered with status 400, the registry says 404"])
    }

    @Test func webSocketErrors() {
        let frame = { (text: String) in Self.invariants.violations(frame: Array(text.utf8)) }
        #expect(frame(#"{"type":"error","code":"rate_limited","retryable":true}"#) == ["ERR-3: a WebSocket error rate_limited carries no retry_after_ms"])
        #expect(frame(#"{"type":"error","code":"invalid_cursor","retryable":false}"#).isEmpty)
        #expect(frame(#"{"type":"error","code":"invalid_cursor","retryable":true}"#).count == 1)
    }

    @Test func resultCountsAndPageSizes() {
        let frame = { (text: String) in Self.invariants.violations(frame: Array(text.utf8)) }
        let results = #"[{"status":"applied"},{"status":"rejected"},{"status":"duplicate"}]"#
        #expect(frame(#"{"type":"push_result","results":\#(results),"synced":2,"failed":1}"#).isEmpty)
        #expect(frame(#"{"type":"push_result","results":\#(results),"synced":3,"failed":1}"#).first?.hasPrefix("RES-3:") == true)
        #expect(http(200, #"{"results":\#(results),"synced":2,"failed":0,"cursor":"c","replayed":false}"#).first?.hasPrefix("RES-3:") == true)
        let page = "{\"type\":\"changes\",\"changes\":[" + Array(repeating: "{}", count: 1001).joined(separator: ",") + "],\"has_more\":true}"
        #expect(frame(page) == ["schema: changes.changes count 1001 is above max_pull_page (1000)"])
    }

    /// What a server announces is bounded by the spec's schemas: limits no tighter than the
    /// spec's, the heartbeat within its own limit, the timeout the same in both units.
    @Test func announcedLimitsAndHeartbeat() throws {
        let spec = try #require(SpecLoader.load(directory: "Spec").spec)
        let frame = { (text: String) in Self.invariants.violations(frame: Array(text.utf8)) }
        let limits = try #require(spec.limit(named: "max_frame_bytes")?.value)
        let welcome = { (interval: Int, frameBytes: Int64) in
            #"{"type":"welcome","heartbeat_interval_ms":\#(interval),"limits":{"max_frame_bytes":\#(frameBytes),"heartbeat_interval_seconds":30}}"#
        }
        #expect(frame(welcome(30000, limits)).isEmpty)
        #expect(frame(welcome(30001, limits)) == ["HB-2: heartbeat_interval_ms 30001 is above limits.heartbeat_interval_seconds (30 s)"])
        #expect(frame(welcome(30000, limits - 1)).contains { $0.hasPrefix("schema: welcome.limits.max_frame_bytes value \(limits - 1) is below max_frame_bytes") })
        #expect(frame(welcome(999, limits)).contains { $0.hasPrefix("schema: welcome.heartbeat_interval_ms value 999 is below 1000") })
        let timeout = { (milliseconds: Int, seconds: Int) in
            frame(#"{"type":"welcome","heartbeat_timeout_ms":\#(milliseconds),"limits":{"heartbeat_timeout_seconds":\#(seconds)}}"#)
        }
        #expect(timeout(90000, 90).isEmpty)
        #expect(timeout(90001, 91).isEmpty)
        #expect(timeout(90000, 91) == ["HB-4: limits.heartbeat_timeout_seconds 91 is not heartbeat_timeout_ms 90000 rounded up to seconds"])
        #expect(timeout(90001, 90).first?.hasPrefix("HB-4:") == true)
        let rest = http(200, #"{"max_frame_bytes":1000,"max_mutations_per_push":500}"#)
        #expect(rest.contains { $0.hasPrefix("schema: ServerLimits.max_frame_bytes value 1000 is below") })
    }

    @Test func anythingElsePassesUntouched() {
        #expect(http(200, "not json").isEmpty)
        #expect(Self.invariants.violations(frame: Array(#"{"type":"welcome"}"#.utf8)).isEmpty)
        // Without the spec's registry, only the relations inside one answer are checked.
        let bare = WireInvariants(spec: nil)
        #expect(bare.violations(status: 400, headers: [], body: Array(problem("not_found", status: 404, retryable: true).utf8))
            == ["ERR-3: retryable problem not_found without a Retry-After header"])
    }
}
