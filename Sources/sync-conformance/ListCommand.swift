import ArgumentParser
import SyncConformance

/// `sync-conformance list`: shows the vectors a run would consider, and which it would skip.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the vectors (id, level, category, requirements, features).")

    @OptionGroup var suite: SuiteOptions

    @Option(help: "Only vectors matching (id glob, category or requirement id). Repeatable, comma-separated.")
    var filter: [String] = []

    @Option(help: "Leave out vectors matching. Repeatable, comma-separated.")
    var skip: [String] = []

    func run() throws {
        let loaded = try suite.loadSuite()
        let selection = Selection(filters: splitList(filter), skips: splitList(skip))
        for vector in loaded.vectors where selection.exclusion(of: vector) == nil {
            let features = vector.neededFeatures.isEmpty ? "" : " [\(vector.neededFeatures.joined(separator: ", "))]"
            print("\(vector.id)  \(vector.level)  \(vector.category)  \(vector.requirements.map(\.value).joined(separator: ","))\(features)  \(vector.title)")
        }
    }
}
