import Foundation

/// One probing session: the target, the optional token source and the fresh tenant its tokens
/// name, with the answers to a path that cannot exist, the yardstick of every probe.
struct ProbeRun: Sendable {
    /// What an answer is compared by: its status and the problem's `code`, when it has one.
    struct Answer: Equatable, CustomStringConvertible {
        var status: Int
        var code: String?

        var description: String { code.map { "\(status) \($0)" } ?? "\(status)" }
        var succeeded: Bool { (200..<300).contains(status) }
    }

    var target: TargetServer
    var tokens: TokenSource?
    var tenant: String
    var timeout: Duration

    /// A path no implementation serves, with the same method and body as the probe.
    private func control(_ probe: FeatureProbe.Probe) -> FeatureProbe.Probe {
        var control = probe
        control.path = "/v1/conformance-probe-\(tenant)"
        return control
    }

    func finding(_ probe: FeatureProbe.Probe) async throws -> FeatureFinding {
        let request = "\(probe.method) \(probe.path)"
        let answer = try await send(probe, token: nil)
        let unknown = try await send(control(probe), token: nil)
        if answer.succeeded || answer != unknown {
            return FeatureFinding(feature: probe.feature, verdict: .supported,
                                  evidence: "\(request) without a token: \(answer) (an unknown path: \(unknown))")
        }
        guard unknown.status != 404 else {
            return FeatureFinding(feature: probe.feature, verdict: .absent,
                                  evidence: "\(request) answers like an unknown path: \(answer)")
        }
        // The server authenticates before it routes: only a token can tell.
        guard probe.authenticated, let tokens else {
            return FeatureFinding(feature: probe.feature, verdict: .undecided,
                                  evidence: "\(request) and an unknown path both answer \(answer) without a token"
                                      + (tokens == nil ? "; give --secret, --key or --token-command to ask with one" : ""))
        }
        let token = try await tokens.token(tokenRequest(roles: probe.roles))
        let withToken = try await send(probe, token: token)
        let unknownWithToken = try await send(control(probe), token: token)
        let verdict: FeatureFinding.Verdict = withToken.succeeded || withToken != unknownWithToken ? .supported : .absent
        return FeatureFinding(feature: probe.feature, verdict: verdict,
                              evidence: "\(request) with a token: \(withToken) (an unknown path: \(unknownWithToken))")
    }

    private func tokenRequest(roles: [String]) -> TokenRequest {
        let now = Int64(Date().timeIntervalSince1970)
        return TokenRequest(tenant: tenant, user: "conformance-probe", device: roles.isEmpty ? "probe-device" : nil, roles: roles,
                            issuedAt: now - 60, expires: now + 600)
    }

    private func send(_ probe: FeatureProbe.Probe, token: String?) async throws -> Answer {
        var headers: [(String, String)] = []
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        if probe.body != nil { headers.append(("Content-Type", "application/json")) }
        let request = HTTPRequest(method: probe.method, target: target.basePath + probe.path, headers: headers,
                                  body: probe.body.map { .bytes($0) } ?? .none)
        let response = try await target.client.send(request, before: .now + timeout)
        let code = (try? JSON.parse(response.body))?["code"]?.string
        return Answer(status: response.status, code: code)
    }
}
