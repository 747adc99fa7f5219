public import SyncProtocol

extension SyncEngine {
    public func welcome(_ principal: Principal, hello: HelloMessage, sessionId: String) async throws(ServiceError) -> WelcomeMessage {
        let device = try device(of: principal)
        let version = try negotiate(hello.protocolVersion)
        if let cursor = hello.cursor {
            _ = try await acknowledge(principal, cursor: cursor)
        }
        let state = try await storage { try await store.deviceState(tenant: principal.tenant, device: device) }
        activity.record(.hello(HelloActivity(tenant: principal.tenant, device: device, user: principal.user,
                                             at: clock.now(tenant: principal.tenant), client: hello.client)))
        return WelcomeMessage(
            protocolVersion: version, sessionId: sessionId, deviceId: device, serverTime: clock.now(tenant: principal.tenant),
            heartbeatIntervalMs: configuration.heartbeatIntervalMs, heartbeatTimeoutMs: configuration.heartbeatTimeoutMs,
            resumeCursor: state.ackedPosition.map { cursors.encode($0, tenant: principal.tenant) }, lastSeq: state.lastSeq,
            limits: configuration.serverLimits, features: [])
    }

    /// WS-3: the client's major must match; the session speaks the lower minor.
    private func negotiate(_ offered: String) throws(ServiceError) -> String {
        let ours = ProtocolInfo.version.split(separator: ".").compactMap { Int64($0) }
        let theirs = offered.split(separator: ".").compactMap { Int64($0) }
        guard theirs.count == 3, ours.count == 3, theirs[0] == ours[0] else {
            throw ServiceError(.unsupportedProtocolVersion, "this server speaks protocol \(ProtocolInfo.version); major version \(ours.first ?? 0) only")
        }
        if theirs[1] >= ours[1] { return ProtocolInfo.version }
        return "\(theirs[0]).\(theirs[1]).0"
    }

    public func pull(_ principal: Principal, cursor: String?, limit: Int64?, collections: [String]?) async throws(ServiceError) -> ChangePage {
        let tenant = principal.tenant
        let pageSize = limit ?? Limits.defaultPullPage
        guard (1...Limits.maxPullPage).contains(pageSize) else {
            throw ServiceError(.invalidMessage, "limit must be between 1 and \(Limits.maxPullPage)",
                               issues: [WireIssue(path: "limit", message: "must be between 1 and \(Limits.maxPullPage)")])
        }
        let head = try await storage { try await store.latestPosition(tenant: tenant) }
        let after = try cursor.map { cursor throws(ServiceError) in try position(of: cursor, tenant: tenant, head: head) } ?? 0
        let filter = collections.map(Set.init)
        let entries = try await storage {
            try await store.changes(tenant: tenant, after: after, limit: Int(pageSize) + 1, collections: filter)
        }.filter { $0.position <= head }
        let page = Array(entries.prefix(Int(pageSize)))
        let hasMore = entries.count > page.count
        let last = hasMore ? page.last?.position ?? after : max(head, after)
        metrics.recordPullPage(changes: page.count)
        return ChangePage(changes: page.map(wireChange), cursor: cursors.encode(last, tenant: tenant), hasMore: hasMore)
    }

    public func acknowledge(_ principal: Principal, cursor: String) async throws(ServiceError) -> AckResult {
        let device = try device(of: principal)
        let head = try await storage { try await store.latestPosition(tenant: principal.tenant) }
        let position = try position(of: cursor, tenant: principal.tenant, head: head)
        try await storage { try await store.acknowledge(tenant: principal.tenant, device: device, position: position) }
        return AckResult(cursor: cursor)
    }

    public func acknowledgedCursor(_ principal: Principal) async throws(ServiceError) -> AckResult {
        let device = try device(of: principal)
        let state = try await storage { try await store.deviceState(tenant: principal.tenant, device: device) }
        return AckResult(cursor: state.ackedPosition.map { cursors.encode($0, tenant: principal.tenant) })
    }

    /// PULL-5: a cursor of this tenant, not beyond the head of its log.
    private func position(of cursor: String, tenant: String, head: Int64) throws(ServiceError) -> Int64 {
        let position = try cursors.decode(cursor, tenant: tenant)
        guard position <= head else { throw ServiceError(.invalidCursor, "the cursor is beyond the head of the change log") }
        return position
    }
}
