import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import SyncConformance

/// The JUnit and HTML renderings of a run: counts CI systems read, escaping of hostile wire
/// content, and the links between requirements and vectors.
@Suite struct ReportRenderingTests {
    private static let hostileBody = "{\"name\":\"</pre><script>alert(1)</script>\u{1}&\"}"

    private static func report() -> RunReport {
        let wire = [
            WireEntry(atMs: 3, connection: "a", direction: .sent, kind: .httpRequest, summary: "POST /v1/sync/push",
                      headers: [["content-type", "application/json"]], body: hostileBody),
            WireEntry(atMs: 9, connection: "a", direction: .received, kind: .httpResponse, summary: "200 OK", body: "{}"),
        ]
        let failure = FailureDetail(stepIndex: 2, step: "expect a", message: "$.status: expected \"applied\", got \"duplicate\"",
                                    diff: [" {", "-  \"status\": \"applied\"", "+  \"status\": \"duplicate\"", " }"])
        let vectors = [
            VectorReport(id: "push.create", title: "A create", category: "push", level: "MUST", requirements: ["REC-1"], features: [],
                         status: .failed, required: true, durationMs: 1234, attempts: 1, failure: failure, wireLog: wire),
            VectorReport(id: "auth.forged", title: "Forged", category: "auth", level: "MUST", requirements: ["AUTH-3"],
                         features: ["token-forging"], status: .skipped, required: false, reason: "needs token-forging"),
            VectorReport(id: "auth.ok", title: "Ok", category: "auth", level: "MUST", requirements: ["AUTH-1"], features: [],
                         status: .passed, required: true, durationMs: 5, attempts: 1),
            VectorReport(id: "auth.stale", title: "Stale", category: "auth", level: "MUST", requirements: ["AUTH-1"], features: [],
                         status: .unexpectedPass, required: false, reason: "bug 12", durationMs: 7, attempts: 1),
            VectorReport(id: "pull.down", title: "Down", category: "pull", level: "SHOULD", requirements: ["PULL-1"], features: [],
                         status: .error, required: false, durationMs: 30000, attempts: 1,
                         failure: FailureDetail(stepIndex: -1, step: "setup", message: "connection refused")),
        ]
        let requirements = [
            RequirementCoverage(id: "REC-1", level: "MUST", title: "Records", vectors: ["push.create"], passed: 0, failed: 1, notRun: 0),
            RequirementCoverage(id: "AUTH-1", level: "MUST", title: "Bearer", vectors: ["auth.ok", "auth.stale"], passed: 1, failed: 1, notRun: 0),
            RequirementCoverage(id: "TEN-9", level: "MUST", title: "Nobody", vectors: [], passed: 0, failed: 0, notRun: 0),
            RequirementCoverage(id: "SEQ-6", level: "MUST", title: "Clients keep", appliesTo: ["client"], vectors: [], passed: 0, failed: 0, notRun: 0),
        ]
        let summary = RunSummary(total: 5, byStatus: ["passed": 1, "failed": 1, "skipped": 1, "unexpected_pass": 1, "error": 1, "known_failing": 0],
                                 selected: 5, ran: 4, notTested: ["token-forging"], required: 2, requiredPassed: 1, mustRequirements: 3,
                                 mustCovered: 2, mustExercised: 2,
                                 verdict: "not conformant: 1 of 2 required vectors failed, 1 known failure passed; 4 of 5 selected vectors ran; not tested: token-forging",
                                 exitCode: 1)
        return RunReport(toolVersion: "1.0.0", specVersion: "1.0.0", target: "http://127.0.0.1:9", profile: "reference",
                         features: ["uploads"], startedAt: Date(timeIntervalSince1970: 1_767_225_600), durationMs: 4321,
                         vectors: vectors, requirements: requirements, summary: summary)
    }

    @Test func junitCountsFollowStatuses() throws {
        let xml = JUnitReport.render(Self.report())
        #expect(xml.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"))
        #expect(xml.contains("<testsuites name=\"sync-conformance\" tests=\"5\" failures=\"2\" errors=\"1\" skipped=\"1\" time=\"4.321\">"))
        #expect(xml.contains("<testsuite name=\"auth\" tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\" time=\"0.012\">"))
        #expect(xml.contains("<failure type=\"unexpected_pass\""))
        #expect(xml.contains("<error type=\"error\" message=\"connection refused\">"))
        #expect(xml.contains("<skipped message=\"needs token-forging\"/>"))
        #expect(xml.contains("-  &quot;status&quot;: &quot;applied&quot;"))
    }

    @Test func junitEscapesWireContent() {
        let xml = JUnitReport.render(Self.report())
        #expect(!xml.contains("<script>"))
        #expect(!xml.contains("\u{1}"))
        #expect(xml.contains("&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;\\u{1}&amp;"))
    }

    @Test func junitIsWellFormedXML() throws {
        let xml = JUnitReport.render(Self.report())
        let document = try XMLDocument(xmlString: xml)
        let cases = try document.nodes(forXPath: "//testcase")
        #expect(cases.count == 5)
    }

    @Test func htmlLinksRequirementsToVectorsAndEscapes() {
        let html = HTMLReport.render(Self.report())
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<a href=\"#v-auth.stale\">auth.stale</a>"))
        #expect(html.contains("<details id=\"v-push.create\" open>"))
        #expect(html.contains("<details id=\"v-auth.ok\">"))
        #expect(html.contains("<tr class=\"uncovered\"><td>TEN-9</td>"))
        #expect(html.contains("<tr class=\"skipped\"><td>SEQ-6</td><td>MUST</td><td>client</td>"))
        #expect(html.contains("MUST server requirements covered</th><td>2 of 3 by vectors, 2 exercised in this run</td>"))
        #expect(html.contains("<th>Verdict</th><td>not conformant: 1 of 2 required vectors failed, 1 known failure passed; 4 of 5 selected vectors ran; not tested: token-forging</td>"))
        #expect(html.contains("<th>Selected vectors that ran</th><td>4 of 5</td>"))
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("<span class=\"del\">-  &quot;status&quot;: &quot;applied&quot;</span>"))
    }

    @Test func htmlPutsFailuresFirst() throws {
        let html = HTMLReport.render(Self.report())
        let failed = try #require(html.range(of: "id=\"v-push.create\""))
        let error = try #require(html.range(of: "id=\"v-pull.down\""))
        let passed = try #require(html.range(of: "id=\"v-auth.ok\""))
        let skipped = try #require(html.range(of: "id=\"v-auth.forged\""))
        #expect(failed.lowerBound < error.lowerBound)
        #expect(error.lowerBound < passed.lowerBound)
        #expect(passed.lowerBound < skipped.lowerBound)
    }

    @Test func wireLogTextIndentsHeadersAndBody() {
        let lines = WireLogText.lines([WireEntry(atMs: 12, connection: "b", direction: .received, kind: .wsFrame,
                                                 summary: "text 2 bytes", headers: [["x", "y"]], body: "{}\nz")])
        #expect(lines == ["+    12ms b < text 2 bytes", "          x: y", "          | {}", "          | z"])
    }
}
