import Foundation
import SyncClient
import SyncProtocol
import SyncTestSupport
import Testing

/// `sync-client` as a process: killed in the middle of pushing, and driven by a shell script.
extension LiveClientTests {
    @Test("sync-client killed while pushing 500 writes: after a restart on the same store each reaches the server once")
    func clientKilledDuringPushes() async throws {
        let deployment = try await LiveDeployment()
        defer { deployment.tearDown() }
        let store = deployment.storePath("phone-k")
        do {
            let local = try SQLiteClientStore(path: store)
            for index in 0..<500 {
                _ = try await local.write(collection: "readings", id: "r\(index)", op: .create, fields: ["value": .int(Int64(index))],
                                          clientTime: 1_767_225_600_000 + Int64(index))
            }
        }
        let environment = ["SYNC_SERVER_URL": deployment.baseURL.absoluteString, "SYNC_TOKEN": try await deployment.token(device: "phone-k"),
                           "SYNC_CLIENT_STORE": store]

        // Two mutations per push: 250 round trips, so the kill lands in the middle.
        let first = CommandProcess("sync-client", arguments: ["sync", "--batch-size", "2"], environment: environment)
        try first.start()
        try await waitUntil("the first writes reached the server") { try await deployment.changeCount() >= 40 }
        first.kill()
        _ = await first.wait(timeout: .seconds(10))
        let atKill = try await deployment.changeCount()
        #expect(atKill < 500, "the kill must land before the last push")

        let second = try await CommandProcess.run("sync-client", arguments: ["sync", "--timeout", "120"], environment: environment,
                                                  timeout: .seconds(180))
        #expect(second.status == 0, "\(second.error)")
        let records = try await deployment.serverRecords()
        #expect(records.count == 500)
        #expect(records.values.allSatisfy { $0.version == 1 }, "a write applied twice would have version 2")
        #expect(try await deployment.changeCount() == 500)
        let status = try await CommandProcess.run("sync-client", arguments: ["status"], environment: environment)
        #expect(status.output.contains(#""pending":0"#), "\(status.output)")
        #expect(status.output.contains(#""last_settled_seq":500"#), "\(status.output)")
    }

    @Test("a shell script writes offline, syncs once the server is up, and watches another device's change arrive")
    func shellScript() async throws {
        let deployment = try await LiveDeployment()
        defer { deployment.tearDown() }
        let bin = ServerProcess.executable("sync-client").deletingLastPathComponent().path
        let work = deployment.directory.path
        let environment = [
            "PATH": "\(bin):/usr/bin:/bin", "SYNC_SERVER_URL": deployment.baseURL.absoluteString,
            "SYNC_TOKEN": try await deployment.token(device: "laptop"), "SYNC_CLIENT_STORE": "\(work)/laptop.sqlite",
            "TOKEN_B": try await deployment.token(device: "tablet"), "WORK": work,
        ]
        let offline = """
            set -euo pipefail
            sync-client put notes n1 '{"text": "written offline"}'
            sync-client status | grep -q '"pending":1'
            if sync-client sync --timeout 2 2>/dev/null; then echo "sync succeeded without a server" >&2; exit 1; fi
            echo offline-ok
            """
        let online = """
            set -euo pipefail
            sync-client sync --timeout 30
            sync-client status | grep -q '"pending":0'
            sync-client watch --count 1 --timeout 30 > "$WORK/watch.out" &
            watcher=$!
            SYNC_CLIENT_STORE="$WORK/tablet.sqlite" SYNC_TOKEN="$TOKEN_B" sync-client put notes n2 '{"text": "from the tablet"}'
            SYNC_CLIENT_STORE="$WORK/tablet.sqlite" SYNC_TOKEN="$TOKEN_B" sync-client sync --timeout 30
            wait "$watcher"
            grep -q '"from the tablet"' "$WORK/watch.out"
            SYNC_CLIENT_STORE="$WORK/tablet.sqlite" SYNC_TOKEN="$TOKEN_B" sync-client sync --timeout 30
            SYNC_CLIENT_STORE="$WORK/tablet.sqlite" sync-client get notes n1
            """
        deployment.stopServer()
        let first = try await runScript(offline, environment: environment)
        #expect(first.status == 0, "\(first.output)\n\(first.error)")
        #expect(first.output.contains("offline-ok"))

        try await deployment.startServer()
        let second = try await runScript(online, environment: environment)
        #expect(second.status == 0, "\(second.output)\n\(second.error)")
        #expect(second.output.contains("written offline"), "the tablet must see the laptop's offline write: \(second.output)")
    }

    private func runScript(_ script: String, environment: [String: String]) async throws -> (status: Int32, output: String, error: String) {
        try await CommandProcess.run(CommandProcess(executable: URL(fileURLWithPath: "/bin/bash"), arguments: ["-c", script],
                                                    environment: environment), timeout: .seconds(120))
    }
}
