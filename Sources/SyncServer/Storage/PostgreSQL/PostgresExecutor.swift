import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// A PostgreSQL connection the caller holds (for one transaction or one read), running the
/// store's portable SQL: `?` placeholders become `$1`, `$2`, ...; text binds go as `text`,
/// integers as `int8`; rows come back as `SQLValue`s.
struct PostgresExecutor: SQLExecutor {
    let connection: PostgresConnection
    let logger: Logger

    func rows(_ sql: String, _ binds: [SQLValue], operation: String) async throws -> [SQLRow] {
        var rows: [SQLRow] = []
        do {
            for try await row in try await connection.query(Self.query(sql, binds), logger: logger) {
                rows.append(try Self.row(row, operation: operation))
            }
        } catch {
            throw StoreError(postgres: error, operation: operation)
        }
        return rows
    }

    /// Runs a statement and drops its rows unread (such as `pg_advisory_xact_lock`'s `void`).
    func run(_ sql: String, _ binds: [SQLValue], operation: String) async throws {
        do {
            for try await _ in try await connection.query(Self.query(sql, binds), logger: logger) {}
        } catch {
            throw StoreError(postgres: error, operation: operation)
        }
    }

    /// The query with numbered placeholders and typed binds.
    static func query(_ sql: String, _ binds: [SQLValue]) -> PostgresQuery {
        var bindings = PostgresBindings(capacity: binds.count)
        for bind in binds {
            switch bind {
            case .null: bindings.appendNull()
            case .integer(let value): bindings.append(value)
            case .text(let value): bindings.append(value)
            }
        }
        return PostgresQuery(unsafeSQL: numbered(sql), binds: bindings)
    }

    /// The store's statements with numbered placeholders, each rewritten once per process: the
    /// store runs a fixed set of statements (at most a few hundred, counting the `IN` lists of
    /// different lengths), so the cache stops growing at `numberedCacheLimit`.
    private static let numberedCache = Mutex<[String: String]>([:])
    private static let numberedCacheLimit = 1024

    private static func numbered(_ sql: String) -> String {
        if let known = numberedCache.withLock({ $0[sql] }) { return known }
        let rewritten = numberedPlaceholders(sql)
        numberedCache.withLock { cache in
            if cache.count < numberedCacheLimit { cache[sql] = rewritten }
        }
        return rewritten
    }

    /// `sql` with its `?` numbered in order (`$1`, `$2`, ...), except inside quoted literals and
    /// identifiers.
    static func numberedPlaceholders(_ sql: String) -> String {
        var output = ""
        output.reserveCapacity(sql.utf8.count + 16)
        var number = 0
        var quote: Character?
        for character in sql {
            if let open = quote {
                if character == open { quote = nil }
                output.append(character)
            } else if character == "'" || character == "\"" {
                quote = character
                output.append(character)
            } else if character == "?" {
                number += 1
                output += "$\(number)"
            } else {
                output.append(character)
            }
        }
        return output
    }

    /// A row's cells as integers, text or NULL; any other column type is refused as `corrupt`
    /// (the store's SQL casts sums and counts to BIGINT).
    private static func row(_ row: PostgresRow, operation: String) throws -> SQLRow {
        var names: [String] = []
        var values: [SQLValue] = []
        for cell in row {
            names.append(cell.columnName)
            guard cell.bytes != nil else {
                values.append(.null)
                continue
            }
            do {
                switch cell.dataType {
                case .int8, .int4, .int2:
                    values.append(.integer(try cell.decode(Int64.self)))
                case .text, .varchar, .name, .bpchar:
                    values.append(.text(try cell.decode(String.self)))
                case .bool:
                    values.append(.integer(try cell.decode(Bool.self) ? 1 : 0))
                default:
                    throw StoreError(.corrupt, operation: operation, engineReason: "unexpected column type of \(cell.columnName)")
                }
            } catch let error as StoreError {
                throw error
            } catch {
                throw StoreError(.corrupt, operation: operation, engineReason: "unreadable column \(cell.columnName)")
            }
        }
        return SQLRow(names: names, values: values)
    }
}

extension StoreError {
    /// Classifies a failure reported by PostgresNIO by its SQLSTATE class or client-side code.
    /// The server's message is dropped: it can quote values (a duplicate key's, say).
    init(postgres error: any Error, operation: String) {
        if let error = error as? StoreError {
            self = error
            return
        }
        guard let error = error as? PSQLError else {
            self.init(.database, operation: operation, engineReason: String(describing: type(of: error)))
            return
        }
        guard error.code == .server, let state = error.serverInfo?[.sqlState] else {
            // Connection-level failures: the database is unreachable, restarting or closed.
            let code: Code = error.code == .poolClosed ? .closed : .unavailable
            self.init(code, operation: operation, engineReason: "\(error.code)")
            return
        }
        let code: Code
        switch state.prefix(2) {
        case "23": code = .constraint
        case "40", "55": code = .busy  // serialization failure, deadlock, lock not available
        case "53", "57", "08": code = .unavailable  // out of resources, shutting down, connection
        case "XX": code = .corrupt
        case "58": code = .io
        default: code = .database
        }
        self.init(code, operation: operation, engineReason: "SQLSTATE \(state)")
    }
}
