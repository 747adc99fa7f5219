public import NIOSSL

extension ServerConfiguration {
    /// The certificate chain and private key the server speaks HTTPS and WSS with (the
    /// architecture requires TLS on every connection): TLS 1.2 at least, 1.3 preferred.
    public struct TLS: Sendable, Hashable {
        /// A PEM file with the server's certificate first, then any intermediates.
        public var certificatePath: String
        /// A PEM file with the certificate's private key (unencrypted).
        public var keyPath: String

        /// TLS with these files.
        public init(certificatePath: String, keyPath: String) {
            self.certificatePath = certificatePath
            self.keyPath = keyPath
        }

        /// Reads and checks both files and builds the server's TLS configuration; the error says
        /// which file is wrong without echoing its content.
        public func serverConfiguration() throws(ConfigurationError) -> TLSConfiguration {
            let chain: [NIOSSLCertificate]
            do {
                chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
            } catch {
                throw ConfigurationError(.invalidKey, "the TLS certificate '\(certificatePath)' cannot be read as PEM certificates")
            }
            guard !chain.isEmpty else {
                throw ConfigurationError(.invalidKey, "the TLS certificate file '\(certificatePath)' holds no certificate")
            }
            let key: NIOSSLPrivateKey
            do {
                key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
            } catch {
                throw ConfigurationError(.invalidKey, "the TLS key '\(keyPath)' cannot be read as an unencrypted PEM private key")
            }
            var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) },
                                                                         privateKey: .privateKey(key))
            configuration.minimumTLSVersion = .tlsv12
            do {
                _ = try NIOSSLContext(configuration: configuration)
            } catch {
                throw ConfigurationError(.invalidKey, "the TLS key '\(keyPath)' does not match the certificate '\(certificatePath)', or the pair is unusable")
            }
            return configuration
        }
    }
}
