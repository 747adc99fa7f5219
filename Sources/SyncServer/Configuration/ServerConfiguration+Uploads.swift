public import SyncProtocol

extension ServerConfiguration {
    /// The upload settings an operator may choose.
    public struct Uploads: Sendable, Hashable {
        /// Lifetime of an upload session in seconds (at least the spec's 24 h: LIM-3).
        public var expirySeconds: Int64
        /// Seconds between cleanups of expired sessions (1 to 3600: UPL-10 wants them gone within an hour).
        public var cleanupIntervalSeconds: Int64
        /// Bytes that one tenant's open sessions (as declared) and stored files may take together; 0 for no quota.
        public var storageQuotaBytes: Int64

        /// Longest session lifetime accepted: 30 days.
        public static let expiryCeiling: Int64 = 30 * 86_400

        /// The spec's expiry, a cleanup every 5 minutes and no quota, unless given.
        public init(expirySeconds: Int64 = SyncProtocol.Limits.uploadExpirySeconds, cleanupIntervalSeconds: Int64 = 300,
                    storageQuotaBytes: Int64 = 0) {
            self.expirySeconds = expirySeconds
            self.cleanupIntervalSeconds = cleanupIntervalSeconds
            self.storageQuotaBytes = storageQuotaBytes
        }

        /// Checks each setting; the message says the accepted range.
        public func validate() throws(ConfigurationError) {
            if !(SyncProtocol.Limits.uploadExpirySeconds...Self.expiryCeiling).contains(expirySeconds) {
                throw ConfigurationError(.invalidValue, """
                    the upload expiry must be \(SyncProtocol.Limits.uploadExpirySeconds) to \(Self.expiryCeiling) seconds, not \
                    \(expirySeconds): a server may keep sessions longer than the spec's 24 h, never shorter (LIM-3)
                    """)
            }
            if !(1...3600).contains(cleanupIntervalSeconds) {
                throw ConfigurationError(.invalidValue, """
                    the upload cleanup interval must be 1 to 3600 seconds, not \(cleanupIntervalSeconds): expired uploads \
                    must be deleted within an hour (UPL-10)
                    """)
            }
            if storageQuotaBytes < 0 {
                throw ConfigurationError(.invalidValue, "the storage quota must be 0 (none) or a number of bytes, not \(storageQuotaBytes)")
            }
        }

        /// The upload layer's configuration.
        public var uploadConfiguration: UploadConfiguration {
            UploadConfiguration(expirySeconds: expirySeconds, cleanupInterval: .seconds(cleanupIntervalSeconds),
                                quotaBytes: storageQuotaBytes > 0 ? storageQuotaBytes : nil)
        }
    }
}
