import ArgumentParser
import Foundation
import SyncConformance
import SyncProtocol

/// `sync-conformance`: replays the MobileSync conformance vectors against an implementation.
@main
struct SyncConformanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync-conformance",
        abstract: "Check a MobileSync server against the conformance vectors in Vectors/.",
        discussion: """
            Start your server with test control enabled, then run the vectors against it:
              sync-conformance run --server http://127.0.0.1:8080 --secret "$SECRET" \\
                --profile my-server.yaml --report-junit conformance.xml

            Find out what it supports:  sync-conformance probe --server URL --secret "$SECRET"
            Check vectors you wrote:    sync-conformance lint
            See what would run:         sync-conformance list --filter auth

            The RESULT line says how many selected vectors ran and which features were not \
            tested. Exit codes: 0 every required vector passed (and at least one ran); 1 a \
            required vector failed, a known-failing one passed or nothing ran; 2 bad usage (unknown option, unreadable or invalid vectors, \
            unreachable server). The vector format and every option: Conformance/README.md.
            """,
        version: "sync-conformance \(ConformanceRunner.version) (built for protocol \(ProtocolInfo.name) \(ProtocolInfo.version); "
            + "the vectors' spec version is read from --spec at run time)",
        subcommands: [RunCommand.self, ProbeCommand.self, DeriveCommand.self, LintCommand.self, ListCommand.self]
    )

    /// Parses and runs a command; usage errors exit 2 (not ArgumentParser's 64).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .success || error is ExitCode {
                exit(withError: error)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
    }
}
