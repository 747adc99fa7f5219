import ArgumentParser
import Foundation
import SyncConformance

/// `sync-conformance probe`: finds out which optional features a server has and suggests a profile.
struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Find out which optional features a server supports and print a profile for `run --profile`.",
        discussion: """
            Each feature's endpoint is asked without a token and compared with a path that \
            cannot exist: an endpoint that exists answers 401, an unknown path (or a disabled \
            test control) 404. A server that answers unknown paths like protected ones is asked \
            again with a token of a fresh tenant (give --secret, --key or --token-command), \
            through requests that change nothing: reads, and bodies every server must refuse.

            heartbeat-timing and storage-quota cannot be seen on the wire: the probe says why \
            and leaves them out; add them by hand when they apply. token-forging follows from \
            the token source: --secret and --key can forge, --token-command cannot.

            Example:
              sync-conformance probe --server http://127.0.0.1:8080 --secret "$S" --write-profile my-server.yaml
              sync-conformance run --server http://127.0.0.1:8080 --secret "$S" --profile my-server.yaml
            """
    )

    @Option(help: "Base URL of the server to probe.")
    var server: String

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "The name written into the suggested profile.")
    var name = "my server"

    @Option(help: ArgumentHelp("Write the suggested profile here instead of printing it.", valueName: "path"))
    var writeProfile: String?

    func validate() throws {
        try connection.validate(urls: [server])
    }

    func run() async throws {
        let target = try connection.target(server)
        let tokens = try connection.tokenSource(required: false)
        let findings: [FeatureFinding]
        do {
            findings = try await FeatureProbe.probe(target, tokens: tokens)
        } catch {
            printError("the server at \(server) is not reachable: \(error)")
            throw ExitCode(2)
        }
        let width = findings.map(\.feature.count).max() ?? 0
        for finding in findings {
            printNow("\(finding.feature.padding(toLength: width, withPad: " ", startingAt: 0))  \(finding.verdict.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0))  \(finding.evidence)")
        }
        let profile = FeatureProbe.profile(findings, name: name)
        guard let writeProfile else {
            printNow("\n" + profile.dropLast())
            return
        }
        do {
            try Data(profile.utf8).write(to: URL(fileURLWithPath: writeProfile))
        } catch {
            printError("cannot write \(writeProfile): \(error.localizedDescription)")
            throw ExitCode(2)
        }
        printNow("\nprofile written to \(writeProfile); run with --profile \(writeProfile)")
    }
}
