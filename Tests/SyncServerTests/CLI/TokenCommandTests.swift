import Foundation
import ArgumentParser
import SyncServer
import Testing
@testable import sync_server

/// Parses `sync-server token` arguments against `environment` and returns the printed token.
private func mintedToken(_ arguments: [String], environment: [String: String] = [:],
                         files: [String: String] = [:]) async throws -> String {
    let context = testContext(environment, files: files)
    let command = try CommandContext.$current.withValue(context) { try TokenCommand.parse(arguments) }
    return try await command.token(context: context)
}

/// The message `token` would print when refusing these arguments.
private func tokenRefusal(_ arguments: [String], environment: [String: String] = [:]) -> String? {
    do {
        _ = try CommandContext.$current.withValue(testContext(environment)) { try TokenCommand.parse(arguments) }
        return nil
    } catch {
        #expect(TokenCommand.exitCode(for: error) == .validationFailure)
        return TokenCommand.message(for: error)
    }
}

@Suite("sync-server token")
struct TokenCommandTests {
    @Test("a token from --secret verifies to the requested principal")
    func secretFlag() async throws {
        let token = try await mintedToken(["--tenant", "acme", "--user", "alice", "--device", "phone-1",
                                           "--role", "operator", "--role", "auditor", "--secret", TestTokens.secret])
        let principal = try await TestTokens.hs256Verifier().verify(token, now: { _ in Int64(Date.now.timeIntervalSince1970 * 1000) })
        #expect(principal.tenant == "acme" && principal.user == "alice" && principal.device == "phone-1")
        #expect(principal.roles == ["operator", "auditor"] && principal.expiresAt != nil)
    }

    @Test("SYNC_JWT_SECRET is the fallback, and --ttl and --now-ms set the validity period")
    func environmentAndTime() async throws {
        let token = try await mintedToken(["--tenant", "acme", "--user", "alice", "--ttl", "60", "--now-ms", String(TestTokens.now)],
                                          environment: ["SYNC_JWT_SECRET": TestTokens.secret])
        let verifier = try await TestTokens.hs256Verifier()
        #expect(try await verifier.verify(token, now: TestTokens.clock(TestTokens.now + 59_000)).device == nil)
        let error = await #expect(throws: ServiceError.self) {
            try await verifier.verify(token, now: TestTokens.clock(TestTokens.now + 60_000))
        }
        #expect(error?.code == .tokenExpired)
    }

    @Test("--dev signs with the secret 'serve --dev' verifies with")
    func development() async throws {
        let token = try await mintedToken(["--dev", "--tenant", "acme", "--user", "alice", "--device", "d1"])
        let configuration = try serveConfiguration(["--dev"])
        let verifier = try await configuration.auth.makeVerifier()
        #expect(try await verifier.verify(token, now: { _ in Int64(Date.now.timeIntervalSince1970 * 1000) }).user == "alice")
    }

    @Test("--private-key signs ES256 for a server with the public key; issuer and audience are carried")
    func es256() async throws {
        let token = try await mintedToken(["--tenant", "acme", "--user", "alice", "--private-key", "/k.pem",
                                           "--issuer", "https://auth.example", "--now-ms", String(TestTokens.now)],
                                          environment: ["SYNC_JWT_SECRET": TestTokens.secret, "SYNC_JWT_AUDIENCE": "mobilesync"],
                                          files: ["/k.pem": TestTokens.es256.privateKeyPEM])
        let verifier = try await TokenVerifier(es256PublicKeyPEM: TestTokens.es256.publicKeyPEM,
                                               issuer: "https://auth.example", audience: "mobilesync")
        #expect(try await verifier.verify(token, now: TestTokens.clock(TestTokens.now)).tenant == "acme")
    }

    @Test("a token is refused without a key, with two keys at once, or with ids the server refuses")
    func refusals() {
        let noKey = tokenRefusal(["--tenant", "acme", "--user", "alice"])
        #expect(noKey?.contains("SYNC_JWT_SECRET") == true)
        #expect(noKey?.contains("--dev") == true)
        #expect(tokenRefusal(["--tenant", "acme", "--user", "alice", "--secret", "s", "--private-key", "/k.pem"])?
            .contains("only one") == true)
        #expect(tokenRefusal(["--tenant", "acme", "--user", "alice"],
                             environment: ["SYNC_JWT_SECRET": "s", "SYNC_JWT_PRIVATE_KEY": "/k.pem"]) != nil)
        #expect(tokenRefusal(["--tenant", "acme", "--user", "alice", "--secret", "s", "--ttl", "0"])?.contains("--ttl") == true)
        #expect(tokenRefusal(["--tenant", "acme corp", "--user", "alice", "--secret", "s"])?.contains("--tenant") == true)
        #expect(tokenRefusal(["--tenant", "acme", "--user", "alice", "--device", "a/b", "--secret", "s"])?.contains("--device") == true)
        #expect(tokenRefusal(["--user", "alice", "--secret", "s"]) != nil)
        let short = tokenRefusal(["--tenant", "acme", "--user", "alice", "--secret", "dev-secret"])
        #expect(short?.contains("at least 32") == true)
        #expect(short?.contains("dev-secret") == false)
    }

    @Test("a flag key beats a variable of the other kind")
    func flagBeatsOtherVariable() async throws {
        let token = try await mintedToken(["--tenant", "acme", "--user", "alice", "--secret", TestTokens.secret],
                                          environment: ["SYNC_JWT_PRIVATE_KEY": "/missing.pem"])
        #expect(try await TestTokens.hs256Verifier().verify(token, now: { _ in Int64(Date.now.timeIntervalSince1970 * 1000) })
            .user == "alice")
    }
}
