import ArgumentParser
import Foundation
import Testing
@testable import sync_server

/// `docs/operator-guide.md` names every option of the commands an operator runs, spelt as
/// `--help` prints it, so a new option cannot ship undocumented.
@Suite struct OperatorGuideTests {
    static let guide = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/operator-guide.md")

    /// The long options a help text lists (`--name`), without `--help`.
    static func options(in help: String) -> Set<String> {
        let pattern = try! NSRegularExpression(pattern: "--[a-z][a-z0-9-]*")
        let range = NSRange(help.startIndex..., in: help)
        return Set(pattern.matches(in: help, range: range).compactMap { Range($0.range, in: help).map { String(help[$0]) } })
            .subtracting(["--help"])
    }

    @Test(arguments: ["serve", "token", "migrate", "backup"])
    func everyOptionIsDocumented(_ command: String) throws {
        let help = SyncServerCommand.helpMessage(for: try #require(
            [ServeCommand.self, TokenCommand.self, MigrateCommand.self, BackupCommand.self].first { $0.configuration.commandName == command }))
        let options = Self.options(in: help)
        #expect(options.count >= 2, "\(help)")
        let text = try String(contentsOf: Self.guide, encoding: .utf8)
        for option in options {
            #expect(text.contains("`\(option)") || text.contains(" \(option) "), "\(command) \(option) is not in docs/operator-guide.md")
        }
    }
}
