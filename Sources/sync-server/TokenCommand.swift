import ArgumentParser
import Foundation
import SyncServer

/// `sync-server token`: prints a signed token for a tenant's user and device.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Print a signed token to call the server with.",
        discussion: """
            Prints a JWT for a tenant's user (and device) on standard output, for trying the \
            server by hand and for tests. Sign it with the key the server verifies with: \
            --secret or SYNC_JWT_SECRET (HS256), --private-key or SYNC_JWT_PRIVATE_KEY (ES256), \
            or --dev for a server started with 'serve --dev'. A flag beats the variable.

            Sync and upload calls need a device; operator calls (policies, reviews, analytics) \
            need --role operator.

            Examples:
              TOKEN=$(sync-server token --dev --tenant acme --user alice --device phone-1)
              curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8080/v1/sync/cursor
              sync-server token --tenant acme --user ops --role operator --ttl 600
            """
    )

    @Option(help: ArgumentHelp("Tenant id (claim tenant_id).", valueName: "id"))
    var tenant: String

    @Option(help: ArgumentHelp("User id (claim sub).", valueName: "id"))
    var user: String

    @Option(help: ArgumentHelp("Device id (claim device_id); needed for sync and uploads.", valueName: "id"))
    var device: String?

    @Option(name: .customLong("role"), help: ArgumentHelp("A role to grant, such as operator; repeat for several.",
                                                          valueName: "role"))
    var roles: [String] = []

    @Option(help: ArgumentHelp("Lifetime in seconds.", valueName: "seconds"))
    var ttl: Int64 = 3600

    @Option(help: ArgumentHelp("HS256 secret, the server's. Env SYNC_JWT_SECRET.", valueName: "secret"))
    var secret: String?

    @Option(help: ArgumentHelp("ES256 private key, a PEM file. Env SYNC_JWT_PRIVATE_KEY.", valueName: "path"))
    var privateKey: String?

    @Flag(help: "Sign with the development secret of 'sync-server serve --dev' when no other key is given.")
    var dev = false

    @Option(help: ArgumentHelp("The iss claim, if the server expects one. Env SYNC_JWT_ISSUER.", valueName: "issuer"))
    var issuer: String?

    @Option(help: ArgumentHelp("The aud claim, if the server expects one. Env SYNC_JWT_AUDIENCE.", valueName: "audience"))
    var audience: String?

    @Option(name: .customLong("now-ms"), help: ArgumentHelp("""
        Issue the token as of this time, in milliseconds since 1970 (such as a tenant's test \
        clock); default: now.
        """, valueName: "ms"))
    var nowMilliseconds: Int64?

    /// The key to sign with.
    enum SigningKey: Equatable {
        case hs256(secret: String)
        case es256(pemFile: String)
    }

    func validate() throws {
        guard ttl > 0 else { throw ValidationError("--ttl must be at least 1 second.") }
        for (option, value) in [("--tenant", tenant), ("--user", user)] + (device.map { [("--device", $0)] } ?? []) {
            guard IdentifierClaim.isValid(value) else {
                throw ValidationError("\(option) must be \(IdentifierClaim.rule): the server refuses other ids (AUTH-5).")
            }
        }
        _ = try signingKey()
    }

    func run() async throws {
        print(try await token())
    }

    /// The signed token these flags and the context's environment ask for.
    func token(context: CommandContext = .current) async throws -> String {
        let source = SettingSource(environment: context.environment)
        let issuer: TokenIssuer
        switch try signingKey(context: context) {
        case .hs256(let secret):
            issuer = try await TokenIssuer(hs256Secret: secret)
        case .es256(let path):
            let pem: String
            do {
                pem = try context.readFile(path)
            } catch {
                throw ValidationError("Cannot read the ES256 private key file '\(path)' (--private-key or SYNC_JWT_PRIVATE_KEY).")
            }
            issuer = try await TokenIssuer(es256PrivateKeyPEM: pem)
        }
        return try await issuer.mint(
            tenant: tenant, user: user, device: device, roles: roles, ttlSeconds: ttl, nowMilliseconds: nowMilliseconds,
            issuer: source.string(self.issuer, "SYNC_JWT_ISSUER"), audience: source.string(audience, "SYNC_JWT_AUDIENCE"))
    }

    /// Chooses the key: a flag, else an environment variable, else the development secret with
    /// `--dev`. Giving a secret and a private key at the same level is refused as ambiguous.
    func signingKey(context: CommandContext = .current) throws -> SigningKey {
        let source = SettingSource(environment: context.environment)
        let flagsGiven = secret != nil || privateKey != nil
        let chosenSecret = flagsGiven ? secret : source.string(nil, "SYNC_JWT_SECRET")
        let chosenKeyPath = flagsGiven ? privateKey : source.string(nil, "SYNC_JWT_PRIVATE_KEY")
        switch (chosenSecret, chosenKeyPath) {
        case (.some, .some):
            throw ValidationError("""
                Both an HS256 secret and an ES256 private key were given; pass only one of --secret and \
                --private-key (or set only one of SYNC_JWT_SECRET and SYNC_JWT_PRIVATE_KEY).
                """)
        case (let secret?, nil):
            guard secret.utf8.count >= TokenVerifier.minimumSecretBytes else {
                throw ValidationError("""
                    The secret is \(secret.utf8.count) bytes; HS256 needs at least \(TokenVerifier.minimumSecretBytes), \
                    and the server refuses shorter ones.
                    """)
            }
            return .hs256(secret: secret)
        case (nil, let path?):
            return .es256(pemFile: path)
        case (nil, nil):
            if dev { return .hs256(secret: AuthConfiguration.developmentSecret) }
            throw ValidationError("""
                No key to sign with. Pass --secret (or set SYNC_JWT_SECRET) with the server's secret, \
                --private-key (or set SYNC_JWT_PRIVATE_KEY) with an ES256 private key PEM file, or --dev \
                for a server started with 'serve --dev'.
                """)
        }
    }
}
