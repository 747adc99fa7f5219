import SQLiteNIO

// The server's own secrets (`server_secrets`, migration 5).
extension SQLiteSyncStore {
    public func cursorKey() async throws -> [UInt8] {
        try await secret(named: ServerSecret.cursorKey)
    }

    /// The secret stored under `name`, created first if there is none. The insert keeps a
    /// secret another process stored first, so processes sharing the file agree on one.
    func secret(named name: String) async throws -> [UInt8] {
        let stored = try await transaction("secret") { connection in
            try await connection.run(
                "INSERT INTO server_secrets (name, secret) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                [.text(name), .text(ServerSecret.text(ServerSecret.generate()))], operation: "secret")
            return try await connection.value("SELECT secret FROM server_secrets WHERE name = ?", [.text(name)],
                                              column: "secret", operation: "secret")
        }
        guard case .text(let text) = stored, let secret = ServerSecret.secret(text) else {
            throw StoreError(.database, operation: "secret", engineReason: "the stored secret is not 64 hex digits")
        }
        return secret
    }
}
