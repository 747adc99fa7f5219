import Foundation
import Testing
@testable import SyncConformance
import SyncTestSupport

extension ConformanceIntegration {
    /// Every client vector against the reference client (`sync-client harness`), through the
    /// built binaries: the runner plays the server, all MUST vectors pass, every MUST client
    /// requirement is covered, and the three reports are written.
    @Suite struct ReferenceClientTests {
        @Test func everyClientVectorPassesAgainstTheReferenceClient() async throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("client-run-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let json = directory.appendingPathComponent("r.json").path
            let junit = directory.appendingPathComponent("r.xml").path
            let html = directory.appendingPathComponent("r.html").path
            let harness = ServerProcess.executable("sync-client").path + " harness"
            let run = try await runConformanceBinary(["run", "--client", harness, "--report-json", json, "--report-junit", junit,
                                                      "--report-html", html, "--parallel", "2"])
            #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")

            let report = try JSONReport.decode(Data(contentsOf: URL(fileURLWithPath: json)))
            let suite = try VectorSuite.load(vectors: "Vectors", spec: "Spec", schema: "Conformance/vector.schema.json")
            let clientVectors = suite.vectors.filter { $0.role == "client" }
            #expect(run.stdout.contains("RESULT: conformant: all \(clientVectors.count) selected vectors ran (exit 0)"))
            #expect(clientVectors.count >= 40)
            #expect(report.vectors.map(\.id) == clientVectors.map(\.id).sorted())
            #expect(report.summary.side == "client")
            #expect(report.target == "client: \(harness)")
            #expect(report.vectors.allSatisfy { $0.status == .passed }, "\(report.vectors.filter { $0.status != .passed }.map(\.id))")
            #expect(report.summary.mustRequirements == suite.spec?.requirements.filter { $0.level == .must && $0.appliesTo.contains(.client) }.count)
            #expect(report.summary.mustCovered == report.summary.mustRequirements)
            #expect(report.vectors.allSatisfy { !$0.wireLog.isEmpty })
            let counts = try JUnitCounts(path: junit)
            #expect(counts.testcases == report.vectors.count && counts.failures == 0)
            let page = try String(contentsOfFile: html, encoding: .utf8)
            #expect(page.contains("MUST client requirements covered"))
        }
    }
}
