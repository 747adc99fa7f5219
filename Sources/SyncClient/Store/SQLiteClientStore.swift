import Foundation
import GRDB
import SyncProtocol

/// The `ClientStore` of an app: SQLite through GRDB, in WAL mode, one file per account.
public final class SQLiteClientStore: ClientStore {
    private let pool: DatabasePool

    /// Opens (creating when needed) the database at `path` and brings its schema up to date.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        do {
            // A pool runs SQLite in WAL mode: readers never wait for the writer.
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
        } catch {
            throw ClientStoreError(.database, "cannot open the local database: \(Self.describe(error))")
        }
    }

    /// Closes the database; later calls fail. Dropping the last reference closes it too.
    public func close() throws {
        do { try pool.close() } catch { throw ClientStoreError(.database, Self.describe(error)) }
    }

    func transaction<T: Sendable>(_ body: @escaping @Sendable (inout SQLiteTransaction) throws -> T) async throws -> T {
        do {
            return try await pool.write { db in
                var transaction = SQLiteTransaction(db: db)
                return try body(&transaction)
            }
        } catch let error as ClientStoreError {
            throw error
        } catch {
            throw ClientStoreError(.database, Self.describe(error))
        }
    }

    func reading<T: Sendable>(_ body: @escaping @Sendable (inout SQLiteTransaction) throws -> T) async throws -> T {
        do {
            return try await pool.read { db in
                var transaction = SQLiteTransaction(db: db)
                return try body(&transaction)
            }
        } catch let error as ClientStoreError {
            throw error
        } catch {
            throw ClientStoreError(.database, Self.describe(error))
        }
    }

    /// The SQLite result code and message, without statement arguments (they may hold user data).
    private static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return "SQLite error \(error.resultCode.rawValue): \(error.message ?? "unknown")"
        }
        return String(describing: type(of: error))
    }
}
