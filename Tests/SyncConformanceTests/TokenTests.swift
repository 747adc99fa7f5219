import Crypto
import Foundation
import Testing
@testable import SyncConformance

/// Token minting (HS256 and ES256 verified with swift-crypto) and forging.
@Suite struct TokenTests {
    private let request = TokenRequest(tenant: "t1", user: "alice", device: "d1", roles: ["operator"], issuedAt: 1000, expires: 4600)

    private func decode(_ part: Substring) -> [UInt8] {
        var text = part.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        return Array(Data(base64Encoded: text) ?? Data())
    }

    @Test func hs256VerifiesWithTheSecret() async throws {
        let secret = Array("a-secret-of-at-least-32-bytes-123456".utf8)
        let token = try await TokenSource.hs256(secret: secret).token(request)
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        #expect(parts.count == 3)
        let mac = HMAC<SHA256>.authenticationCode(for: Array("\(parts[0]).\(parts[1])".utf8), using: SymmetricKey(data: secret))
        #expect(decode(parts[2]) == Array(mac))
        #expect(String(decoding: decode(parts[0]), as: UTF8.self) == #"{"alg":"HS256","typ":"JWT"}"#)
        #expect(String(decoding: decode(parts[1]), as: UTF8.self)
            == #"{"tenant_id":"t1","sub":"alice","device_id":"d1","roles":["operator"],"iat":1000,"exp":4600}"#)
    }

    @Test func es256VerifiesWithThePublicKey() async throws {
        let key = P256.Signing.PrivateKey()
        let token = try await TokenSource.es256(key).token(request)
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        let signature = try P256.Signing.ECDSASignature(rawRepresentation: decode(parts[2]))
        #expect(key.publicKey.isValidSignature(signature, for: Array("\(parts[0]).\(parts[1])".utf8)))
        #expect(String(decoding: decode(parts[0]), as: UTF8.self) == #"{"alg":"ES256","typ":"JWT"}"#)
    }

    @Test func es256KeysLoadFromPEMFiles() async throws {
        let key = P256.Signing.PrivateKey()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("es256-\(UUID().uuidString).pem")
        try key.pemRepresentation.write(to: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: path) }
        let token = try await TokenSource.es256(pemFile: path.path).token(request)
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        let signature = try P256.Signing.ECDSASignature(rawRepresentation: decode(parts[2]))
        #expect(key.publicKey.isValidSignature(signature, for: Array("\(parts[0]).\(parts[1])".utf8)))
        #expect(throws: (any Error).self) { try TokenSource.es256(pemFile: "/nonexistent.pem") }
    }

    @Test func algNoneHasAnEmptySignature() async throws {
        var forged = request
        forged.forge = .algNone
        let token = try await TokenSource.hs256(secret: [1, 2, 3]).token(forged)
        #expect(token.hasSuffix("."))
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        #expect(parts.count == 3 && parts[2].isEmpty)
        #expect(String(decoding: decode(parts[0]), as: UTF8.self) == #"{"alg":"none","typ":"JWT"}"#)
    }

    @Test func tamperingChangesOnePartOnly() async throws {
        let source = TokenSource.hs256(secret: Array("k".utf8))
        let good = try await source.token(request).split(separator: ".", omittingEmptySubsequences: false)
        for (index, part) in ["header", "payload", "signature"].enumerated() {
            var forged = request
            forged.forge = .tamper(part)
            let bad = try await source.token(forged).split(separator: ".", omittingEmptySubsequences: false)
            for other in 0..<3 { #expect((bad[other] == good[other]) == (other != index)) }
        }
        var raw = request
        raw.forge = .raw("not-a-jwt")
        #expect(try await source.token(raw) == "not-a-jwt")
    }

    @Test func claimsMergeAndDelete() throws {
        var custom = request
        custom.claims = try JSON.parse(#"{"exp":{"$absent":true},"sub":"mallory","extra":[1]}"#)
        #expect(custom.payload.compact == #"{"tenant_id":"t1","device_id":"d1","roles":["operator"],"iat":1000,"sub":"mallory","extra":[1]}"#)
    }

    @Test func tokenCommandGetsTheClaimsInItsEnvironment() async throws {
        let source = TokenSource.command(#"printf '%s|%s|%s|%s|%s\n' "$MS_TENANT_ID" "$MS_SUB" "$MS_DEVICE_ID" "$MS_ROLES" "$MS_EXP""#)
        #expect(try await source.token(request) == "t1|alice|d1|operator|4600")
        #expect(!source.canForge)
        var forged = request
        forged.forge = .algNone
        await #expect(throws: TokenError.self) { try await source.token(forged) }
        await #expect(throws: TokenError.self) { try await TokenSource.command("exit 3").token(request) }
    }
}
