import Foundation
import PostgresNIO

/// What another server process on the same database committed, as PostgreSQL notified it. Only
/// a wake-up signal: the changes themselves are read from the log.
public enum PeerEvent: Sendable, Hashable {
    /// The tenant's change log grew (positions `first...last`, with gaps for other tenants).
    case changes(tenant: String, first: Int64, last: Int64)
    /// The tenant's policies changed, or the tenant was reset: cached policies are stale.
    case policies(tenant: String)
    /// The tenant's test-control clock changed, or the tenant was reset: read its offset again.
    case clock(tenant: String)
    /// Listening (re)started: anything may have been missed meanwhile, so read what is new.
    case resumed
}

/// Notifications between server processes on one database: one channel, payloads of a kind
/// letter, the sending store's id and the tenant (well under PostgreSQL's 8,000-byte limit).
/// `pg_notify` inside a transaction is delivered at its commit, and not at all on rollback.
extension PostgresSyncStore {
    static let channel = "mobilesync_events"

    /// Announces committed changes, the lowest and highest position of each tenant, inside the
    /// transaction that appended them: one statement, one notification per tenant.
    func notifyChanges(on connection: PostgresExecutor, _ positions: [String: ClosedRange<Int64>]) async throws {
        guard !positions.isEmpty else { return }
        let payloads = positions.sorted { $0.key < $1.key }.map { tenant, range in
            SQLValue.text("c \(id) \(range.lowerBound) \(range.upperBound) \(tenant)")
        }
        let values = Array(repeating: "(?)", count: payloads.count).joined(separator: ", ")
        try await connection.run("SELECT pg_notify(?, v.p) FROM (VALUES " + values + ") AS v(p)", [.text(Self.channel)] + payloads,
                                 operation: "notify")
    }

    /// Announces that the tenant's policies changed (or the tenant was reset).
    func notifyPolicies(on connection: PostgresExecutor, tenant: String) async throws {
        try await connection.run("SELECT pg_notify(?, ?)", [.text(Self.channel), .text("p \(id) \(tenant)")], operation: "notify")
    }

    /// Announces that the tenant's test-control clock changed (or the tenant was reset).
    func notifyClock(on connection: PostgresExecutor, tenant: String) async throws {
        try await connection.run("SELECT pg_notify(?, ?)", [.text(Self.channel), .text("k \(id) \(tenant)")], operation: "notify")
    }

    /// What other processes commit, from now until the stream is dropped or the store closes.
    /// One pooled connection listens; when it is lost, listening starts again after a pause and
    /// `.resumed` says that notifications may have been missed. The store's own notifications are
    /// left out. A reader more than `buffer` events behind loses the oldest ones and gets
    /// `.resumed` after them, so that it reads the log again instead.
    public func peerEvents(buffer: Int = 10_000) -> AsyncStream<PeerEvent> {
        let (stream, continuation) = AsyncStream<PeerEvent>.makeStream(bufferingPolicy: .bufferingNewest(max(1, buffer)))
        let task = Task { [self] in
            var pause = Duration.milliseconds(100)
            while !Task.isCancelled {
                do {
                    try await withConnection("listen") { connection in
                        try await connection.connection.listen(on: Self.channel) { notifications in
                            continuation.yield(.resumed)
                            pause = .milliseconds(100)
                            for try await notification in notifications {
                                if let event = Self.event(notification.payload, ownId: id), case .dropped = continuation.yield(event) {
                                    continuation.yield(.resumed)
                                }
                            }
                        }
                    }
                } catch {
                    if Task.isCancelled { break }
                    logger.warning("listening for other nodes' commits failed; listening again", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(5))
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// A payload read back; `nil` for the store's own notifications and for anything malformed.
    static func event(_ payload: String, ownId: String) -> PeerEvent? {
        let parts = payload.split(separator: " ", maxSplits: 4, omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[1] != ownId else { return nil }
        switch parts[0] {
        case "c":
            guard parts.count == 5, let first = Int64(parts[2]), let last = Int64(parts[3]) else { return nil }
            return .changes(tenant: String(parts[4]), first: first, last: last)
        case "p", "k":
            let tenant = String(payload.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)[2])
            return parts[0] == "p" ? .policies(tenant: tenant) : .clock(tenant: tenant)
        default:
            return nil
        }
    }
}
