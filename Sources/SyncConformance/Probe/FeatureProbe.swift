import Foundation

/// What `sync-conformance probe` found out about one optional feature.
public struct FeatureFinding: Sendable, Equatable {
    /// The probe's conclusion.
    public enum Verdict: String, Sendable {
        /// The feature's endpoint exists (or, for `token-forging`, the runner can sign tokens).
        case supported
        /// The endpoint answers exactly like a path that cannot exist.
        case absent
        /// Nothing on the wire tells: the implementer decides (heartbeat waits, the quota).
        case undecided
    }

    /// The feature, from `VectorFormat.features`.
    public var feature: String
    /// What the probe concluded.
    public var verdict: Verdict
    /// The requests and answers it rests on, or why it cannot be probed.
    public var evidence: String

    /// Creates a finding.
    public init(feature: String, verdict: Verdict, evidence: String) {
        self.feature = feature
        self.verdict = verdict
        self.evidence = evidence
    }
}

/// Discovers which optional features a server has, from how its endpoints answer compared with
/// a path that cannot exist: without a token an existing endpoint answers `401` and an unknown
/// path `404` (the spec's servers route before they authenticate, and a disabled test control
/// answers like an unknown path). When the server answers an unknown path like a protected one,
/// the probe asks again with a token of a fresh tenant, through requests that change nothing
/// (reads, and bodies every server must refuse).
public enum FeatureProbe {
    /// One feature's probing request.
    struct Probe: Sendable {
        var feature: String
        var method: String
        var path: String
        /// Sent with the request: a body the server must refuse, so probing changes nothing.
        var body: [UInt8]?
        /// The roles of the authenticated fallback's token (none: a device token).
        var roles: [String] = []
        /// Whether asking with a token can tell the endpoint from an unknown path.
        var authenticated = true
    }

    static let probes: [Probe] = [
        Probe(feature: "test-control", method: "POST", path: "/v1/test/reset"),
        Probe(feature: "clock-control", method: "GET", path: "/v1/test/clock"),
        Probe(feature: "http-sync", method: "GET", path: "/v1/sync/cursor"),
        Probe(feature: "manual-review", method: "GET", path: "/v1/reviews", roles: ["operator"]),
        Probe(feature: "uploads", method: "POST", path: "/v1/uploads", body: Array("{}".utf8)),
        // An unknown file and an unknown path both answer `not_found` to a valid token.
        Probe(feature: "files", method: "GET", path: "/v1/files/00000000-0000-4000-8000-000000000000", authenticated: false),
        Probe(feature: "health", method: "GET", path: "/v1/devices/health", roles: ["operator"]),
        Probe(feature: "metrics", method: "GET", path: "/metrics"),
        Probe(feature: "rate-limits", method: "POST", path: "/v1/test/rate-limits", body: Array("{}".utf8)),
    ]

    /// Features no request can reveal, and what the implementer should weigh.
    static let undecidable: [String: String] = [
        "heartbeat-timing": "not visible on the wire: these vectors wait out the server's heartbeat interval and timeout (minutes); add it when the run may take that long",
        "storage-quota": "not visible on the wire: add it when the server limits one tenant's stored uploads to 1 GiB (Conformance/README.md)",
    ]

    /// Probes `target`; `tokens` (optional) enable the authenticated fallback and decide
    /// `token-forging`. Throws only when the server cannot be reached at all.
    public static func probe(_ target: TargetServer, tokens: TokenSource?, timeout: Duration = .seconds(10)) async throws -> [FeatureFinding] {
        let run = ProbeRun(target: target, tokens: tokens, tenant: "probe-" + String(UInt32.random(in: 0...UInt32.max), radix: 36),
                           timeout: timeout)
        var findings: [String: FeatureFinding] = [:]
        for probe in probes { findings[probe.feature] = try await run.finding(probe) }
        findings["token-forging"] = switch tokens {
        case .some(let source) where source.canForge:
            FeatureFinding(feature: "token-forging", verdict: .supported, evidence: "the runner signs tokens itself (--secret or --key)")
        case .some:
            FeatureFinding(feature: "token-forging", verdict: .absent, evidence: "tokens come from --token-command: the runner cannot forge broken ones")
        case .none:
            FeatureFinding(feature: "token-forging", verdict: .undecided, evidence: "no token source given: supported with --secret or --key")
        }
        for (feature, reason) in undecidable { findings[feature] = FeatureFinding(feature: feature, verdict: .undecided, evidence: reason) }
        return VectorFormat.features.compactMap { findings[$0] }
    }

    /// An implementation profile (the YAML of `--profile`) listing the supported features, with
    /// the findings as comments.
    public static func profile(_ findings: [FeatureFinding], name: String) -> String {
        var lines = ["# Suggested by `sync-conformance probe`; review the undecided features before use.",
                     "name: \(quoted(name))"]
        let supported = findings.filter { $0.verdict == .supported }.map(\.feature)
        lines.append("features: [\(supported.joined(separator: ", "))]")
        for finding in findings {
            lines.append("#   \(finding.feature): \(finding.verdict.rawValue) - \(finding.evidence)")
        }
        lines += ["known_failing: []", "flaky: []"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// A YAML double-quoted scalar (JSON's string syntax, which YAML reads the same).
    static func quoted(_ text: String) -> String {
        JSON.string(text).compact
    }
}
