import ArgumentParser
import SyncClientHarness

/// `fault-injection-client --fault NAME`: the conformance harness (`Conformance/harness.md`)
/// over the reference client with one deliberate bug, for proving the client vectors catch it.
@main
struct FaultInjectionClient: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fault-injection-client",
        abstract: "The reference client's harness with one injected fault (test-only).",
        discussion: "Faults: \(ClientFault.allCases.map(\.rawValue).joined(separator: ", ")); none is the faithful client.")

    @Option(help: "The fault to inject.")
    var fault: ClientFault

    func run() async throws {
        await HarnessRunner.run(fault.customization)
    }
}
