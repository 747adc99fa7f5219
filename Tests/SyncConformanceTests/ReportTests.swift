import Foundation
import Testing
@testable import SyncConformance

/// The JSON report round-trips, JUnit counts statuses, progress shows the failure.
@Suite struct ReportTests {
    static let failing = VectorReport(
        id: "push.x", title: "A <push> & more", category: "push", level: "MUST", requirements: ["RES-1"], features: ["http-sync"],
        status: .failed, required: true, durationMs: 1234, attempts: 1,
        failure: FailureDetail(stepIndex: 2, step: "expect a", message: "$.status: expected \"applied\", got \"duplicate\"",
                               expected: "{\n  \"status\": \"applied\"\n}", actual: "{\n  \"status\": \"duplicate\"\n}",
                               diff: LineDiff.diff(expected: "{\n  \"status\": \"applied\"\n}", actual: "{\n  \"status\": \"duplicate\"\n}")),
        wireLog: [WireEntry(atMs: 3, connection: "a", direction: .received, kind: .wsFrame, summary: "text 20 bytes", body: "{\"status\":\"duplicate\"}")])

    static var report: RunReport {
        let vectors = [
            failing,
            VectorReport(id: "auth.y", title: "y", category: "auth", level: "MUST", requirements: ["AUTH-1"], features: [],
                         status: .knownFailing, required: false, reason: "bug 7", durationMs: 10, attempts: 1),
            VectorReport(id: "auth.z", title: "z", category: "auth", level: "MAY", requirements: ["AUTH-1"], features: ["uploads"],
                         status: .skipped, required: false, reason: "feature not supported: uploads"),
        ]
        let summary = ReportBuilder.summary(vectors: vectors, requirements: [])
        return RunReport(toolVersion: "1.0.0", specVersion: "1.0.0", target: "http://127.0.0.1:1", profile: "p", features: ["test-control"],
                         startedAt: Date(timeIntervalSince1970: 1_767_225_600), durationMs: 2000, vectors: vectors, requirements: [],
                         summary: summary)
    }

    @Test func jsonRoundTripsWithSnakeCaseKeys() throws {
        let data = try JSONReport.render(Self.report)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"known_failing\" : 1") && text.contains("\"started_at\" : \"2026-01-01T00:00:00Z\""))
        #expect(text.contains("\"step_index\" : 2") && text.contains("\"at_ms\" : 3"))
        #expect(try JSONReport.decode(data) == Self.report)
    }

    @Test func summaryCountsAndVerdict() {
        let summary = Self.report.summary
        #expect(summary.byStatus == ["passed": 0, "failed": 1, "skipped": 1, "known_failing": 1, "unexpected_pass": 0, "error": 0])
        #expect(summary.required == 1 && summary.requiredPassed == 0 && summary.exitCode == 1)
    }

    @Test func progressShowsDiffAndWireTail() {
        #expect(ProgressFormatter.line(Self.failing) == "FAIL   push.x (1234 ms)")
        let details = ProgressFormatter.details(Self.failing)
        #expect(details.contains("step 3: expect a"))
        #expect(details.contains("-   \"status\": \"applied\""))
        #expect(details.contains("+   \"status\": \"duplicate\""))
        #expect(details.contains("a << text 20 bytes"))
    }
}
