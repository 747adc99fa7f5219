public import SyncSpec

/// Relations the spec states between values of one answer, checked on every response and frame
/// a server sends in any vector, whatever the vector itself expects of it:
/// - ERR-3: a REST problem with a retryable code carries `Retry-After`, in whole seconds, equal
///   to `retry_after_ms` rounded up;
/// - ERR-10: `retry_after_ms` of a retryable code is at least the registry's `min_delay_ms`;
/// - ERR-2 and ERR-1: `retryable` is the registry's value for the code, and a REST problem has
///   the code's status;
/// - ERR-3: a WebSocket `error` for `rate_limited`, `too_many_uploads` or `unavailable` carries
///   `retry_after_ms`;
/// - RES-3: `failed` counts the `rejected` results and `synced` all others;
/// - HB-2: a `welcome`'s `heartbeat_interval_ms` is at most its `heartbeat_interval_seconds`;
/// - HB-4: its `limits.heartbeat_timeout_seconds` is its `heartbeat_timeout_ms` rounded up;
/// - every bound the spec's schemas put on a server message's fields (a page of at most
///   `max_pull_page` changes, PULL-3), and on the limits a server announces (`SchemaBounds`).
public struct WireInvariants: Sendable {
    struct Code: Sendable {
        var status: Int
        var retryable: Bool
        var minDelayMs: Int64
    }

    let codes: [String: Code]
    let schema: SchemaBounds?

    /// Invariants with the error registry and limits of `spec`; without a spec, only those that
    /// need neither.
    public init(spec: ProtocolSpec?) {
        var codes: [String: Code] = [:]
        for error in spec?.errors ?? [] {
            codes[error.code] = Code(status: error.status, retryable: error.retryable, minDelayMs: error.retry?.minDelayMs ?? 0)
        }
        self.codes = codes
        schema = spec.map(SchemaBounds.init)
    }

    /// Codes whose WebSocket `error` must say how long to wait (ERR-3).
    static let delayedOnWebSocket: Set<String> = ["rate_limited", "too_many_uploads", "unavailable"]

    /// What an HTTP response breaks; empty when nothing.
    func violations(status: Int, headers: [(String, String)], body: [UInt8]) -> [String] {
        guard let json = try? JSON.parse(body) else { return [] }
        var found = results(json)
        // The answer of getLimits: the announced limits, bounded by the spec's (LIM-3, LIM-5).
        if json["max_frame_bytes"] != nil, json["max_mutations_per_push"] != nil {
            found += schema?.value(json, schema: "ServerLimits") ?? []
        }
        if let code = json["code"]?.string, json["type"]?.string?.hasPrefix("urn:mobilesync:error:") == true {
            found += problem(code: code, status: status, json: json,
                             retryAfter: headers.first { $0.0.lowercased() == "retry-after" }?.1)
        }
        return found
    }

    /// What a text frame breaks; empty when nothing.
    func violations(frame: [UInt8]) -> [String] {
        guard let json = try? JSON.parse(frame) else { return [] }
        var found = results(json)
        if json["type"]?.string == "error", let code = json["code"]?.string {
            found += registry(code: code, json: json)
            if Self.delayedOnWebSocket.contains(code), json["retry_after_ms"] == nil {
                found.append("ERR-3: a WebSocket error \(code) carries no retry_after_ms")
            }
        }
        found += schema?.message(json) ?? []
        if json["type"]?.string == "welcome" { found += heartbeat(json) }
        return found
    }

    private func problem(code: String, status: Int, json: JSON, retryAfter: String?) -> [String] {
        var found = registry(code: code, json: json)
        if let known = codes[code], known.status != status {
            found.append("ERR-1: problem \(code) answered with status \(status), the registry says \(known.status)")
        }
        guard json["retryable"] == .bool(true) else { return found }
        guard let retryAfter else { return found + ["ERR-3: retryable problem \(code) without a Retry-After header"] }
        guard let seconds = Int64(retryAfter.trimmingCharacters(in: .whitespaces)) else {
            return found + ["ERR-3: Retry-After '\(retryAfter)' of problem \(code) is not a whole number of seconds"]
        }
        if let delay = json["retry_after_ms"]?.integer, seconds != (delay + 999) / 1000 {
            found.append("ERR-3: Retry-After \(seconds) s of problem \(code) is not retry_after_ms \(delay) rounded up to seconds")
        }
        return found
    }

    private func registry(code: String, json: JSON) -> [String] {
        guard let known = codes[code] else { return [] }
        var found: [String] = []
        if let retryable = json["retryable"], retryable != .bool(known.retryable) {
            found.append("ERR-2: \(code) says retryable \(retryable.compact), the registry says \(known.retryable)")
        }
        if known.retryable, let delay = json["retry_after_ms"]?.integer, delay < known.minDelayMs {
            found.append("ERR-10: retry_after_ms \(delay) of \(code) is below the code's min_delay_ms \(known.minDelayMs)")
        }
        return found
    }

    private func results(_ json: JSON) -> [String] {
        guard let results = Self.elements(json["results"]), let synced = json["synced"]?.integer, let failed = json["failed"]?.integer else { return [] }
        let rejected = Int64(results.filter { $0["status"]?.string == "rejected" }.count)
        guard failed != rejected || synced != Int64(results.count) - rejected else { return [] }
        return ["RES-3: synced \(synced) and failed \(failed) do not count \(results.count) results of which \(rejected) rejected"]
    }

    /// HB-2: the interval a `welcome` announces is at most its `heartbeat_interval_seconds`;
    /// HB-4: the timeout it announces in seconds is the one in milliseconds rounded up.
    private func heartbeat(_ welcome: JSON) -> [String] {
        var found: [String] = []
        if let interval = welcome["heartbeat_interval_ms"]?.integer,
           let seconds = welcome["limits"]?["heartbeat_interval_seconds"]?.integer, interval > seconds * 1000 {
            found.append("HB-2: heartbeat_interval_ms \(interval) is above limits.heartbeat_interval_seconds (\(seconds) s)")
        }
        if let timeout = welcome["heartbeat_timeout_ms"]?.integer,
           let seconds = welcome["limits"]?["heartbeat_timeout_seconds"]?.integer, seconds != (timeout + 999) / 1000 {
            found.append("HB-4: limits.heartbeat_timeout_seconds \(seconds) is not heartbeat_timeout_ms \(timeout) rounded up to seconds")
        }
        return found
    }

    private static func elements(_ json: JSON?) -> [JSON]? {
        if case .array(let elements) = json { return elements }
        return nil
    }
}
