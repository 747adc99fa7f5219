import ArgumentParser
import SyncClientHarness

/// `sync-client harness`: the reference SDK behind the conformance harness protocol
/// (`Conformance/harness.md`): JSON-line instructions on stdin, answers and events on stdout.
struct HarnessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "harness",
        abstract: "Speak the conformance harness protocol on stdin and stdout (Conformance/harness.md).",
        discussion: "Reads one JSON instruction per line until end of input, then stops the client and exits 0.")

    func run() async throws {
        await HarnessRunner.run()
    }
}
