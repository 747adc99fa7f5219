public import SyncProtocol

/// The limits and timings the engine applies; defaults are the spec's limits.
public struct EngineConfiguration: Sendable {
    /// Heartbeat interval announced in `welcome`, ms.
    public var heartbeatIntervalMs: Int64 = Limits.heartbeatIntervalSeconds * 1000
    /// Idle timeout announced in `welcome`, ms.
    public var heartbeatTimeoutMs: Int64 = Limits.heartbeatTimeoutSeconds * 1000
    /// How long idempotency entries are honoured, ms.
    public var idempotencyWindowMs: Int64 = Limits.idempotencyWindowSeconds * 1000
    /// The largest canonical record `fields`, bytes.
    public var maxRecordBytes: Int64 = Limits.maxRecordBytes
    /// The allowed client clock skew, ms.
    public var maxClockSkewMs: Int64 = Limits.maxClockSkewMs
    /// Mutations per push.
    public var maxMutationsPerPush: Int64 = Limits.maxMutationsPerPush
    /// Largest frame, bytes (announced in `welcome`).
    public var maxFrameBytes: Int64 = Limits.maxFrameBytes
    /// Lifetime of an upload session, seconds (announced, LIM-5; the upload layer applies it).
    public var uploadExpirySeconds: Int64 = Limits.uploadExpirySeconds
    /// Completed batches kept in memory for replays; older ones are read from the store.
    public var idempotencyCacheEntries = Int(ServerConfiguration.defaultIdempotencyCacheEntries)

    /// The spec's defaults.
    public init() {}

    /// The limits as `welcome` and `getLimits` announce them (LIM-3, LIM-5).
    public var serverLimits: ServerLimits {
        ServerLimits(
            maxFrameBytes: maxFrameBytes, maxMutationsPerPush: maxMutationsPerPush, maxRecordBytes: maxRecordBytes,
            maxRecordIdLength: Limits.maxRecordIdLength, maxCursorLength: Limits.maxCursorLength, maxPullPage: Limits.maxPullPage,
            defaultPullPage: Limits.defaultPullPage, maxClockSkewMs: maxClockSkewMs,
            idempotencyWindowSeconds: idempotencyWindowMs / 1000, heartbeatTimeoutSeconds: heartbeatTimeoutMs / 1000,
            minChunkBytes: Limits.minChunkBytes, maxChunkBytes: Limits.maxChunkBytes, defaultChunkBytes: Limits.defaultChunkBytes,
            maxUploadBytes: Limits.maxUploadBytes, maxUploadsPerDevice: Limits.maxUploadsPerDevice,
            uploadExpirySeconds: uploadExpirySeconds, maxIdempotencyKeyLength: Limits.maxIdempotencyKeyLength,
            maxListPage: Limits.maxListPage, defaultListPage: Limits.defaultListPage,
            maxAnalyticsRangeSeconds: Limits.maxAnalyticsRangeSeconds, maxReportedIssues: Limits.maxReportedIssues,
            heartbeatIntervalSeconds: heartbeatIntervalMs / 1000,
            sessionQueueBytes: Limits.sessionQueueBytes, sessionQueueMessages: Limits.sessionQueueMessages
        )
    }
}
