import Foundation
import SyncServer

/// The one point where the command line hands over to the server.
///
/// Until the Hummingbird application is merged, this prints the checked configuration and
/// stops with `ServerNotWired`; the merge replaces this body with building and running the
/// application from `configuration`.
func runServer(_ configuration: ServerConfiguration) async throws {
    print("sync-server configuration:\n\(configuration)")
    throw ServerNotWired()
}

/// Raised by `runServer` while the HTTP application is not part of this build.
struct ServerNotWired: Error, CustomStringConvertible {
    var description: String {
        "the HTTP server is not wired into this build yet: the configuration above is valid, but nothing listens."
    }
}
