import Foundation
public import Logging
import SQLiteNIO

/// An online, consistent copy of the SQLite database (`sync-server backup`), taken with
/// `VACUUM INTO` while the server runs: one read transaction, so the copy is the database as of
/// one commit, whatever writers do meanwhile (WAL readers never block them). The copy is then
/// checked with `PRAGMA integrity_check`, and the chunk rows of open upload sessions are
/// removed from it: their bytes live in temporary files that a backup does not keep, so after a
/// restore those sessions report every chunk missing and clients send them again (UPL-4)
/// instead of finalizing against chunks that are gone.
public enum SQLiteBackup {
    /// What a backup wrote.
    public struct Summary: Sendable, Hashable {
        /// Bytes of the copy.
        public var bytes: Int64
        /// The schema version of the copy (the highest applied migration).
        public var schemaVersion: Int64
        /// Chunk rows of open upload sessions left out of the copy.
        public var droppedChunks: Int64
    }

    /// A backup that could not be made; the message says why and what to do.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong.
        public var description: String
    }

    /// Copies the database at `source` to `destination`, which must not exist yet. On failure
    /// nothing is left at `destination`.
    public static func run(source: String, destination: String, logger: Logger) async throws -> Summary {
        let files = FileManager.default
        guard files.fileExists(atPath: source) else {
            throw Failure(description: "no database at \(source) (--db or SYNC_DB)")
        }
        guard !files.fileExists(atPath: destination) else {
            throw Failure(description: "\(destination) already exists; a backup never overwrites a file")
        }
        let folder = URL(fileURLWithPath: destination).deletingLastPathComponent().path
        guard files.fileExists(atPath: folder) else {
            throw Failure(description: "the folder \(folder) does not exist")
        }
        do {
            try await copy(source, to: destination, logger: logger)
            let summary = try await prepareCopy(destination, logger: logger)
            logger.info("backup written", metadata: ["source": "\(source)", "destination": "\(destination)", "bytes": "\(summary.bytes)"])
            return summary
        } catch {
            for suffix in ["", "-wal", "-shm", "-journal"] { try? files.removeItem(atPath: destination + suffix) }
            if let failure = error as? Failure { throw failure }
            throw Failure(description: "the backup failed: \(error)")
        }
    }

    private static func copy(_ source: String, to destination: String, logger: Logger) async throws {
        let connection = try await SQLiteConnection.open(storage: .file(path: source), logger: logger)
        do {
            try await connection.run("PRAGMA busy_timeout = 5000", operation: "backup")
            let tables = try await connection.value("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'records'",
                                                    column: "n", operation: "backup")
            guard tables?.integer == 1 else {
                throw Failure(description: "\(source) is not a MobileSync database (it has no records table)")
            }
            try await connection.run("VACUUM INTO ?", [.text(destination)], operation: "backup")
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }

    private static func prepareCopy(_ path: String, logger: Logger) async throws -> Summary {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        do {
            let check = try await connection.value("PRAGMA integrity_check", column: "integrity_check", operation: "backup")
            guard check?.string == "ok" else {
                throw Failure(description: "the copy failed its integrity check: \(check?.string ?? "no answer")")
            }
            let chunks = try await connection.value("SELECT COUNT(*) AS n FROM upload_chunks", column: "n", operation: "backup")?.integer ?? 0
            try await connection.run("DELETE FROM upload_chunks", operation: "backup")
            let version = try await connection.value("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations", column: "v",
                                                     operation: "backup")?.integer ?? 0
            try await connection.close()
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
            return Summary(bytes: size, schemaVersion: Int64(version), droppedChunks: Int64(chunks))
        } catch {
            try? await connection.close()
            throw error
        }
    }
}
