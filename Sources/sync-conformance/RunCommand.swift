import ArgumentParser
import Foundation
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
            The RESULT line says how many selected vectors ran and which features and nodes \
            were not tested: a run that skipped most of the suite says so. --features all \
            declares every feature; `sync-conformance probe` suggests a profile.

            Exit codes: 0 conformant (at least one vector ran), 1 a required vector failed, a \
            known failure passed or nothing ran, 2 bad usage or unreachable server.
            """
    )

    @Option(help: "Base URL of the server under test, e.g. http://127.0.0.1:8080 or https://staging.example.com (WebSocket over wss://).")
    var server: String?

    @Option(help: "Harness command of the client under test, run with /bin/sh -c (e.g. 'sync-client harness').")
    var client: String?

    @OptionGroup var connection: ConnectionOptions

    @OptionGroup var suite: SuiteOptions

    @Option(help: "Only vectors matching: id glob (push.*), category or requirement id. Repeatable, comma-separated.")
    var filter: [String] = []

    @Option(help: "Leave out vectors matching (same forms as --filter). Repeatable, comma-separated.")
    var skip: [String] = []

    @Option(help: "Optional features the server supports, comma-separated (\(VectorFormat.features.joined(separator: ", "))), or all.")
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
        let unknown = splitList(features).filter { !VectorFormat.features.contains($0) && $0 != VectorFormat.allFeatures }
        guard unknown.isEmpty else { throw ValidationError("unknown feature(s): \(unknown.joined(separator: ", "))") }
        try connection.validate(urls: [server ?? ""] + node.map { String($0.drop { $0 != "=" }.dropFirst()) })
        _ = try nodeTargets()
    }

    /// `--node NAME=URL` values by name.
    func nodeTargets() throws -> [String: TargetServer] {
        var nodes: [String: TargetServer] = [:]
        for entry in node {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, parts[0].range(of: VectorFormat.nodePattern, options: .regularExpression) != nil,
                  let target = TargetServer(url: parts[1], tls: try connection.tlsContext()) else {
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
        guard let tokens = try connection.tokenSource() else { throw ExitCode(2) }
        var target = try connection.target(server)
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
        var options = RunOptions(target: target, tokens: tokens, features: VectorFormat.expand(features: splitList(features)), profile: loadedProfile,
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
        let summary = report.summary
        printNow("required: \(summary.requiredPassed)/\(summary.required) passed; MUST \(summary.side) requirements covered by vectors: \(summary.mustCovered)/\(summary.mustRequirements), exercised in this run: \(summary.mustExercised); \(report.durationMs) ms")
        printNow("RESULT: \(summary.verdict) (exit \(summary.exitCode))")
        if report.summary.exitCode != 0 { throw ExitCode(report.summary.exitCode) }
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
