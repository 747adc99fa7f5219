// The server's own secrets (`server_secrets`, migration 5).
extension SQLiteSyncStore {
    public func cursorKey() async throws -> [UInt8] {
        try await transaction("secret") { try await StoreQueries.secret(on: $0, named: ServerSecret.cursorKey) }
    }
}
