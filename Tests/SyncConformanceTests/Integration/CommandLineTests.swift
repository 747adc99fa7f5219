import Foundation
import Testing

extension ConformanceIntegration {
    /// The binary's usage errors exit 2 and lint prints file:line:column.
    @Suite struct CommandLineTests {
        @Test func versionNamesTheToolAndTheProtocol() async throws {
            let run = try await runConformanceBinary(["--version"])
            #expect(run.status == 0)
            #expect(run.stdout.hasPrefix("sync-conformance ") && run.stdout.contains("built for protocol mobilesync "), "\(run.stdout)")
        }

        @Test func unknownOptionsExit2() async throws {
            let run = try await runConformanceBinary(["run", "--server", "http://127.0.0.1:1", "--secret", "s", "--colour", "red"])
            #expect(run.status == 2)
            #expect(run.stderr.contains("colour"))
        }

        @Test func anUnreachableServerExits2() async throws {
            let run = try await runConformanceBinary(["run", "--server", "http://127.0.0.1:1", "--secret", "s"])
            #expect(run.status == 2)
            #expect(run.stderr.contains("not reachable"))
        }

        @Test func noTokenSourceExits2() async throws {
            let run = try await runConformanceBinary(["run", "--server", "http://127.0.0.1:1"], environment: ["SYNC_CONFORMANCE_SECRET": ""])
            #expect(run.status == 2)
        }

        @Test func lintErrorsExit2WithTheirPlace() async throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lint-\(UUID().uuidString)/push")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
            let file = folder.appendingPathComponent("push.bad.yaml")
            try "id: push.bad\ntitle: t\nrequirements: [NOPE-1]\nlevel: MUST\ncategory: push\nsteps: [{sleep: {ms: 1}}]\n"
                .write(to: file, atomically: true, encoding: .utf8)
            let run = try await runConformanceBinary(["lint", "--vectors", folder.deletingLastPathComponent().path])
            #expect(run.status == 2)
            #expect(run.stderr.contains("\(file.path):3:16: error: unknown requirement 'NOPE-1' (not in the spec)"))
            let clean = try await runConformanceBinary(["lint"])
            #expect(clean.status == 0, "\(clean.stderr)")
        }

        @Test func listShowsTheSelectedVectors() async throws {
            let run = try await runConformanceBinary(["list", "--filter", "auth", "--skip", "auth.alg-*"])
            #expect(run.status == 0)
            let lines = run.stdout.split(separator: "\n")
            #expect(!lines.isEmpty && lines.allSatisfy { $0.hasPrefix("auth.") })
            #expect(!run.stdout.contains("auth.alg-none-refused"))
            #expect(run.stdout.contains("auth.session-expires-with-clock  MUST  auth  AUTH-4,TEST-5 [clock-control, http-sync]"))
        }

        @Test func helpExits0() async throws {
            let run = try await runConformanceBinary(["run", "--help"])
            #expect(run.status == 0)
            #expect(run.stdout.contains("--token-command"))
        }
    }

}