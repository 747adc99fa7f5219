import Foundation
import Testing

/// Runs the built `sync-spec` executable, as a user or CI would.
struct SyncSpecProcess {
    var status: Int32
    var output: String

    static var executable: URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("sync-spec")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return Paths.repositoryRoot.appendingPathComponent(".build/debug/sync-spec")
    }

    static func run(_ arguments: [String]) throws -> SyncSpecProcess {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = Paths.repositoryRoot
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return SyncSpecProcess(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}

/// A temporary folder removed when the test ends.
struct TemporaryFolder: ~Copyable {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("sync-spec-\(UUID().uuidString)")
    init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
    deinit { try? FileManager.default.removeItem(at: url) }
}

@Suite("the sync-spec command")
struct CommandTests {
    @Test("lint passes on Spec/ and exits 1 with file:line:column on a broken spec")
    func lint() throws {
        let good = try SyncSpecProcess.run(["lint"])
        #expect(good.status == 0, "\(good.output)")
        #expect(good.output.contains("is valid"))

        let folder = try TemporaryFolder()
        let files = try miniSpec(editing: "types.yaml", replacing: "type: Color", with: "type: Colour")
        for file in files { try file.contents.write(to: folder.url.appendingPathComponent(file.path), atomically: true, encoding: .utf8) }
        let bad = try SyncSpecProcess.run(["lint", folder.url.path])
        #expect(bad.status == 1)
        let expectedLine = try #require(line(of: "color:", in: "types.yaml", files: files))
        #expect(bad.output.contains("\(folder.url.path)/types.yaml:\(expectedLine):7: error: unknown type 'Colour'"), "\(bad.output)")
    }

    @Test("generate --check passes on the committed codecs and fails, naming the file, after a hand edit")
    func generateCheck() throws {
        let clean = try SyncSpecProcess.run(["generate", "--check"])
        #expect(clean.status == 0, "\(clean.output)")

        let folder = try TemporaryFolder()
        let copy = folder.url.appendingPathComponent("Generated")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: Paths.generated), to: copy)
        #expect(try SyncSpecProcess.run(["generate", "--check", "--output", copy.path]).status == 0)

        let limits = copy.appendingPathComponent("Limits.swift")
        let edited = try String(contentsOf: limits, encoding: .utf8).replacingOccurrences(of: "Int64 = ", with: "Int64 = 1 + ")
        try edited.write(to: limits, atomically: true, encoding: .utf8)
        let stale = try SyncSpecProcess.run(["generate", "--check", "--output", copy.path])
        #expect(stale.status == 1)
        #expect(stale.output.contains("Limits.swift (changed)"), "\(stale.output)")

        let fixed = try SyncSpecProcess.run(["generate", "--output", copy.path])
        #expect(fixed.status == 0)
        #expect(try SyncSpecProcess.run(["generate", "--check", "--output", copy.path]).status == 0)
    }

    @Test("export --check passes on the committed documents and fails, naming the file, after a hand edit")
    func exportCheck() throws {
        let clean = try SyncSpecProcess.run(["export", "--check"])
        #expect(clean.status == 0, "\(clean.output)")

        let folder = try TemporaryFolder()
        let copy = folder.url.appendingPathComponent("spec-docs")
        try FileManager.default.copyItem(at: Paths.repositoryRoot.appendingPathComponent("docs/spec"), to: copy)
        let reference = copy.appendingPathComponent("reference.md")
        try (try String(contentsOf: reference, encoding: .utf8) + "\nA hand-written note.\n").write(to: reference, atomically: true, encoding: .utf8)
        let stale = try SyncSpecProcess.run(["export", "--check", "--output", copy.path])
        #expect(stale.status == 1)
        #expect(stale.output.contains("reference.md (changed)"), "\(stale.output)")
    }

    @Test("every command explains itself", arguments: ["lint", "generate", "export", "diff"])
    func help(_ command: String) throws {
        let result = try SyncSpecProcess.run([command, "--help"])
        #expect(result.status == 0)
        #expect(result.output.contains("USAGE: sync-spec \(command)"), "\(result.output)")
    }
}
