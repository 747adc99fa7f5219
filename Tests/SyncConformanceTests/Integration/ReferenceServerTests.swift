import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import SyncConformance
import SyncTestSupport

extension ConformanceIntegration {
    /// Every vector in `Vectors/` against the real reference server, through the built binary, with
    /// the three reports written and read back.
    @Suite struct ReferenceServerTests {
        @Test func everyVectorPassesAndTheReportsParse() async throws {
            let server = try ConformanceServer()
            try await server.start()
            defer { server.stop() }
            // The same server without test control, for TEST-1.
            let plain = try ConformanceServer(leadingArguments: ["serve"])
            try await plain.start()
            defer { plain.stop() }
            let json = server.directory.appendingPathComponent("r.json").path
            let junit = server.directory.appendingPathComponent("r.xml").path
            let html = server.directory.appendingPathComponent("r.html").path
            let run = try await runConformanceBinary(["run", "--server", server.url, "--profile", "Conformance/reference-server.yaml",
                                                "--report-json", json, "--report-junit", junit, "--report-html", html, "--parallel", "2",
                                                 "--node", "no-test-control=\(plain.url)"],
                                               environment: ["SYNC_CONFORMANCE_SECRET": server.secret])
            #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")

            let report = try JSONReport.decode(Data(contentsOf: URL(fileURLWithPath: json)))
            let suite = try VectorSuite.load(vectors: "Vectors", spec: "Spec", schema: "Conformance/vector.schema.json")
            // One node: the verdict names the peer it could not test.
            let serverVectors = suite.vectors.filter { $0.role == "server" }.count
            #expect(run.stdout.contains("RESULT: conformant for features [\(VectorFormat.features.joined(separator: ", "))]: \(serverVectors - 1) of \(serverVectors) selected vectors ran; not tested: node peer (exit 0)"))
            #expect(report.summary.notTested == ["node peer"] && report.summary.ran == serverVectors - 1)
            // A server run reports the server vectors; client vectors belong to client runs.
            #expect(report.vectors.map(\.id) == suite.vectors.filter { $0.role == "server" }.map(\.id))
            #expect(report.summary.exitCode == 0)
            #expect(report.summary.required > 0 && report.summary.required == report.summary.requiredPassed)
            // Every vector passes but those the profile knows to fail, which fail.
            let profile = try Profile.load(path: "Conformance/reference-server.yaml")
            #expect(report.vectors.allSatisfy { [.passed, .skipped].contains($0.status) || profile.knownFailing[$0.id] != nil })
            #expect(report.vectors.filter { $0.status == .knownFailing }.map(\.id).sorted() == profile.knownFailing.keys.sorted())
            // Only vectors needing a second node of one deployment (POL-4) are skipped: SQLite runs one node.
            #expect(report.vectors.filter { $0.status == .skipped }.map(\.id) == ["policies.change-reaches-peer-node"])
            #expect(report.summary.mustCovered == report.summary.mustRequirements)
            #expect(report.vectors.filter { $0.status == .passed }.allSatisfy { !$0.wireLog.isEmpty })
            #expect(report.requirements.count == suite.spec?.requirements.count)
            #expect(report.requirements.first { $0.id == "AUTH-3" }?.vectors.contains("auth.alg-none-refused") == true)
            let raw = try String(contentsOfFile: json, encoding: .utf8)
            #expect(raw.contains("\"started_at\"") && raw.contains("\"wire_log\"") && raw.contains("\"by_status\""))

            let counts = try JUnitCounts(path: junit)
            #expect(counts.testcases == report.vectors.count)
            #expect(counts.failures == 0)
            // JUnit reports known failures as skipped too.
            #expect(counts.skipped == (report.summary.byStatus["skipped"] ?? 0) + (report.summary.byStatus["known_failing"] ?? 0))
            let page = try String(contentsOfFile: html, encoding: .utf8)
            #expect(page.contains("<table") && page.contains("handshake.hello-welcome"))
        }

        /// The same run against two nodes on one PostgreSQL database: nothing is skipped, the
        /// peer-node vector (POL-4) included.
        @Test func everyVectorPassesOnTwoPostgreSQLNodes() async throws {
            let server = try ConformanceServer(postgres: true)
            try await server.start()
            defer { server.stop() }
            let peer = try ConformanceServer(peerOf: server)
            try await peer.start()
            defer { peer.stop() }
            let plain = try ConformanceServer(leadingArguments: ["serve"])
            try await plain.start()
            defer { plain.stop() }
            let json = server.directory.appendingPathComponent("r.json").path
            let run = try await runConformanceBinary(["run", "--server", server.url, "--profile", "Conformance/reference-server.yaml",
                                                      "--report-json", json, "--parallel", "2", "--node", "no-test-control=\(plain.url)",
                                                      "--node", "peer=\(peer.url)"],
                                                     environment: ["SYNC_CONFORMANCE_SECRET": server.secret])
            #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
            #expect(run.stdout.contains("RESULT: conformant: all "))
            #expect(run.stdout.contains(" selected vectors ran (exit 0)"))
            let report = try JSONReport.decode(Data(contentsOf: URL(fileURLWithPath: json)))
            #expect(report.summary.ran == report.summary.selected && report.summary.notTested.isEmpty)
            #expect(report.summary.mustExercised == report.summary.mustCovered)
            #expect(report.summary.required > 0 && report.summary.required == report.summary.requiredPassed)
            #expect(report.summary.mustCovered == report.summary.mustRequirements)
            #expect(report.vectors.filter { $0.status == .skipped }.isEmpty)
            #expect(report.vectors.first { $0.id == "policies.change-reaches-peer-node" }?.status == .passed)
        }
    }

}
extension ConformanceIntegration.ReferenceServerTests {
    /// Tokens from the implementer's command (here `sync-server token`): forging vectors are skipped, the rest pass.
    @Test func tokensFromACommand() async throws {
        let server = try ConformanceServer()
        try await server.start()
        defer { server.stop() }
        let minter = ServerProcess.executable("sync-server").path
        let command = "\(minter) token --secret \(server.secret) --tenant \"$MS_TENANT_ID\" --user \"$MS_SUB\" "
            + "${MS_DEVICE_ID:+--device \"$MS_DEVICE_ID\"} ${MS_ROLES:+--role \"$MS_ROLES\"} --now-ms $((MS_EXP - 3600))000 --ttl 3600"
        let run = try await runConformanceBinary(["run", "--server", server.url, "--token-command", command, "--features", "token-forging,http-sync",
                                            "--filter", "auth,handshake"])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("SKIP   auth.alg-none-refused (0 ms) - feature not supported: token-forging"))
        #expect(run.stdout.contains("PASS   auth.expired-token-rest"))
    }
}

/// Counts of a JUnit XML file, read with an XML parser (so the file must be well-formed).
final class JUnitCounts: NSObject, XMLParserDelegate {
    private(set) var testcases = 0
    private(set) var failures = 0
    private(set) var skipped = 0

    init(path: String) throws {
        super.init()
        let parser = XMLParser(data: try Data(contentsOf: URL(fileURLWithPath: path)))
        parser.delegate = self
        guard parser.parse() else { throw parser.parserError ?? CocoaError(.fileReadCorruptFile) }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        switch name {
        case "testcase": testcases += 1
        case "failure", "error": failures += 1
        case "skipped": skipped += 1
        default: break
        }
    }
}
