import ArgumentParser
import SyncServer
import Testing
@testable import sync_server

@Suite("sync-server serve: --db and --database-url")
struct ServeDatabaseOptionTests {
    @Test("--database-url selects PostgreSQL; its password never shows in the description")
    func databaseURL() throws {
        let configuration = try serveConfiguration(["--database-url", "postgres://sync:hunter2@db.internal:6543/mobilesync?sslmode=require"],
                                                   environment: secretEnvironment)
        let url = PostgresURL(host: "db.internal", port: 6543, user: "sync", password: "hunter2", database: "mobilesync", tls: .require)
        #expect(configuration.database == DatabaseLocation(postgres: url))
        #expect(configuration.database.sqlitePath == nil)
        #expect("\(configuration.database)" == "postgres://sync:***@db.internal:6543/mobilesync?sslmode=require")
    }

    @Test("SYNC_DATABASE_URL works like the flag, and a flag of either kind beats both variables")
    func precedence() throws {
        let environment = secretEnvironment.merging(["SYNC_DATABASE_URL": "postgres://db/env"]) { $1 }
        #expect(try serveConfiguration([], environment: environment).database
            == DatabaseLocation(postgres: PostgresURL(host: "db", user: "postgres", database: "env")))
        #expect(try serveConfiguration(["--db", "flag.sqlite"], environment: environment).database.sqlitePath == "flag.sqlite")
        let both = environment.merging(["SYNC_DB": "env.sqlite"]) { $1 }
        #expect(try serveConfiguration(["--database-url", "postgres://db/flag"], environment: both).database
            == DatabaseLocation(postgres: PostgresURL(host: "db", user: "postgres", database: "flag")))
    }

    @Test("naming SQLite and PostgreSQL at once is refused", arguments: [
        (["--db", "a.sqlite", "--database-url", "postgres://db/x"], [String: String]()),
        ([], ["SYNC_DB": "a.sqlite", "SYNC_DATABASE_URL": "postgres://db/x"]),
    ])
    func both(arguments: [String], environment: [String: String]) throws {
        let refusal = try #require(serveRefusal(arguments, environment: secretEnvironment.merging(environment) { $1 }))
        #expect(refusal.message.contains("not both"), "\(refusal.message)")
        #expect(refusal.exitCode == ExitCode.validationFailure.rawValue)
    }

    @Test("a database URL that cannot be used is refused with the reason, never the password", arguments: [
        ("mysql://db/x", "postgres://user:password@host"),
        ("postgres://u:hunter2@db/x?sslmode=verify-full", "sslmode must be one of disable, prefer, require"),
        ("postgres://u:hunter2@db/x?application_name=a", "'application_name'"),
        ("postgres://u:hunter2@db/x?sslmode=disable&sslmode=require", "twice"),
        ("postgres://u:hunter2@db:0/x", "port"),
        ("postgres://u:hunter2@db/x/y", "one database name"),
        ("postgres:///x", "names no host"),
    ])
    func unusable(url: String, reason: String) throws {
        let refusal = try #require(serveRefusal(["--database-url", url], environment: secretEnvironment))
        #expect(refusal.message.contains(reason), "\(refusal.message)")
        #expect(!refusal.message.contains("hunter2"))
        #expect(refusal.exitCode == ExitCode.validationFailure.rawValue)
    }

    @Test("defaults: user postgres, port 5432, the database named after the user; a socket folder instead of a host")
    func defaults() throws {
        #expect(try PostgresURL(parsing: "postgresql://db") == PostgresURL(host: "db", user: "postgres", database: "postgres"))
        let socket = try PostgresURL(parsing: "postgres://sync@/mobilesync?host=/run/postgresql&sslmode=disable")
        #expect(socket.socketPath == "/run/postgresql/.s.PGSQL.5432")
        #expect(socket.tls == .disable)
        #expect("\(socket)" == "postgres://sync@/mobilesync?sslmode=disable&host=/run/postgresql")
        #expect(try PostgresURL(parsing: "postgres://a%40b:p%2Fw@db/x").user == "a@b")
        #expect(try PostgresURL(parsing: "postgres://a%40b:p%2Fw@db/x").password == "p/w")
    }
}
