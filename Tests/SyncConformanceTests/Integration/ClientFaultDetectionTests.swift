import Foundation
import Testing
@testable import SyncConformance
import SyncTestSupport

extension ConformanceIntegration {
    /// The client vectors catch every injected client fault (`Tests/FaultInjectionClient/`):
    /// against each one, at least one of the vectors named for it fails, while the faithful
    /// client passes them all (`ReferenceClientTests`).
    @Suite struct ClientFaultDetectionTests {
        static let catching: [String: [String]] = [
            "new-key-on-retry": ["client.push.retry-same-batch-after-drop", "client.push.retry-same-batch-after-silence"],
            "seq-reuse-after-restart": ["client.push.sequence-durable-across-restart"],
            "rejected-blocks-queue": ["client.push.rejected-does-not-block"],
            "ignores-retry-after": ["client.push.backoff-honours-retry-after", "client.push.no-hot-loop-on-zero-retry-after"],
            "acks-before-storing": ["client.pull.ack-after-store"],
            "applies-stale-changes": ["client.realtime.duplicate-change-applied-once"],
            "reuploads-every-chunk": ["client.upload.resume-sends-only-missing"],
            "ignores-ping": ["client.heartbeat.ping-answered"],
            "keeps-expired-token": ["client.auth.new-token-after-expiry"],
        ]

        @Test(arguments: catching.keys.sorted())
        func faultIsCaught(_ fault: String) async throws {
            let vectors = try #require(Self.catching[fault])
            let json = FileManager.default.temporaryDirectory.appendingPathComponent("client-fault-\(UUID().uuidString).json").path
            defer { try? FileManager.default.removeItem(atPath: json) }
            let command = ServerProcess.executable("fault-injection-client").path + " --fault \(fault)"
            let run = try await runConformanceBinary(["run", "--client", command, "--filter", vectors.joined(separator: ","),
                                                      "--report-json", json, "--parallel", "2"])
            #expect(run.status == 1, "fault \(fault) went unnoticed:\n\(run.stdout)")
            let report = try JSONReport.decode(Data(contentsOf: URL(fileURLWithPath: json)))
            let failed = report.vectors.filter { [.failed, .error].contains($0.status) }.map(\.id)
            #expect(!failed.isEmpty, "no vector caught \(fault)")
            #expect(Set(failed).isSubset(of: Set(vectors)), "\(fault) broke vectors it should not: \(failed)")
            print("client fault \(fault): caught by \(failed.sorted().joined(separator: ", "))")
        }
    }
}
