import SyncProtocol

/// A `ClientStore` in memory, with the same semantics as `SQLiteClientStore`, for tests and
/// previews. Every operation is atomic: it runs on a copy of the state that replaces the state
/// only when the operation succeeds. Nothing survives the process.
public actor InMemoryClientStore: ClientStore {
    private var state = MemoryState()

    /// Creates an empty store.
    public init() {}

    func transaction<T: Sendable>(_ body: @Sendable (inout MemoryState) throws -> T) throws -> T {
        var copy = state
        let result = try body(&copy)
        state = copy
        return result
    }

    func reading<T: Sendable>(_ body: @Sendable (inout MemoryState) throws -> T) throws -> T {
        var copy = state
        return try body(&copy)
    }
}
