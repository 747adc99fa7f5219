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

    private static func vector(_ id: String, _ status: VectorStatus, level: String = "MUST", selected: Bool = true,
                               missing: [String] = []) -> VectorReport {
        VectorReport(id: id, title: id, category: "push", level: level, requirements: ["REC-1"], features: missing, status: status,
                     required: level == "MUST" && ![.skipped, .knownFailing, .unexpectedPass].contains(status), selected: selected, missing: missing)
    }

    /// A run that skipped most of its selection says so; the filtered-out vectors count nowhere.
    @Test func verdictSaysHowMuchRanAndWhatWasNotTested() {
        let partial = ReportBuilder.summary(vectors: [
            Self.vector("a", .passed), Self.vector("b", .skipped, missing: ["uploads"]),
            Self.vector("c", .skipped, missing: ["http-sync", "uploads"]), Self.vector("d", .skipped, missing: ["node peer"]),
            Self.vector("e", .skipped, selected: false),
        ], requirements: [], features: ["test-control"])
        #expect(partial.selected == 4 && partial.ran == 1 && partial.notTested == ["http-sync", "uploads", "node peer"])
        #expect(partial.verdict == "conformant for features [test-control]: 1 of 4 selected vectors ran; not tested: http-sync, uploads, node peer")
        #expect(partial.exitCode == 0)

        let whole = ReportBuilder.summary(vectors: [Self.vector("a", .passed), Self.vector("e", .skipped, selected: false)],
                                          requirements: [], features: ["test-control"])
        #expect(whole.verdict == "conformant: all 1 selected vectors ran" && whole.exitCode == 0)

        let failing = ReportBuilder.summary(vectors: [Self.vector("a", .failed), Self.vector("b", .passed), Self.vector("c", .unexpectedPass),
                                                      Self.vector("d", .skipped, missing: ["metrics"])], requirements: [])
        #expect(failing.verdict == "not conformant: 1 of 2 required vectors failed, 1 known failure passed; 3 of 4 selected vectors ran; not tested: metrics")
        #expect(failing.exitCode == 1)
    }

    /// Nothing ran, so nothing can be called conformant: exit 1.
    @Test func aRunThatRanNothingIsNotConformant() {
        let nothing = ReportBuilder.summary(vectors: [Self.vector("a", .skipped, missing: ["uploads"]),
                                                      Self.vector("b", .skipped, selected: false)], requirements: [])
        #expect(nothing.verdict == "nothing tested: 0 of 1 selected vectors ran; not tested: uploads")
        #expect(nothing.exitCode == 1)
        let empty = ReportBuilder.summary(vectors: [], requirements: [])
        #expect(empty.verdict == "nothing tested: no vector selected" && empty.exitCode == 1)
    }

    /// MUST requirements exercised: cited by a vector that ran, not merely by one in the suite.
    @Test func mustExercisedCountsOnlyRequirementsWhoseVectorsRan() {
        let requirements = [
            RequirementCoverage(id: "REC-1", level: "MUST", title: "r", vectors: ["a"], passed: 1, failed: 0, notRun: 0),
            RequirementCoverage(id: "UPL-1", level: "MUST", title: "u", vectors: ["b"], passed: 0, failed: 0, notRun: 1),
            RequirementCoverage(id: "AUTH-1", level: "MUST", title: "x", vectors: ["c"], passed: 0, failed: 1, notRun: 0),
        ]
        let summary = ReportBuilder.summary(vectors: [Self.vector("a", .passed)], requirements: requirements)
        #expect(summary.mustCovered == 3 && summary.mustExercised == 2)
    }

    @Test func featuresAllMeansEveryFeature() {
        #expect(VectorFormat.expand(features: ["all"]) == VectorFormat.features)
        #expect(VectorFormat.expand(features: ["uploads"]) == ["uploads"])
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
