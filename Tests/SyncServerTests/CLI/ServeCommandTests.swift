import ArgumentParser
import SyncProtocol
import SyncServer
import Testing
@testable import sync_server

@Suite("sync-server serve: settings")
struct ServeCommandTests {
    @Test("'serve' is the default command")
    func defaultCommand() throws {
        #expect(SyncServerCommand.configuration.defaultSubcommand == ServeCommand.self)
        let command = try CommandContext.$current.withValue(testContext([:])) { try SyncServerCommand.parseAsRoot(["--dev"]) }
        #expect(command is ServeCommand)
    }

    @Test("--version names the server and the protocol version it speaks")
    func version() {
        do {
            _ = try CommandContext.$current.withValue(testContext([:])) { try SyncServerCommand.parseAsRoot(["--version"]) }
            Issue.record("--version did not stop parsing")
        } catch {
            #expect(SyncServerCommand.exitCode(for: error) == .success)
            let message = SyncServerCommand.message(for: error)
            #expect(message.hasPrefix("sync-server \(ProtocolInfo.version) (protocol mobilesync \(ProtocolInfo.version)"), "\(message)")
        }
    }

    @Test("without flags or variables every setting has its default")
    func defaults() throws {
        let configuration = try serveConfiguration([], environment: secretEnvironment)
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 8080)
        #expect(configuration.database == DatabaseLocation(sqlitePath: "./data/sync.sqlite"))
        #expect(configuration.dataDirectory == "./data")
        #expect(configuration.auth == AuthConfiguration(hs256Secret: TestTokens.secret))
        #expect(configuration.limits == ServerConfiguration.Limits())
        #expect(EngineConfiguration(configuration.limits).serverLimits.maxFrameBytes == Limits.maxFrameBytes)
        #expect(configuration.testControl == false)
        #expect(configuration.development == false)
        #expect(configuration.logLevel == .info)
    }

    @Test("variables replace the defaults")
    func environment() throws {
        let configuration = try serveConfiguration([], environment: [
            "SYNC_HOST": "0.0.0.0", "SYNC_PORT": "9090", "SYNC_DB": "/var/lib/sync/db.sqlite", "SYNC_DATA_DIR": "/var/lib/sync",
            "SYNC_JWT_SECRET": TestTokens.secret, "SYNC_JWT_PUBLIC_KEY": "/keys/es256.pem", "SYNC_JWT_LEEWAY": "30",
            "SYNC_JWT_ISSUER": "https://auth.example", "SYNC_JWT_AUDIENCE": "mobilesync",
            "SYNC_MAX_FRAME_BYTES": "2097152", "SYNC_MAX_MUTATIONS_PER_PUSH": "1000", "SYNC_HEARTBEAT_INTERVAL": "15",
            "SYNC_HEARTBEAT_TIMEOUT": "120", "SYNC_LOG_LEVEL": "DEBUG",
        ], files: ["/keys/es256.pem": TestTokens.es256.publicKeyPEM])
        #expect(configuration.host == "0.0.0.0")
        #expect(configuration.port == 9090)
        #expect(configuration.database.sqlitePath == "/var/lib/sync/db.sqlite")
        #expect(configuration.dataDirectory == "/var/lib/sync")
        #expect(configuration.auth == AuthConfiguration(hs256Secret: TestTokens.secret, es256PublicKeyPEM: TestTokens.es256.publicKeyPEM,
                                                        leewaySeconds: 30, issuer: "https://auth.example", audience: "mobilesync"))
        #expect(configuration.limits == ServerConfiguration.Limits(maxFrameBytes: 2_097_152, maxMutationsPerPush: 1000,
                                                                   heartbeatIntervalSeconds: 15, heartbeatTimeoutSeconds: 120))
        #expect(configuration.logLevel == .debug)
    }

    @Test("flags beat variables")
    func flagsFirst() throws {
        let configuration = try serveConfiguration([
            "--host", "::1", "--port", "7000", "--db", "other.sqlite", "--data-dir", "files", "--jwt-secret", TestTokens.otherSecret,
            "--jwt-leeway", "5", "--max-mutations-per-push", "600", "--heartbeat-interval", "10", "--heartbeat-timeout", "95",
            "--max-frame-bytes", "1048577", "--log-level", "warning", "--no-test-control",
        ], environment: [
            "SYNC_HOST": "0.0.0.0", "SYNC_PORT": "9090", "SYNC_DB": "env.sqlite", "SYNC_DATA_DIR": "env", "SYNC_JWT_SECRET": TestTokens.secret,
            "SYNC_JWT_LEEWAY": "30", "SYNC_MAX_MUTATIONS_PER_PUSH": "1000", "SYNC_HEARTBEAT_INTERVAL": "20", "SYNC_LOG_LEVEL": "trace",
            "SYNC_TEST_CONTROL": "true",
        ])
        #expect(configuration.host == "::1")
        #expect(configuration.port == 7000)
        #expect(configuration.database.sqlitePath == "other.sqlite")
        #expect(configuration.dataDirectory == "files")
        #expect(configuration.auth.hs256Secret == TestTokens.otherSecret)
        #expect(configuration.auth.leewaySeconds == 5)
        #expect(configuration.limits == ServerConfiguration.Limits(maxFrameBytes: 1_048_577, maxMutationsPerPush: 600,
                                                                   heartbeatIntervalSeconds: 10, heartbeatTimeoutSeconds: 95))
        #expect(configuration.logLevel == .warning)
        #expect(configuration.testControl == false)
    }

    @Test("test control is enabled by flag or variable on a loopback host")
    func testControl() throws {
        #expect(try serveConfiguration(["--test-control"], environment: secretEnvironment).testControl)
        #expect(try serveConfiguration(["--host", "localhost"], environment: secretEnvironment.merging(["SYNC_TEST_CONTROL": "1"]) { $1 })
            .testControl)
        #expect(try serveConfiguration(["--test-control", "--host", "0.0.0.0", "--allow-test-control-on-public-host"],
                                       environment: secretEnvironment).testControl)
    }

    @Test("--dev uses the development secret unless one is given, on loopback only")
    func development() throws {
        let configuration = try serveConfiguration(["--dev"])
        #expect(configuration.development)
        #expect(configuration.auth.hs256Secret == AuthConfiguration.developmentSecret)
        #expect(try serveConfiguration(["--dev"], environment: secretEnvironment).auth.hs256Secret == TestTokens.secret)
        #expect(try serveConfiguration(["--dev", "--jwt-public-key", "/k.pem"], files: ["/k.pem": TestTokens.es256.publicKeyPEM])
            .auth.hs256Secret == nil)
        #expect(serveRefusal(["--dev", "--jwt-secret", "dev-secret"])?.message.contains("at least 32") == true)
        let publicHost = try #require(serveRefusal(["--dev", "--host", "0.0.0.0"]))
        #expect(publicHost.message.contains("loopback"))
        #expect(publicHost.exitCode == ExitCode.validationFailure.rawValue)
    }
}

