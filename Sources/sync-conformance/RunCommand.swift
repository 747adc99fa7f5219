import ArgumentParser
import Foundation
import NIOSSL
import SyncConformance

/// `sync-conformance run`: replays the vectors against a server and writes the reports.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the vectors against a server (--server) or a client (--client).",
        discussion: """
            A client run (--client 'COMMAND') starts the command once per vector as the client's \
            harness (Conformance/harness.md: JSON lines on stdin and stdout), plays the server \
            on a loopback port as the vector scripts it, and checks what the client sent. The \
            reference client: --client 'sync-client harness'. Only role: client vectors run.

            The server must have test control enabled (POST /v1/test/reset and friends): every \
            vector runs in fresh tenants (ct-<run>-<n>-main, ...) that the runner resets first.

            Tokens: the runner signs them with --secret (HS256, or SYNC_CONFORMANCE_SECRET) or \
            --key (ES256 private key, PEM). If you cannot share a key, pass --token-command: it \
            runs with MS_TENANT_ID, MS_SUB, MS_DEVICE_ID, MS_ROLES (comma-separated), MS_EXP and \
            MS_IAT (seconds) in the environment and must print the token; vectors that forge \
            tokens are then skipped.

            Say what your server supports with --features or a --profile file (features, \
            known_failing ids with reasons, flaky ids); unsupported vectors are skipped.

            Progress: one line per vector; a failure shows the step, a diff and the last frames. \
            Exit codes: 0 conformant, 1 a required vector failed or a known failure passed, \
            2 bad usage or unreachable server.
            """
    )

    @Option(help: "Base URL of the server under test, e.g. http://127.0.0.1:8080 or https://staging.example.com (WebSocket over wss://).")
    var server: String?

    @Option(help: ArgumentHelp("Trust these PEM certificates (a test CA or a self-signed certificate) for an https:// server instead of the system's.", valueName: "path"))
    var ca: String?

    @Flag(help: "Accept any certificate of an https:// server, without checking chain or host name (throwaway test certificates only).")
    var insecure = false

    @Option(help: "Harness command of the client under test, run with /bin/sh -c (e.g. 'sync-client harness').")
    var client: String?

    @Option(help: "HS256 secret shared with the server (or SYNC_CONFORMANCE_SECRET).")
    var secret: String?

    @Option(help: "ES256 private key (PEM file) whose public key the server trusts.")
    var key: String?

    @Option(help: "Shell command that prints a token (see the discussion).")
    var tokenCommand: String?

    @OptionGroup var suite: SuiteOptions

    @Option(help: "Only vectors matching: id glob (push.*), category or requirement id. Repeatable, comma-separated.")
    var filter: [String] = []

    @Option(help: "Leave out vectors matching (same forms as --filter). Repeatable, comma-separated.")
    var skip: [String] = []

    @Option(help: "Optional features the server supports, comma-separated (\(VectorFormat.features.joined(separator: ", "))).")
    var features: [String] = []

    @Option(help: ArgumentHelp("Another node of the implementation, for vectors that declare nodes: peer (a second node of the same deployment) or no-test-control (one started without test control). Repeatable.", valueName: "name=url"))
    var node: [String] = []

    @Option(help: "Implementation profile (YAML: name, features, known_failing, flaky).")
    var profile: String?

    @Option(help: "How many vectors run at once.")
    var parallel = 4

    @Option(help: "Write the JSON report here.")
    var reportJson: String?

    @Option(help: "Write the JUnit XML report here.")
    var reportJunit: String?

    @Option(help: "Write the HTML report here.")
    var reportHtml: String?

    func validate() throws {
        guard (server == nil) != (client == nil) else { throw ValidationError("give exactly one of --server and --client") }
        guard parallel >= 1 else { throw ValidationError("--parallel must be at least 1") }
        let unknown = splitList(features).filter { !VectorFormat.features.contains($0) }
        guard unknown.isEmpty else { throw ValidationError("unknown feature(s): \(unknown.joined(separator: ", "))") }
        if (ca != nil || insecure), !(server ?? "").hasPrefix("https://"), !node.contains(where: { $0.contains("=https://") }) {
            throw ValidationError("--ca and --insecure apply to https:// servers only")
        }
        _ = try nodeTargets()
    }

    /// The TLS context for https:// targets, made once.
    private func tlsContext() throws -> NIOSSLContext {
        do {
            return try TLSClientOptions(caFile: ca, insecure: insecure).makeContext()
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// `--node NAME=URL` values by name.
    func nodeTargets() throws -> [String: TargetServer] {
        var nodes: [String: TargetServer] = [:]
        for entry in node {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, parts[0].range(of: VectorFormat.nodePattern, options: .regularExpression) != nil,
                  let target = TargetServer(url: parts[1], tls: try tlsContext()) else {
                throw ValidationError("--node must be NAME=http(s)://host:port with NAME matching \(VectorFormat.nodePattern), got \(entry)")
            }
            nodes[parts[0]] = target
        }
        return nodes
    }

    func run() async throws {
        let suite = try suite.loadSuite()
        let loadedProfile: Profile?
        do {
            loadedProfile = try profile.map(Profile.load(path:))
        } catch {
            printError("cannot use profile \(profile ?? ""): \(error)")
            throw ExitCode(2)
        }
        let selection = Selection(filters: splitList(filter), skips: splitList(skip))
        if let client {
            let options = RunOptions(client: client, profile: loadedProfile, selection: selection, parallel: parallel, spec: suite.spec,
                                     progress: { line in printNow(line) })
            printNow("sync-conformance \(ConformanceRunner.version): \(suite.vectors.filter { $0.role == "client" }.count) client vectors against \(client)")
            try await finish(await ConformanceRunner.run(suite.vectors, options: options))
            return
        }
        let server = server ?? ""
        let tokens = try tokenSource()
        guard var target = TargetServer(url: server, tls: try tlsContext()) else {
            printError("--server must be an http:// or https:// URL, got \(server)")
            throw ExitCode(2)
        }
        if let spec = suite.spec {
            target.webSocketPath = spec.websocket.path
            target.subprotocol = spec.websocket.subprotocol
        }
        do {
            try await ConformanceRunner.preflight(target)
        } catch {
            printError("the server at \(server) is not reachable: \(error)")
            throw ExitCode(2)
        }
        var nodes = try nodeTargets()
        for (name, var server) in nodes {
            server.webSocketPath = target.webSocketPath
            server.subprotocol = target.subprotocol
            nodes[name] = server
        }
        var options = RunOptions(target: target, tokens: tokens, features: splitList(features), profile: loadedProfile,
                                 selection: selection, parallel: parallel,
                                 spec: suite.spec, progress: { line in printNow(line) })
        options.nodes = nodes
        printNow("sync-conformance \(ConformanceRunner.version): \(suite.vectors.count) vectors against \(server), features: \(options.supportedFeatures.joined(separator: ", "))")
        try await finish(await ConformanceRunner.run(suite.vectors, options: options))
    }

    /// Writes the reports, prints the summary and exits with the verdict.
    private func finish(_ report: RunReport) async throws {
        try writeReports(report)
        let counts = VectorStatus.allCases.map { "\(report.summary.byStatus[$0.rawValue] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
        printNow("\n\(counts)")
        printNow("required: \(report.summary.requiredPassed)/\(report.summary.required) passed; MUST \(report.summary.side) requirements covered: \(report.summary.mustCovered)/\(report.summary.mustRequirements); \(report.durationMs) ms")
        printNow(report.summary.exitCode == 0 ? "RESULT: conformant (exit 0)" : "RESULT: not conformant (exit 1)")
        if report.summary.exitCode != 0 { throw ExitCode(report.summary.exitCode) }
    }

    private func tokenSource() throws -> TokenSource {
        let secret = self.secret ?? ProcessInfo.processInfo.environment["SYNC_CONFORMANCE_SECRET"]
        let given = [secret != nil, key != nil, tokenCommand != nil].filter { $0 }.count
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

    private func writeReports(_ report: RunReport) throws {
        do {
            if let path = reportJson { try JSONReport.render(report).write(to: URL(fileURLWithPath: path)) }
            if let path = reportJunit { try Data(JUnitReport.render(report).utf8).write(to: URL(fileURLWithPath: path)) }
            if let path = reportHtml { try Data(HTMLReport.render(report).utf8).write(to: URL(fileURLWithPath: path)) }
        } catch {
            printError("cannot write a report: \(error.localizedDescription)")
            throw ExitCode(2)
        }
    }
}
