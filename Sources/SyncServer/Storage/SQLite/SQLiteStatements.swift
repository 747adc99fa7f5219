import VaporCSQLite

/// An open `sqlite3` handle and the statements prepared on it, kept by SQL text for the next
/// statement with the same text; the least recently used one is finalized when `capacity` are
/// kept. Used only inside `SQLiteDatabase`'s mutex.
struct SQLiteStatements {
    /// A prepared statement and its result columns' names.
    private struct Prepared {
        let statement: OpaquePointer
        let names: [String]
        var lastUse: UInt64
    }

    private var handle: OpaquePointer?
    private var prepared: [String: Prepared] = [:]
    private var uses: UInt64 = 0
    private let capacity: Int

    init(handle: OpaquePointer, capacity: Int) {
        self.handle = handle
        self.capacity = max(1, capacity)
    }

    /// How many statements are kept.
    var count: Int { prepared.count }

    /// Binds `binds` to the statement for `sql` and steps it to its end; returns its rows when
    /// `readingRows`. The statement is reset afterwards, whatever happened, so that it holds no
    /// lock and no bound text.
    mutating func execute(_ sql: String, _ binds: [SQLValue], readingRows: Bool, operation: String) throws -> [SQLRow] {
        guard let handle else { throw StoreError(.closed, operation: operation) }
        let entry = try statement(for: sql, on: handle, operation: operation)
        let statement = entry.statement
        defer {
            sqlite_nio_sqlite3_reset(statement)
            sqlite_nio_sqlite3_clear_bindings(statement)
        }
        try bind(binds, to: statement, operation: operation)
        var rows: [SQLRow] = []
        while true {
            let status = sqlite_nio_sqlite3_step(statement)
            if status == SQLITE_DONE { return rows }
            guard status == SQLITE_ROW else { throw StoreError(sqliteStatus: status, operation: operation) }
            if readingRows {
                rows.append(SQLRow(names: entry.names, values: try values(of: statement, names: entry.names, operation: operation)))
            }
        }
    }

    /// Installs SQLite's WAL hook with the context at `address` (see `SQLiteDatabase.reportWAL`);
    /// nothing on a closed handle.
    func setWALHook(_ hook: @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?, UnsafePointer<CChar>?, Int32) -> Int32,
                    context address: UInt) {
        guard let handle else { return }
        _ = sqlite_nio_sqlite3_wal_hook(handle, hook, UnsafeMutableRawPointer(bitPattern: address))
    }

    /// Finalizes every statement and closes the handle; does nothing when already closed.
    mutating func close() throws {
        guard let handle else { return }
        for entry in prepared.values { sqlite_nio_sqlite3_finalize(entry.statement) }
        prepared = [:]
        self.handle = nil
        let status = sqlite_nio_sqlite3_close_v2(handle)
        guard status == SQLITE_OK else { throw StoreError(sqliteStatus: status, operation: "close") }
    }

    /// The kept statement for `sql`, or a new one (kept, evicting the least recently used).
    private mutating func statement(for sql: String, on handle: OpaquePointer, operation: String) throws -> Prepared {
        uses &+= 1
        if var entry = prepared[sql] {
            entry.lastUse = uses
            prepared[sql] = entry
            return entry
        }
        let statement = try Self.prepare(sql, on: handle, operation: operation)
        let names = (0..<sqlite_nio_sqlite3_column_count(statement)).map { index in
            sqlite_nio_sqlite3_column_name(statement, index).map { String(cString: $0) } ?? ""
        }
        if prepared.count >= capacity, let oldest = prepared.min(by: { $0.value.lastUse < $1.value.lastUse }) {
            sqlite_nio_sqlite3_finalize(oldest.value.statement)
            prepared[oldest.key] = nil
        }
        let entry = Prepared(statement: statement, names: names, lastUse: uses)
        prepared[sql] = entry
        return entry
    }

    /// Prepares exactly one statement: SQL holding a second one is refused rather than run in part.
    private static func prepare(_ sql: String, on handle: OpaquePointer, operation: String) throws -> OpaquePointer {
        var statement: OpaquePointer?
        let (status, trailing) = sql.withCString { text in
            var tail: UnsafePointer<CChar>?
            let status = sqlite_nio_sqlite3_prepare_v3(handle, text, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, &tail)
            let trailing = tail.map { String(cString: $0) } ?? ""
            return (status, trailing)
        }
        guard status == SQLITE_OK else { throw StoreError(sqliteStatus: status, operation: operation) }
        guard let statement else { throw StoreError(.database, operation: operation, engineReason: "no statement in the SQL") }
        guard trailing.allSatisfy({ $0.isWhitespace || $0 == ";" }) else {
            sqlite_nio_sqlite3_finalize(statement)
            throw StoreError(.database, operation: operation, engineReason: "more than one statement in the SQL")
        }
        return statement
    }

    private func bind(_ binds: [SQLValue], to statement: OpaquePointer, operation: String) throws {
        let expected = Int(sqlite_nio_sqlite3_bind_parameter_count(statement))
        guard binds.count == expected else {
            throw StoreError(.database, operation: operation, engineReason: "\(binds.count) values bound to \(expected) parameters")
        }
        for (offset, value) in binds.enumerated() {
            let index = Int32(offset + 1)
            let status = switch value {
            case .null: sqlite_nio_sqlite3_bind_null(statement, index)
            case .integer(let number): sqlite_nio_sqlite3_bind_int64(statement, index, number)
            case .text(let text):
                sqlite_nio_sqlite3_bind_text64(statement, index, text, UInt64(text.utf8.count), sqliteTransient, UInt8(SQLITE_UTF8))
            }
            guard status == SQLITE_OK else { throw StoreError(sqliteStatus: status, operation: operation) }
        }
    }

    private func values(of statement: OpaquePointer, names: [String], operation: String) throws -> [SQLValue] {
        try names.indices.map { offset in
            let index = Int32(offset)
            switch sqlite_nio_sqlite3_column_type(statement, index) {
            case SQLITE_NULL:
                return .null
            case SQLITE_INTEGER:
                return .integer(sqlite_nio_sqlite3_column_int64(statement, index))
            case SQLITE_TEXT:
                guard let bytes = sqlite_nio_sqlite3_column_text(statement, index) else { return .text("") }
                let count = Int(sqlite_nio_sqlite3_column_bytes(statement, index))
                return .text(String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self))
            default:
                throw StoreError(.corrupt, operation: operation, engineReason: "unexpected column type of \(names[offset])")
            }
        }
    }
}

/// `SQLITE_TRANSIENT`: SQLite copies the bound text before the call returns.
private let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

extension StoreError {
    /// Classifies an SQLite result code (extended codes included). Only SQLite's fixed text for
    /// the code is kept, never the connection's message, which can quote SQL.
    init(sqliteStatus status: Int32, operation: String) {
        let code: Code = switch status & 0xFF {
        case SQLITE_BUSY, SQLITE_LOCKED: .busy
        case SQLITE_CONSTRAINT: .constraint
        case SQLITE_CORRUPT, SQLITE_NOTADB, SQLITE_FORMAT: .corrupt
        case SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_READONLY, SQLITE_FULL, SQLITE_PERM, SQLITE_NOLFS: .io
        default: .database
        }
        let text = sqlite_nio_sqlite3_errstr(status).map { String(cString: $0) } ?? "unknown"
        self.init(code, operation: operation, engineReason: "\(text) (SQLite \(status))")
    }
}