@Suite("sync-server serve: refusals")
struct ServeRefusalTests {
    @Test("--db refuses a postgres URL, pointing at --database-url, without echoing it")
    func postgresInDb() throws {
        for url in ["postgres://sync:hunter2@db:5432/sync", "postgresql://db/sync", "POSTGRES://db/sync"] {
            let refusal = try #require(serveRefusal(["--db", url], environment: secretEnvironment))
            #expect(refusal.message.contains("--database-url"))
            #expect(!refusal.message.contains("hunter2"))
            #expect(refusal.exitCode == ExitCode.validationFailure.rawValue)
        }
        let fromEnvironment = try #require(serveRefusal([], environment: secretEnvironment.merging(["SYNC_DB": "postgres://db/sync"]) { $1 }))
        #expect(fromEnvironment.message.contains("SYNC_DATABASE_URL"))
        #expect(serveRefusal(["--db", "mysql://db/sync"], environment: secretEnvironment)?.message.contains("SQLite file path") == true)
    }

    @Test("test control on a public host is refused without the explicit permission")
    func testControlOnPublicHost() throws {
        for host in ["0.0.0.0", "::", "192.168.1.10", "example.com", "127.0.0.1.example.com"] {
            let refusal = try #require(serveRefusal(["--test-control", "--host", host], environment: secretEnvironment), "\(host)")
            #expect(refusal.message.contains("--allow-test-control-on-public-host"))
            #expect(refusal.exitCode == ExitCode.validationFailure.rawValue)
        }
        let fromEnvironment = serveRefusal([], environment: secretEnvironment.merging(["SYNC_TEST_CONTROL": "yes", "SYNC_HOST": "0.0.0.0"]) { $1 })
        #expect(fromEnvironment != nil)
        for host in ["127.0.0.1", "127.1.2.3", "::1", "localhost"] {
            #expect(serveRefusal(["--test-control", "--host", host], environment: secretEnvironment) == nil, "\(host)")
        }
    }

