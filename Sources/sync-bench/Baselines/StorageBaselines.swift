import Foundation
import GRDBSQLite
#if canImport(Glibc)
import Glibc
#endif

/// What the disk and SQLite do on their own, measured in the benchmark's folder: the ceilings a
/// durable sync server is compared with.
enum StorageBaselines {
    /// Rows a second that one connection inserts in transactions of `rowsPerTransaction` rows,
    /// with the server's durability (WAL, `synchronous = FULL`), each statement prepared once.
    static func sqliteRowsPerSecond(folder: String, rowsPerTransaction: Int, seconds: Double) throws -> Double {
        let path = folder + "/baseline-\(rowsPerTransaction).sqlite"
        defer { ["", "-wal", "-shm"].forEach { try? FileManager.default.removeItem(atPath: path + $0) } }
        var database: OpaquePointer?
        guard sqlite3_open(path, &database) == SQLITE_OK, let database else { throw BenchFailure("cannot open \(path)") }
        defer { sqlite3_close(database) }
        func execute(_ sql: String) throws {
            guard sqlite3_exec(database, sql, nil, nil, nil) == SQLITE_OK else {
                throw BenchFailure("SQLite baseline: \(String(cString: sqlite3_errmsg(database)))")
            }
        }
        try execute("PRAGMA journal_mode = WAL")
        try execute("PRAGMA synchronous = FULL")
        try execute("CREATE TABLE rows (id INTEGER PRIMARY KEY, tenant TEXT NOT NULL, payload TEXT NOT NULL)")
        var insert: OpaquePointer?
        guard sqlite3_prepare_v2(database, "INSERT INTO rows (tenant, payload) VALUES (?, ?)", -1, &insert, nil) == SQLITE_OK, let insert else {
            throw BenchFailure("SQLite baseline: cannot prepare the insert")
        }
        defer { sqlite3_finalize(insert) }
        let payload = #"{"n":1,"title":"benchmark record 1","done":false,"tags":["load","bench"]}"#
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        var rows = 0
        let clock = ContinuousClock()
        let started = clock.now
        while clock.now - started < .seconds(seconds) {
            try execute("BEGIN IMMEDIATE")
            for _ in 0..<rowsPerTransaction {
                sqlite3_bind_text(insert, 1, "bench", -1, transient)
                sqlite3_bind_text(insert, 2, payload, -1, transient)
                guard sqlite3_step(insert) == SQLITE_DONE else { throw BenchFailure("SQLite baseline: insert failed") }
                sqlite3_reset(insert)
            }
            try execute("COMMIT")
            rows += rowsPerTransaction
        }
        return Double(rows) / (clock.now - started).seconds
    }

    /// Latencies in milliseconds of writing 4 KiB and `fdatasync` in the benchmark's folder.
    static func fdatasyncLatencies(folder: String, samples: Int) throws -> [Double] {
        let path = folder + "/baseline-fdatasync"
        let descriptor = open(path, O_CREAT | O_WRONLY, 0o600)
        guard descriptor >= 0 else { throw BenchFailure("cannot open \(path)") }
        defer { close(descriptor); unlink(path) }
        let page = [UInt8](repeating: 0x5a, count: 4096)
        let clock = ContinuousClock()
        return try (0..<samples).map { index in
            let started = clock.now
            let written = page.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, off_t(index % 256) * 4096) }
            guard written == page.count, fdatasync(descriptor) == 0 else { throw BenchFailure("write or fdatasync failed in \(folder)") }
            return (clock.now - started).seconds * 1000
        }
    }
}
