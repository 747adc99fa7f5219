public import Foundation
public import SyncSpec

/// Runs a set of vectors against a target and builds the report: selection, feature checks,
/// the profile's known failures and flaky retries, `parallel` vectors at a time (`exclusive`
/// ones alone, after the others).
public enum ConformanceRunner {
    /// The runner's version, written into reports.
    public static let version = "1.0.0"

    /// Checks that the target answers HTTP at all (any status), so an unreachable server is a
    /// usage error before any vector runs.
    public static func preflight(_ target: TargetServer, timeout: Duration = .seconds(5)) async throws {
        let request = HTTPRequest(method: "GET", target: target.basePath + "/health", headers: [], body: .none)
        _ = try await target.client.send(request, before: .now + timeout)
    }

    /// Runs `vectors` and returns the report (its `summary.exitCode` is the run's verdict).
    public static func run(_ vectors: [Vector], options: RunOptions) async -> RunReport {
        let startedAt = Date()
        let start = ContinuousClock.now
        let runId = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        let supported = Set(options.supportedFeatures)
        // A run tests one side: the other side's vectors are not part of its report.
        let side = options.client == nil ? "server" : "client"
        let ordered = vectors.filter { $0.role == side }.sorted { $0.id < $1.id }
        var reports: [Int: VectorReport] = [:]
        var runnable: [(Int, Vector)] = []
        for (index, vector) in ordered.enumerated() {
            if let reason = skipReason(vector, options: options, supported: supported) {
                let report = VectorReport(id: vector.id, title: vector.title, category: vector.category, level: vector.level,
                                          requirements: vector.requirements.map(\.value), features: vector.neededFeatures,
                                          status: .skipped, required: false, reason: reason,
                                          selected: options.selection.exclusion(of: vector) == nil,
                                          missing: missing(vector, options: options, supported: supported))
                reports[index] = report
                // Vectors --filter and --skip leave out are counted in the summary, not listed.
                if report.selected { options.progress(ProgressFormatter.line(report)) }
            } else {
                runnable.append((index, vector))
            }
        }
        let runner = options.target.map {
            VectorRunner(target: $0, nodes: options.nodes, tokens: options.tokens, invariants: WireInvariants(spec: options.spec))
        }
        let clientRunner = options.client.map { ClientVectorRunner(command: $0) }
        // Vectors that read server-wide state run alone, once every other vector has finished.
        for (batch, parallel) in [(runnable.filter { !$0.1.exclusive }, options.parallel), (runnable.filter(\.1.exclusive), 1)] {
            await withTaskGroup(of: (Int, VectorReport).self) { group in
                var pending = batch[...]
                func launch() {
                    guard let (index, vector) = pending.popFirst() else { return }
                    group.addTask {
                        let attempt: @Sendable (String) async -> AttemptOutcome = { prefix in
                            if let clientRunner { return await clientRunner.attempt(vector) }
                            guard let runner else { return AttemptOutcome(status: .error, failure: nil, wireLog: [], durationMs: 0) }
                            return await runner.attempt(vector, tenantPrefix: prefix)
                        }
                        return (index, await runOne(vector, index: index, runId: runId, attempt: attempt, profile: options.profile))
                    }
                }
                for _ in 0..<max(1, parallel) { launch() }
                while let (index, report) = await group.next() {
                    reports[index] = report
                    options.progress(ProgressFormatter.line(report) + ProgressFormatter.details(report))
                    launch()
                }
            }
        }
        let vectorReports = ordered.indices.compactMap { reports[$0] }
        let duration = start.duration(to: .now)
        return ReportBuilder.report(vectors: vectorReports, options: options, supported: supported, startedAt: startedAt,
                                    durationMs: Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000))
    }

    static func skipReason(_ vector: Vector, options: RunOptions, supported: Set<String>) -> String? {
        if let reason = options.selection.exclusion(of: vector) { return reason }
        let absent = vector.nodes.map(\.value).filter { options.nodes[$0] == nil }
        if !absent.isEmpty { return "needs node \(absent.map { "'\($0)'" }.joined(separator: ", ")) (--node NAME=URL)" }
        let missing = vector.neededFeatures.filter { !supported.contains($0) }
        if !missing.isEmpty { return "feature not supported: \(missing.joined(separator: ", "))" }
        return nil
    }

    /// The features and nodes (`node NAME`) the vector needs that the run lacks.
    static func missing(_ vector: Vector, options: RunOptions, supported: Set<String>) -> [String] {
        vector.neededFeatures.filter { !supported.contains($0) }
            + vector.nodes.map(\.value).filter { options.nodes[$0] == nil }.map { "node \($0)" }
    }

    static func runOne(_ vector: Vector, index: Int, runId: String, attempt: @Sendable (String) async -> AttemptOutcome,
                       profile: Profile?) async -> VectorReport {
        var outcome = await attempt("ct-\(runId)-\(index)")
        var attempts = 1
        if outcome.status != .passed, profile?.flaky.contains(vector.id) == true {
            let retry = await attempt("ct-\(runId)-\(index)r")
            attempts = 2
            if retry.status == .passed || outcome.status == .error { outcome = retry }
        }
        var status = outcome.status
        var reason: String?
        let knownReason = profile?.knownFailing[vector.id]
        if let knownReason {
            reason = knownReason
            status = outcome.status == .passed ? .unexpectedPass : .knownFailing
        }
        let required = vector.level == "MUST" && knownReason == nil
        return VectorReport(id: vector.id, title: vector.title, category: vector.category, level: vector.level,
                            requirements: vector.requirements.map(\.value), features: vector.neededFeatures, status: status,
                            required: required, reason: reason, durationMs: outcome.durationMs, attempts: attempts,
                            failure: outcome.failure, wireLog: outcome.wireLog)
    }
}
