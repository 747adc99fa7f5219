import Foundation
import SyncServer
import SyncTestSupport
import Testing
@testable import sync_server

/// `--tls-cert` and `--tls-key` (and their variables): both or neither, readable PEM files, a key
/// that matches the certificate; each refusal a usage error naming the file, never its content.
@Suite struct ServeTLSOptionTests {
    @Test func bothFilesGiveTLSAndNeitherGivesPlainHTTP() throws {
        let files = try TestCertificate.write()
        defer { try? FileManager.default.removeItem(at: files.folder) }
        #expect(try serveConfiguration([], environment: secretEnvironment).tls == nil)
        let flags = try serveConfiguration(["--tls-cert", files.certificate, "--tls-key", files.key], environment: secretEnvironment)
        #expect(flags.tls == ServerConfiguration.TLS(certificatePath: files.certificate, keyPath: files.key))
        #expect(flags.description.contains("TLS 1.2+"))
        let variables = try serveConfiguration([], environment: secretEnvironment.merging(
            ["SYNC_TLS_CERT": files.certificate, "SYNC_TLS_KEY": files.key]) { $1 })
        #expect(variables.tls != nil)
    }

    @Test func halfAConfigurationIsAUsageError() throws {
        let files = try TestCertificate.write()
        defer { try? FileManager.default.removeItem(at: files.folder) }
        for arguments in [["--tls-cert", files.certificate], ["--tls-key", files.key]] {
            let refusal = serveRefusal(arguments, environment: secretEnvironment)
            #expect(refusal?.exitCode == 64)
            #expect(refusal?.message.contains("--tls-cert and --tls-key") == true, "\(refusal?.message ?? "accepted")")
        }
    }

    @Test func unreadableOrMismatchedFilesAreUsageErrorsNamingTheFile() throws {
        let files = try TestCertificate.write()
        defer { try? FileManager.default.removeItem(at: files.folder) }
        let garbage = files.folder.appendingPathComponent("garbage.pem").path
        try "not a certificate".write(toFile: garbage, atomically: true, encoding: .utf8)
        let cases: [([String], String)] = [
            (["--tls-cert", files.folder.appendingPathComponent("missing.pem").path, "--tls-key", files.key], "missing.pem"),
            (["--tls-cert", garbage, "--tls-key", files.key], "garbage.pem"),
            (["--tls-cert", files.certificate, "--tls-key", garbage], "garbage.pem"),
            (["--tls-cert", files.key, "--tls-key", files.key], "key.pem"),
            (["--tls-cert", files.certificate, "--tls-key", files.otherKey], "does not match"),
        ]
        for (arguments, message) in cases {
            let refusal = serveRefusal(arguments, environment: secretEnvironment)
            #expect(refusal?.exitCode == 64, "\(arguments)")
            #expect(refusal?.message.contains(message) == true, "\(refusal?.message ?? "accepted")")
            #expect(refusal?.message.contains("BEGIN") == false)
        }
    }
}
