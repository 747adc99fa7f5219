import Foundation
import SyncSpec

/// Assembles the run report: coverage per spec requirement and the summary with the exit code.
enum ReportBuilder {
    static func report(vectors: [VectorReport], options: RunOptions, supported: Set<String>, startedAt: Date, durationMs: Int) -> RunReport {
        let requirements = coverage(vectors: vectors, spec: options.spec)
        return RunReport(toolVersion: ConformanceRunner.version, specVersion: options.spec.map { "\($0.version)" } ?? "unknown",
                         target: options.client.map { "client: \($0)" } ?? options.target?.url ?? "", profile: options.profile?.name,
                         features: VectorFormat.features.filter { supported.contains($0) }, startedAt: startedAt,
                         durationMs: durationMs, vectors: vectors, requirements: requirements,
                         summary: summary(vectors: vectors, requirements: requirements, side: options.client == nil ? "server" : "client",
                                          features: VectorFormat.features.filter { supported.contains($0) }))
    }

    /// One entry per spec requirement, in spec order.
    static func coverage(vectors: [VectorReport], spec: ProtocolSpec?) -> [RequirementCoverage] {
        guard let spec else { return [] }
        return spec.requirements.map { requirement in
            let citing = vectors.filter { $0.requirements.contains(requirement.id) }
            return RequirementCoverage(
                id: requirement.id, level: requirement.level.rawValue, title: requirement.title,
                appliesTo: requirement.appliesTo.map(\.rawValue), vectors: citing.map(\.id),
                passed: citing.filter { $0.status == .passed }.count,
                failed: citing.filter { [.failed, .error, .unexpectedPass].contains($0.status) }.count,
                notRun: citing.filter { [.skipped, .knownFailing].contains($0.status) }.count)
        }
    }

    /// Counts and the verdict: exit 0 when at least one selected vector ran, every required
    /// vector passed and nothing passed unexpectedly. `features` are the features the run
    /// treated as supported, named in a verdict that did not run the whole selection.
    static func summary(vectors: [VectorReport], requirements: [RequirementCoverage], side: String = "server",
                        features: [String] = []) -> RunSummary {
        var byStatus: [String: Int] = [:]
        for status in VectorStatus.allCases { byStatus[status.rawValue] = vectors.filter { $0.status == status }.count }
        let selected = vectors.filter(\.selected)
        let ran = selected.filter { $0.status != .skipped }
        let lacking = Set(selected.filter { $0.status == .skipped }.flatMap(\.missing))
        let notTested = VectorFormat.features.filter { lacking.contains($0) } + lacking.filter { !VectorFormat.features.contains($0) }.sorted()
        let required = vectors.filter(\.required)
        let requiredPassed = required.filter { $0.status == .passed }.count
        let unexpected = vectors.filter { $0.status == .unexpectedPass }.count
        // Coverage counts the rules that bind the side under test.
        let must = requirements.filter { $0.level == "MUST" && $0.appliesTo.contains(side) }
        let counts = VerdictCounts(selected: selected.count, ran: ran.count, required: required.count,
                                   requiredFailed: required.count - requiredPassed, unexpectedPasses: unexpected)
        return RunSummary(total: vectors.count, byStatus: byStatus, selected: selected.count, ran: ran.count, notTested: notTested,
                          required: required.count, requiredPassed: requiredPassed, side: side, mustRequirements: must.count,
                          mustCovered: must.filter { !$0.vectors.isEmpty }.count,
                          mustExercised: must.filter { $0.passed + $0.failed > 0 }.count,
                          verdict: counts.verdict(features: features, notTested: notTested), exitCode: counts.conformant ? 0 : 1)
    }
}

/// The numbers a verdict rests on, and its one-line wording.
struct VerdictCounts: Equatable {
    var selected: Int
    var ran: Int
    var required: Int
    var requiredFailed: Int
    var unexpectedPasses: Int

    /// A run is conformant only when it tested something and nothing required went wrong.
    var conformant: Bool { ran > 0 && requiredFailed == 0 && unexpectedPasses == 0 }

    func verdict(features: [String], notTested: [String]) -> String {
        let extent = ran == selected ? "all \(selected) selected vectors ran"
            : "\(ran) of \(selected) selected vectors ran" + (notTested.isEmpty ? "" : "; not tested: \(notTested.joined(separator: ", "))")
        if selected == 0 { return "nothing tested: no vector selected" }
        if ran == 0 { return "nothing tested: \(extent)" }
        if conformant {
            return ran == selected ? "conformant: \(extent)" : "conformant for features [\(features.joined(separator: ", "))]: \(extent)"
        }
        var problems: [String] = []
        if requiredFailed > 0 { problems.append("\(requiredFailed) of \(required) required vectors failed") }
        if unexpectedPasses > 0 { problems.append("\(unexpectedPasses) known failure\(unexpectedPasses == 1 ? "" : "s") passed") }
        return "not conformant: \(problems.joined(separator: ", ")); \(extent)"
    }
}
