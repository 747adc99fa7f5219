import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import SyncConformance

extension ConformanceIntegration {
    /// Statuses and exit codes: known failures, unexpected passes, flaky retries, skipped features,
    /// filters, non-required levels, and timeouts against a silent listener.
    @Suite struct VerdictTests {
        private static func vector(_ id: String, level: String = "MUST", features: String = "[]", status: Int = 200,
                                   timeout: Int = 30_000) throws -> Vector {
            let text = """
                id: \(id)
                title: Reads the clock
                requirements: [TEST-5]
                level: \(level)
                category: test-control
                features: \(features)
                timeout_ms: \(timeout)
                actors:
                  a: {user: alice, device: d1}
                steps:
                  - http: {actor: a, method: GET, path: /v1/test/clock}
                    expect: {status: \(status)}
                """
            let (vector, problems) = VectorLoader.load(text: text, file: "Vectors/test-control/\(id).yaml")
            #expect(problems.isEmpty)
            return try #require(vector)
        }

        private func options(_ url: String, secret: String, profile: Profile? = nil, selection: Selection = Selection()) throws -> RunOptions {
            RunOptions(target: try #require(TargetServer(url: url)), tokens: .hs256(secret: Array(secret.utf8)), profile: profile,
                       selection: selection, parallel: 3)
        }

        @Test func profileFiltersAndLevelsDecideTheExitCode() async throws {
            let server = try ConformanceServer()
            try await server.start()
            defer { server.stop() }
            let vectors = [
                try Self.vector("v.pass"), try Self.vector("v.fail", status: 418), try Self.vector("v.known", status: 418),
                try Self.vector("v.stale"), try Self.vector("v.uploads", features: "[uploads]"), try Self.vector("v.filtered"),
                try Self.vector("v.should", level: "SHOULD", status: 418), try Self.vector("v.flaky", status: 418),
            ]
            let profile = Profile(name: "test", features: [], knownFailing: ["v.known": "bug 1", "v.stale": "bug 2"], flaky: ["v.flaky"])
            let report = await ConformanceRunner.run(vectors, options: try options(server.url, secret: server.secret, profile: profile,
                                                                                   selection: Selection(skips: ["v.filtered"])))
            let status = Dictionary(uniqueKeysWithValues: report.vectors.map { ($0.id, $0.status) })
            #expect(status == ["v.pass": .passed, "v.fail": .failed, "v.known": .knownFailing, "v.stale": .unexpectedPass,
                               "v.uploads": .skipped, "v.filtered": .skipped, "v.should": .failed, "v.flaky": .failed])
            let byId = Dictionary(uniqueKeysWithValues: report.vectors.map { ($0.id, $0) })
            #expect(byId["v.uploads"]?.reason == "feature not supported: uploads")
            #expect(byId["v.filtered"]?.reason == "skipped by --skip v.filtered")
            #expect(byId["v.known"]?.reason == "bug 1")
            #expect(byId["v.flaky"]?.attempts == 2)
            #expect(byId["v.should"]?.required == false)
            #expect(byId["v.fail"]?.failure?.stepIndex == 0)
            #expect(byId["v.fail"]?.failure?.diff.isEmpty == false)
            #expect(report.summary.exitCode == 1)

            let onlyGood = await ConformanceRunner.run([vectors[0], vectors[2], vectors[4], vectors[6]],
                                                       options: try options(server.url, secret: server.secret, profile: profile))
            #expect(onlyGood.summary.exitCode == 0)
            #expect(onlyGood.summary.required == 1 && onlyGood.summary.requiredPassed == 1)

            let stale = await ConformanceRunner.run([vectors[0], vectors[3]], options: try options(server.url, secret: server.secret, profile: profile))
            #expect(stale.summary.exitCode == 1)
        }

        @Test func aSilentServerEndsInErrorWithinTheTimeout() async throws {
            let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .bind(host: "127.0.0.1", port: 0).get()
            defer { channel.close(promise: nil) }
            let port = try #require(channel.localAddress?.port)
            let start = ContinuousClock.now
            let report = await ConformanceRunner.run([try Self.vector("v.silent", timeout: 1500)],
                                                     options: try options("http://127.0.0.1:\(port)", secret: "s"))
            let elapsed = start.duration(to: .now)
            #expect(report.vectors.first?.status == .error)
            #expect(report.vectors.first?.failure?.message.contains("did not finish within 1500 ms") == true)
            // The vector's 1.5 s, not the 10 s a setup call may take, with room for a busy machine.
            #expect(elapsed < .seconds(8))
            #expect(report.summary.exitCode == 1)
        }

        @Test func anUnreachableServerFailsThePreflight() async throws {
            let target = try #require(TargetServer(url: "http://127.0.0.1:1"))
            await #expect(throws: WireError.self) { try await ConformanceRunner.preflight(target, timeout: .seconds(2)) }
        }
    }

}