/// Which listen addresses only the machine itself can reach.
package enum HostAddress {
    /// Whether `host` is a loopback address: `localhost`, `::1` or `127.0.0.0/8`. The wildcard
    /// addresses `0.0.0.0` and `::` listen on every interface and are not loopback.
    package static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased()
        if host == "localhost" || host == "::1" || host == "[::1]" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "127" else { return false }
        return parts.allSatisfy { part in
            guard let value = Int(part), part.count <= 3 else { return false }
            return (0...255).contains(value)
        }
    }
}
