extension ServerConfiguration {
    /// How many connections the node keeps and how long an idle or half-sent one may stay.
    public struct Connections: Sendable, Hashable {
        /// Most connections open at once (HTTP keep-alive and WebSocket); more are closed on arrival.
        public var maxConnections: Int64
        /// Seconds a new connection may take to send its first request head or WebSocket upgrade.
        public var requestTimeoutSeconds: Int64
        /// Seconds a keep-alive connection may sit idle between requests.
        public var idleTimeoutSeconds: Int64

        /// Highest `maxConnections` accepted.
        public static let maxConnectionsCeiling: Int64 = 1_000_000

        /// The defaults: 10,000 connections, 30 seconds for a request head, 120 seconds idle.
        public init(maxConnections: Int64 = 10_000, requestTimeoutSeconds: Int64 = 30, idleTimeoutSeconds: Int64 = 120) {
            self.maxConnections = maxConnections
            self.requestTimeoutSeconds = requestTimeoutSeconds
            self.idleTimeoutSeconds = idleTimeoutSeconds
        }

        /// Checks each value's range.
        public func validate() throws(ConfigurationError) {
            try Self.check("max connections", maxConnections, in: 1...Self.maxConnectionsCeiling)
            try Self.check("request timeout (seconds)", requestTimeoutSeconds, in: 1...300)
            try Self.check("idle timeout (seconds)", idleTimeoutSeconds, in: 1...3600)
        }

        private static func check(_ name: String, _ value: Int64, in range: ClosedRange<Int64>) throws(ConfigurationError) {
            guard range.contains(value) else {
                throw ConfigurationError(.invalidValue, "the \(name) must be \(range.lowerBound) to \(range.upperBound), not \(value)")
            }
        }
    }
}
