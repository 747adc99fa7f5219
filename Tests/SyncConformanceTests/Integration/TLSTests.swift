import Foundation
import SyncTestSupport
import Testing

extension ConformanceIntegration {
    /// The server speaks HTTPS and WSS with --tls-cert and --tls-key, and the runner runs the
    /// suite against an https:// target, trusting a test certificate with --ca or any with
    /// --insecure, and refusing an untrusted one.
    @Suite struct TLSTests {
        static let vectors = "handshake.*,push.create-applied,errors.unmasked-frame-fails-connection,limits.rate-limited-websocket,uploads.chunks-any-order-status"

        @Test func theSuiteRunsOverTLSWithTheTestCertificateTrusted() async throws {
            let files = try TestCertificate.write()
            defer { try? FileManager.default.removeItem(at: files.folder) }
            let server = try ConformanceServer(extraArguments: ["--tls-cert", files.certificate, "--tls-key", files.key])
            try await server.start()
            defer { server.stop() }
            #expect(server.url.hasPrefix("https://"))
            let trusted = try await runConformanceBinary(["run", "--server", server.url, "--ca", files.certificate, "--secret", server.secret,
                                                          "--profile", "Conformance/reference-server.yaml", "--filter", Self.vectors])
            #expect(trusted.status == 0, "\(trusted.stdout)\n\(trusted.stderr)")
            #expect(trusted.stdout.contains("0 failed") && !trusted.stdout.contains(" 0 passed"), "\(trusted.stdout)")
            let insecure = try await runConformanceBinary(["run", "--server", server.url, "--insecure", "--secret", server.secret,
                                                           "--features", "rate-limits", "--filter", "handshake.hello-welcome"])
            #expect(insecure.status == 0, "\(insecure.stdout)\n\(insecure.stderr)")
            let untrusted = try await runConformanceBinary(["run", "--server", server.url, "--secret", server.secret, "--filter", "handshake.*"])
            #expect(untrusted.status == 2)
            #expect(untrusted.stderr.contains("not reachable") && untrusted.stderr.lowercased().contains("certificate"), "\(untrusted.stderr)")
        }

        @Test func plainHTTPToTheTLSPortGetsNoAnswer() async throws {
            let files = try TestCertificate.write()
            defer { try? FileManager.default.removeItem(at: files.folder) }
            let server = try ConformanceServer(extraArguments: ["--tls-cert", files.certificate, "--tls-key", files.key])
            try await server.start()
            defer { server.stop() }
            let plain = server.url.replacingOccurrences(of: "https://", with: "http://")
            let run = try await runConformanceBinary(["run", "--server", plain, "--secret", server.secret, "--filter", "handshake.*"])
            #expect(run.status == 2, "\(run.stdout)")
        }

        @Test func caAndInsecureNeedAnHTTPSServer() async throws {
            let run = try await runConformanceBinary(["run", "--server", "http://127.0.0.1:1", "--insecure", "--secret", "s"])
            #expect(run.status == 2)
            #expect(run.stderr.contains("https://"))
        }
    }
}