    @Test("without a secret or key a public server refuses to start and says how to set one")
    func noSecret() throws {
        let refusal = try #require(serveRefusal(["--host", "0.0.0.0"]))
        #expect(refusal.message.contains("SYNC_JWT_SECRET"))
        #expect(refusal.message.contains("--dev"))
        #expect(refusal.exitCode == ExitCode.validationFailure.rawValue)
        #expect(serveRefusal(["--host", "0.0.0.0"], environment: ["SYNC_JWT_SECRET": ""]) != nil)
    }

    @Test("without a secret or key a loopback server uses the public development secret")
    func loopbackDefaultsToDevelopment() throws {
        let configuration = try serveConfiguration([])
        #expect(configuration.auth.hs256Secret == AuthConfiguration.developmentSecret)
        #expect(configuration.development)
        let explicit = try serveConfiguration([], environment: secretEnvironment)
        #expect(explicit.auth.hs256Secret != AuthConfiguration.developmentSecret && !explicit.development)
    }

    @Test("a secret shorter than 32 bytes is refused, without echoing it")
    func shortSecret() throws {
        let refusal = try #require(serveRefusal(["--jwt-secret", "dev-secret"]))
        #expect(refusal.message.contains("at least 32"))
        #expect(!refusal.message.contains("dev-secret"))
    }

    @Test("an unreadable or invalid public key file is refused")
    func publicKey() throws {
        #expect(serveRefusal(["--jwt-public-key", "/missing.pem"])?.message.contains("Cannot read") == true)
        let configuration = try serveConfiguration(["--jwt-public-key", "/k.pem"], files: ["/k.pem": TestTokens.es256.publicKeyPEM])
        #expect(configuration.auth.hs256Secret == nil)
        #expect(configuration.auth.es256PublicKeyPEM == TestTokens.es256.publicKeyPEM)
    }

    @Test("limits tighter than the spec's, and values out of range, are refused", arguments: [
        ["--max-frame-bytes", "1000"], ["--max-mutations-per-push", "499"], ["--heartbeat-interval", "31"],
        ["--heartbeat-interval", "0"], ["--heartbeat-timeout", "89"], ["--jwt-leeway", "61"], ["--port", "70000"],
        ["--log-level", "loud"], ["--host", ""], ["--db", ""], ["--port", "eighty"],
    ])
    func outOfRange(_ arguments: [String]) throws {
        let refusal = try #require(serveRefusal(arguments, environment: secretEnvironment))
        #expect(refusal.exitCode == ExitCode.validationFailure.rawValue, "\(refusal.message)")
    }

    @Test("a variable that is not a number or a switch is refused, naming the variable",
          arguments: ["SYNC_PORT", "SYNC_JWT_LEEWAY", "SYNC_MAX_FRAME_BYTES", "SYNC_TEST_CONTROL"])
    func badVariable(_ variable: String) throws {
        let refusal = try #require(serveRefusal([], environment: secretEnvironment.merging([variable: "lots"]) { $1 }))
        #expect(refusal.message.contains(variable))
        #expect(refusal.exitCode == ExitCode.validationFailure.rawValue)
    }

    @Test("the configuration summary never shows the secret")
    func summary() throws {
        let text = String(describing: try serveConfiguration([], environment: secretEnvironment))
        #expect(text.contains("127.0.0.1:8080"))
        #expect(text.contains("HS256"))
        #expect(!text.contains(TestTokens.secret))
    }
}
