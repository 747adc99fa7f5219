import Synchronization

/// Change-log positions for one group transaction on the writer: above every position the
/// database ever handed out (`AUTOINCREMENT` keeps the highest in `sqlite_sequence`, also after
/// the rows are deleted), counted up in memory, since nothing else writes while the writer's
/// transaction is open. Inserting them moves `sqlite_sequence` on, as `AUTOINCREMENT` does.
final class SQLitePositions: Sendable {
    private let next = Mutex<Int64?>(nil)

    func reserve(on connection: SQLiteDatabase, count: Int) async throws -> [Int64] {
        let start: Int64
        if let known = next.withLock({ $0 }) {
            start = known
        } else {
            let rows = try await connection.rows("""
                SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'change_log'), 0),
                           COALESCE((SELECT MAX(position) FROM change_log), 0)) AS position
                """, operation: "appendChange")
            start = (rows.first?.column("position")?.integer ?? 0) + 1
        }
        next.withLock { $0 = start + Int64(count) }
        return Array(start..<start + Int64(count))
    }
}
