import Foundation
import SyncTestSupport
import Testing
@testable import SyncConformance

extension ConformanceIntegration {
    /// The harness protocol is language-neutral: a naive client written in Python
    /// (`Conformance/examples/naive_harness.py`) runs through the same client vectors, and its
    /// failures are exactly the ones its profile expects.
    @Suite struct ForeignClientTests {
        @Test func theNaivePythonClientFailsExactlyWhereItsProfileSays() async throws {
            let json = FileManager.default.temporaryDirectory.appendingPathComponent("naive-\(UUID().uuidString).json").path
            defer { try? FileManager.default.removeItem(atPath: json) }
            let profilePath = "Conformance/examples/naive-python-client.yaml"
            let python = try await PythonTools.interpreter().path
            let run = try await runConformanceBinary(["run", "--client", "'\(python)' Conformance/examples/naive_harness.py",
                                                      "--profile", profilePath, "--report-json", json, "--parallel", "4"])
            #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
            let report = try JSONReport.decode(Data(contentsOf: URL(fileURLWithPath: json)))
            let profile = try Profile.load(path: profilePath)
            let known = report.vectors.filter { $0.status == .knownFailing }.map(\.id)
            #expect(Set(known) == Set(profile.knownFailing.keys))
            #expect(report.vectors.filter { $0.status == .passed }.count == report.vectors.count - known.count)
            #expect(known.count >= 20, "the naive client must show several kinds of client faults")
        }
    }
}
