import Foundation
import SyncServer
import SyncTestSupport
import Testing

/// `sync-client harness` speaks the harness protocol (`Conformance/harness.md`): every line it
/// prints validates against `Conformance/harness.schema.json`, and a harness killed after its
/// writes were acknowledged continues on the same data directory with the same numbers.
@Suite("sync-client harness", .serialized)
struct HarnessTests {
    private static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Sends `instruction` and returns the answer carrying its `id` (events on the way are kept in `seen`).
    private func ask(_ harness: CommandProcess, _ lines: inout AsyncStream<String>.Iterator, _ instruction: String, id: String,
                     seen: inout [String]) async throws -> [String: Any] {
        harness.send(instruction)
        while let line = await lines.next() {
            seen.append(line)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            if object["id"] as? String == id { return object }
        }
        throw HarnessFailure(description: "the harness ended before answering \(id): \(harness.standardError)")
    }

    struct HarnessFailure: Error, CustomStringConvertible { var description: String }

    @Test("writes survive a SIGKILL of the harness, keep their numbers, and sync after the restart")
    func killAndContinue() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("harness-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = ServerProcess(databasePath: directory.appendingPathComponent("server.sqlite").path)
        try await server.start()
        defer { server.terminate() }
        let token = try await TokenIssuer(hs256Secret: server.secret).mint(tenant: "harness-\(UUID().uuidString.prefix(8))", user: "u", device: "d")
        let dataDir = directory.appendingPathComponent("client").path
        let caseLine = #"{"type":"case","id":"c","case_id":"kill","server_url":"\#(server.baseURL.absoluteString)","token":"\#(token)","data_dir":"\#(dataDir)"}"#
        var seen: [String] = []

        let first = CommandProcess("sync-client", arguments: ["harness"])
        try first.start()
        var lines = first.lines.makeAsyncIterator()
        #expect(try await ask(first, &lines, caseLine, id: "c", seen: &seen)["type"] as? String == "ready")
        for index in 1...3 {
            let answer = try await ask(first, &lines, #"{"type":"write","id":"w\#(index)","op":"put","collection":"tasks","record_id":"t\#(index)","fields":{"n":\#(index)}}"#,
                                       id: "w\(index)", seen: &seen)
            #expect(answer["seq"] as? Int == index)
        }
        first.kill()

        let second = CommandProcess("sync-client", arguments: ["harness"])
        try second.start()
        lines = second.lines.makeAsyncIterator()
        #expect(try await ask(second, &lines, caseLine, id: "c", seen: &seen)["type"] as? String == "ready")
        let before = try await ask(second, &lines, #"{"type":"snapshot","id":"q1","collection":"tasks"}"#, id: "q1", seen: &seen)
        #expect(before["pending"] as? Int == 3)
        #expect(before["next_seq"] as? Int == 4)
        let synced = try await ask(second, &lines, #"{"type":"sync","id":"s","timeout_ms":20000}"#, id: "s", seen: &seen)
        #expect(synced["type"] as? String == "synced", "\(synced)")
        let settled = try await ask(second, &lines, #"{"type":"wait_settled","id":"ws","seq":3,"timeout_ms":5000}"#, id: "ws", seen: &seen)
        #expect(settled["type"] as? String == "settled")
        let after = try await ask(second, &lines, #"{"type":"snapshot","id":"q2","collection":"tasks"}"#, id: "q2", seen: &seen)
        #expect(after["pending"] as? Int == 0)
        #expect(after["last_settled_seq"] as? Int == 3)
        #expect((after["records"] as? [Any])?.count == 3)
        let refused = try await ask(second, &lines, #"{"type":"write","id":"bad","op":"merge","collection":"tasks","record_id":"x"}"#, id: "bad", seen: &seen)
        #expect(refused["type"] as? String == "error")
        second.closeInput()
        #expect(await second.wait(timeout: .seconds(30)) == 0)

        // Every line printed validates against the protocol's schema.
        let linesFile = directory.appendingPathComponent("lines.jsonl")
        try seen.joined(separator: "\n").write(to: linesFile, atomically: true, encoding: .utf8)
        let schema = Self.repository.appendingPathComponent("Conformance/harness.schema.json").path
        let validation = Process()
        validation.executableURL = try await PythonTools.interpreter()
        validation.arguments = ["-c", """
            import json, sys, jsonschema
            validator = jsonschema.Draft202012Validator(json.load(open(sys.argv[1])))
            bad = [line for line in open(sys.argv[2]) if list(validator.iter_errors(json.loads(line)))]
            sys.exit(print(*bad) or 1) if bad else sys.exit(0)
            """, schema, linesFile.path]
        try validation.run()
        validation.waitUntilExit()
        #expect(validation.terminationStatus == 0)
        #expect(seen.count >= 10)
    }

    @Test("a write's count is honoured at its limit and refused at limit + 1, far beyond and 0, writing nothing")
    func writeCountLimits() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("harness-count-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // No server is needed: writes are local; the URL is never dialled.
        let caseLine = #"{"type":"case","id":"c","server_url":"http://127.0.0.1:9","token":"t","data_dir":"\#(directory.path)"}"#
        var seen: [String] = []
        let harness = CommandProcess("sync-client", arguments: ["harness"])
        try harness.start()
        var lines = harness.lines.makeAsyncIterator()
        #expect(try await ask(harness, &lines, caseLine, id: "c", seen: &seen)["type"] as? String == "ready")
        for (id, count) in [("zero", "0"), ("over", "10001"), ("far", "9223372036854775807"), ("negative", "-3")] {
            let refused = try await ask(harness, &lines, #"{"type":"write","id":"\#(id)","op":"put","collection":"c","record_id":"r","count":\#(count)}"#,
                                        id: id, seen: &seen)
            #expect(refused["type"] as? String == "error", "count \(count): \(refused)")
        }
        let none = try await ask(harness, &lines, #"{"type":"snapshot","id":"q0","collection":"c"}"#, id: "q0", seen: &seen)
        #expect(none["next_seq"] as? Int == 1, "a refused count must write nothing")
        let full = try await ask(harness, &lines, #"{"type":"write","id":"max","op":"put","collection":"c","record_id":"r","fields":{},"count":10000}"#,
                                 id: "max", seen: &seen)
        #expect(full["type"] as? String == "written")
        #expect(full["first_seq"] as? Int == 1)
        #expect(full["seq"] as? Int == 10_000)
        harness.closeInput()
        #expect(await harness.wait(timeout: .seconds(60)) == 0)
    }
}
