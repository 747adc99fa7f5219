public import NIOSSL

/// How the runner checks the certificate of an `https://` target (`--ca`, `--insecure`), so that
/// teams can run the suite against a staging server that only speaks TLS.
public struct TLSClientOptions: Sendable, Hashable {
    /// A PEM file of certificates to trust instead of the system's (a test CA, a self-signed
    /// certificate).
    public var caFile: String?
    /// Accept any certificate: no chain or host name check. For throwaway test certificates only.
    public var insecure: Bool

    /// Options; the defaults trust the system's roots and check the host name.
    public init(caFile: String? = nil, insecure: Bool = false) {
        self.caFile = caFile
        self.insecure = insecure
    }

    /// The TLS context every connection to the target uses: TLS 1.2 or later.
    public func makeContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        if let caFile {
            do {
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
            } catch {
                throw WireError("cannot read --ca \(caFile) as PEM certificates: \(error)")
            }
        }
        if insecure { configuration.certificateVerification = .none }
        return try NIOSSLContext(configuration: configuration)
    }
}
