import Foundation
import Testing
@testable import SyncConformance

extension ConformanceIntegration {
    /// Proof that the suite can fail: the vectors run against `fault-injection-server`, the
    /// reference server built with one deliberate bug (`Tests/FaultInjectionServer/`), and every
    /// fault must make at least one vector fail that passes against the faithful server.
    @Suite struct FaultDetectionTests {
        /// Every fault the server can be built with, and the requirements it violates (the vectors
        /// citing them run first, so a detection is found quickly; the rest follow until one fails).
        static let faults: [(name: String, requirements: Set<String>)] = [
            ("duplicate-applied-twice", ["SEQ-2"]),
            ("seq-gap-accepted", ["SEQ-3"]),
            ("wrong-conflict-winner", ["CONF-3", "CONF-4"]),
            ("corrupt-chunk-accepted", ["UPL-4"]),
            ("tenant-leak", ["TEN-1"]),
            ("lost-realtime-change", ["RT-1"]),
            ("replay-not-marked", ["IDEM-4"]),
            ("ack-ignored", ["ACK-1", "ACK-3"]),
            ("pull-skips-change", ["PULL-2"]),
            ("expired-token-accepted", ["AUTH-4"]),
            ("wrong-error-status", ["ERR-7"]),
            ("cursor-not-tenant-checked", ["TEN-2", "PULL-5"]),
            ("operator-role-not-checked", ["AUTH-6"]),
            ("synced-count-off", ["RES-3"]),
            ("has-more-never-set", ["PULL-3"]),
            ("pull-limit-ignored", ["PULL-3"]),
            ("policy-not-stored", ["POL-1", "POL-3"]),
            ("review-resolvable-twice", ["CONF-12"]),
            ("reset-keeps-records", ["TEST-3"]),
            ("clock-not-moved", ["TEST-5"]),
            ("key-reuse-reapplied", ["IDEM-5"]),
            ("audit-not-written", ["CONF-13"]),
            ("version-skips-one", ["REC-2"]),
            ("deleted-keeps-fields", ["REC-6"]),
            ("updated-at-from-client", ["REC-4"]),
            ("last-seq-not-announced", ["SEQ-5"]),
            ("retry-after-dropped", ["ERR-3"]),
            ("problem-as-plain-json", ["ERR-1"]),
            ("missing-digest-accepted", ["UPL-4"]),
            ("range-ignored", ["UPL-13"]),
            ("metrics-need-token", ["HEALTH-6"]),
        ]

        @Test func everyFaultIsCaughtByAVectorThatPassesAgainstTheFaithfulServer() async throws {
            let suite = try VectorSuite.load(vectors: "Vectors", spec: "Spec", schema: "Conformance/vector.schema.json")
            #expect(!suite.hasErrors)
            let profile = try Profile.load(path: "Conformance/reference-server.yaml")
            // Vectors that wait out heartbeat timers take minutes and no fault touches heartbeats;
            // those needing other nodes are run by `ReferenceServerTests`; those the reference
            // server is known to fail cannot tell a fault from its known defect.
            let vectors = suite.vectors.filter {
                $0.role == "server" && !$0.neededFeatures.contains("heartbeat-timing") && $0.nodes.isEmpty && profile.knownFailing[$0.id] == nil
            }

            let baseline = try await run(vectors, fault: "none", profile: profile, spec: suite)
            let passing = vectors.filter { baseline[$0.id] == .passed }
            #expect(passing.count == vectors.count, "vectors failing without a fault: \(baseline.filter { $0.value != .passed }.keys.sorted())")

            var missed: [String] = []
            for fault in Self.faults {
                let detectedBy = try await detections(of: fault, among: passing, profile: profile, spec: suite)
                print("fault \(fault.name): caught by \(detectedBy.count > 0 ? detectedBy.sorted().joined(separator: ", ") : "nothing")")
                if detectedBy.isEmpty { missed.append(fault.name) }
            }
            #expect(missed.isEmpty, "faults no vector caught: \(missed)")
        }

        /// The vectors that fail against the fault, found batch by batch: first those citing the
        /// fault's requirements, then the others 40 at a time until a batch catches it.
        private func detections(of fault: (name: String, requirements: Set<String>), among vectors: [Vector],
                                profile: Profile, spec: VectorSuite) async throws -> [String] {
            let targeted = vectors.filter { !fault.requirements.isDisjoint(with: $0.requirements.map(\.value)) }
            let others = vectors.filter { fault.requirements.isDisjoint(with: $0.requirements.map(\.value)) }
            var batches = [targeted]
            batches += stride(from: 0, to: others.count, by: 40).map { Array(others[$0..<min($0 + 40, others.count)]) }
            let server = try ConformanceServer(executable: "fault-injection-server", leadingArguments: ["--fault", fault.name])
            try await server.start()
            defer { server.stop() }
            for batch in batches where !batch.isEmpty {
                let statuses = try await run(batch, on: server, profile: profile, spec: spec)
                let failing = statuses.filter { $0.value != .passed }.map(\.key)
                if !failing.isEmpty { return failing }
            }
            return []
        }

        private func run(_ vectors: [Vector], fault: String, profile: Profile, spec: VectorSuite) async throws -> [String: VectorStatus] {
            let server = try ConformanceServer(executable: "fault-injection-server", leadingArguments: ["--fault", fault])
            try await server.start()
            defer { server.stop() }
            return try await run(vectors, on: server, profile: profile, spec: spec)
        }

        private func run(_ vectors: [Vector], on server: ConformanceServer, profile: Profile, spec: VectorSuite) async throws -> [String: VectorStatus] {
            let target = try #require(TargetServer(url: server.url))
            let options = RunOptions(target: target, tokens: .hs256(secret: Array(server.secret.utf8)), profile: profile,
                                     parallel: 4, spec: spec.spec)
            let report = await ConformanceRunner.run(vectors, options: options)
            return Dictionary(uniqueKeysWithValues: report.vectors.map { ($0.id, $0.status) })
        }
    }
}
