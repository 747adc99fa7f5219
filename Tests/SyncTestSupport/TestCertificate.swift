public import Foundation

/// A throwaway self-signed certificate for `localhost` and `127.0.0.1` (P-256, valid until 2126)
/// and its key, for tests of TLS on loopback only: the key is public, so nothing may trust it
/// outside tests. Made with `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1
/// -nodes -days 36500 -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1`.
public enum TestCertificate {
    /// The certificate, PEM.
    public static let certificatePEM = """
-----BEGIN CERTIFICATE-----
MIIBnDCCAUGgAwIBAgIUJthGSPBlbcOojbaESKwpO9+Bq+MwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTIwNjE0Mzg1NVoYDzIxMjYxMTEy
MTQzODU1WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAS9Lh3+1pPRb7nwrrLng9BlY6+vCT5RLfN5mk0cy7TzwXd1oWwJ8nps
PC4HMldgBQytmUkfmR08JV3HlFWJ8vhqo28wbTAdBgNVHQ4EFgQUw1la7SX+jJQm
ceREpXMWWfmOenIwHwYDVR0jBBgwFoAUw1la7SX+jJQmceREpXMWWfmOenIwDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARgglsb2NhbGhvc3SHBH8AAAEwCgYIKoZI
zj0EAwIDSQAwRgIhALkoFuqKmSt+I01KNayDsXCbSM3d7SoBoix5sXl/RKIGAiEA
pSkBnkTb7TLy7UkgFSpcHJf8ercygUS9QHGEi1iWlP4=
-----END CERTIFICATE-----
"""

    /// Its private key, PEM (unencrypted).
    public static let keyPEM = """
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgUo9nFv/wd9wzYwxz
qmgBApmtrBQohmqMASiOt6pE2yChRANCAAS9Lh3+1pPRb7nwrrLng9BlY6+vCT5R
LfN5mk0cy7TzwXd1oWwJ8npsPC4HMldgBQytmUkfmR08JV3HlFWJ8vhq
-----END PRIVATE KEY-----
"""

    /// A private key of another certificate, to test a key that does not match.
    public static let otherKeyPEM = """
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgZ5DTyzhvVVk/0gry
TcA4VPmDIgsA4gAsEt5yD96iUzihRANCAAQ/HaNkVjp+hBbKuR3Xu+SkVvIckqiv
Y1yxrfM6NTgz3dKlF/uUdq1y7ga/8FCnQ7RerXGYe1cAUnWchIUSsSZX
-----END PRIVATE KEY-----
"""

    /// Writes the certificate, its key and the mismatched key into a new temporary folder;
    /// returns their paths.
    public static func write() throws -> (folder: URL, certificate: String, key: String, otherKey: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let certificate = folder.appendingPathComponent("cert.pem")
        let key = folder.appendingPathComponent("key.pem")
        let otherKey = folder.appendingPathComponent("other-key.pem")
        try (certificatePEM + "\n").write(to: certificate, atomically: true, encoding: .utf8)
        try (keyPEM + "\n").write(to: key, atomically: true, encoding: .utf8)
        try (otherKeyPEM + "\n").write(to: otherKey, atomically: true, encoding: .utf8)
        return (folder, certificate.path, key.path, otherKey.path)
    }
}
