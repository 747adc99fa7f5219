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
                         summary: summary(vectors: vectors, requirements: requirements, side: options.client == nil ? "server" : "client"))
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

    /// Counts and the verdict: 0 when every required vector passed and nothing passed unexpectedly.
    static func summary(vectors: [VectorReport], requirements: [RequirementCoverage], side: String = "server") -> RunSummary {
        var byStatus: [String: Int] = [:]
        for status in VectorStatus.allCases { byStatus[status.rawValue] = vectors.filter { $0.status == status }.count }
        let required = vectors.filter(\.required)
        let requiredPassed = required.filter { $0.status == .passed }.count
        let unexpected = vectors.contains { $0.status == .unexpectedPass }
        // Coverage counts the rules that bind the side under test.
        let must = requirements.filter { $0.level == "MUST" && $0.appliesTo.contains(side) }
        return RunSummary(total: vectors.count, byStatus: byStatus, required: required.count, requiredPassed: requiredPassed,
                          side: side, mustRequirements: must.count, mustCovered: must.filter { !$0.vectors.isEmpty }.count,
                          exitCode: requiredPassed == required.count && !unexpected ? 0 : 1)
    }
}
