import ArgumentParser
import Foundation
import NIOSSL
import SyncConformance

/// How the runner reaches a server: TLS trust for `https://` and where its tokens come from.
struct ConnectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Trust these PEM certificates (a test CA or a self-signed certificate) for an https:// server instead of the system's.", valueName: "path"))
    var ca: String?

    @Flag(help: "Accept any certificate of an https:// server, without checking chain or host name (throwaway test certificates only).")
    var insecure = false

    @Option(help: "HS256 secret shared with the server (or SYNC_CONFORMANCE_SECRET).")
    var secret: String?

    @Option(help: "ES256 private key (PEM file) whose public key the server trusts.")
    var key: String?

    @Option(help: "Shell command that prints a token (see `sync-conformance run --help`).")
    var tokenCommand: String?

    /// Refuses TLS options when no URL is https://.
    func validate(urls: [String]) throws {
        if ca != nil || insecure, !urls.contains(where: { $0.hasPrefix("https://") }) {
            throw ValidationError("--ca and --insecure apply to https:// servers only")
        }
    }

    /// The TLS context for https:// targets.
    func tlsContext() throws -> NIOSSLContext {
        do {
            return try TLSClientOptions(caFile: ca, insecure: insecure).makeContext()
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// The target at `url`, or exit 2 with a message.
    func target(_ url: String) throws -> TargetServer {
        guard let target = TargetServer(url: url, tls: try tlsContext()) else {
            printError("--server must be an http:// or https:// URL, got \(url)")
            throw ExitCode(2)
        }
        return target
    }

    /// The token source given, `nil` when none is and `required` is false; exit 2 when several
    /// are given, or none is and one is required.
    func tokenSource(required: Bool = true) throws -> TokenSource? {
        let secret = self.secret ?? ProcessInfo.processInfo.environment["SYNC_CONFORMANCE_SECRET"]
        let given = [secret != nil, key != nil, tokenCommand != nil].filter { $0 }.count
        if given == 0, !required { return nil }
        guard given == 1 else {
            printError(given == 0 ? "give one of --secret (or SYNC_CONFORMANCE_SECRET), --key, --token-command"
                : "give only one of --secret (or SYNC_CONFORMANCE_SECRET), --key, --token-command")
            throw ExitCode(2)
        }
        if let secret { return .hs256(secret: Array(secret.utf8)) }
        if let key {
            do {
                return try TokenSource.es256(pemFile: key)
            } catch {
                printError("cannot read the ES256 key \(key): \(error)")
                throw ExitCode(2)
            }
        }
        return .command(tokenCommand ?? "")
    }
}
