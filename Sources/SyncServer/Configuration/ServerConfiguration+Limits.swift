public import SyncProtocol

extension ServerConfiguration {
    /// The limits an operator may raise. The spec's values are the defaults and also the floor:
    /// a server may accept more, never less (LIM-3); the heartbeat interval may only be shorter.
    public struct Limits: Sendable, Hashable {
        /// Largest WebSocket message or JSON REST body accepted, in bytes (at least the spec's 1 MiB).
        public var maxFrameBytes: Int64
        /// Largest number of mutations accepted in one push (at least the spec's 500).
        public var maxMutationsPerPush: Int64
        /// Longest time without sending a frame before the server pings, in seconds (1 to 30).
        public var heartbeatIntervalSeconds: Int64
        /// Time without any frame from the client before the server closes, in seconds (at least 90).
        public var heartbeatTimeoutSeconds: Int64

        /// Highest `maxFrameBytes` accepted: 64 MiB, so one message cannot exhaust memory.
        public static let maxFrameBytesCeiling: Int64 = 64 * 1024 * 1024
        /// Highest `maxMutationsPerPush` accepted.
        public static let maxMutationsPerPushCeiling: Int64 = 10_000
        /// Highest `heartbeatTimeoutSeconds` accepted: one hour.
        public static let heartbeatTimeoutCeiling: Int64 = 3600

        /// Limits with the spec's values unless given.
        public init(maxFrameBytes: Int64 = SyncProtocol.Limits.maxFrameBytes,
                    maxMutationsPerPush: Int64 = SyncProtocol.Limits.maxMutationsPerPush,
                    heartbeatIntervalSeconds: Int64 = SyncProtocol.Limits.heartbeatIntervalSeconds,
                    heartbeatTimeoutSeconds: Int64 = SyncProtocol.Limits.heartbeatTimeoutSeconds) {
            self.maxFrameBytes = maxFrameBytes
            self.maxMutationsPerPush = maxMutationsPerPush
            self.heartbeatIntervalSeconds = heartbeatIntervalSeconds
            self.heartbeatTimeoutSeconds = heartbeatTimeoutSeconds
        }

        /// Checks every limit against the spec's floor (LIM-3, HB-2, HB-3) and a sane ceiling.
        public func validate() throws(ConfigurationError) {
            let floor = "a server may accept more than the spec's limit, never less (LIM-3)"
            try Self.check("max frame bytes", maxFrameBytes, in: SyncProtocol.Limits.maxFrameBytes...Self.maxFrameBytesCeiling,
                           floor)
            try Self.check("max mutations per push", maxMutationsPerPush,
                           in: SyncProtocol.Limits.maxMutationsPerPush...Self.maxMutationsPerPushCeiling, floor)
            try Self.check("heartbeat interval (seconds)", heartbeatIntervalSeconds,
                           in: 1...SyncProtocol.Limits.heartbeatIntervalSeconds, "the server must ping at least this often (HB-2)")
            try Self.check("heartbeat timeout (seconds)", heartbeatTimeoutSeconds,
                           in: SyncProtocol.Limits.heartbeatTimeoutSeconds...Self.heartbeatTimeoutCeiling,
                           "the server must not close idle connections sooner (HB-3)")
        }

        private static func check(_ name: String, _ value: Int64, in range: ClosedRange<Int64>,
                                  _ reason: String) throws(ConfigurationError) {
            guard range.contains(value) else {
                throw ConfigurationError(.invalidValue, "the \(name) must be \(range.lowerBound) to \(range.upperBound), not \(value): \(reason)")
            }
        }
    }
}
