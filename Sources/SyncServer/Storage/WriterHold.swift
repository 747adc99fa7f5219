/// The write transaction that the running task holds, so that a `write` nested in another of the
/// same store fails with `nestedWrite` instead of waiting for itself forever (for the writer
/// connection on SQLite, for its own tenant lock on PostgreSQL). Task-local values also pass to
/// child tasks and to `Task {}`, which are other tasks: they wait like any other. (A child task
/// that writes while its parent holds the writer and awaits it therefore waits forever; the store
/// cannot tell it from an independent task.)
struct WriterHold: Sendable {
    /// The store whose writer is held.
    var store: ObjectIdentifier
    /// The holding task (`UnsafeCurrentTask`'s hash: the task is alive while it holds the writer,
    /// so no other task can have the same one meanwhile).
    var task: Int?

    @TaskLocal private static var current: WriterHold?

    /// Throws `nestedWrite` when the running task holds a write transaction of `store`.
    static func refuseNested(in store: AnyObject, operation: String) throws {
        if let hold = current, hold.store == ObjectIdentifier(store), hold.task == currentTask() {
            throw StoreError(.nestedWrite, operation: operation)
        }
    }

    /// Runs `body` marked as the running task's write transaction of `store`.
    static func holding<T: Sendable>(_ store: AnyObject, _ body: () async throws -> T) async throws -> T {
        try await $current.withValue(WriterHold(store: ObjectIdentifier(store), task: currentTask())) {
            try await body()
        }
    }

    /// Identifies the running task, if any.
    private static func currentTask() -> Int? {
        withUnsafeCurrentTask { $0?.hashValue }
    }
}
