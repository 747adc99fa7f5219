/// Test-only seams in the assembly of the reference server: each hook receives the real part and
/// returns what the server uses instead. The fault-injection server (`Tests/FaultInjectionServer`)
/// wraps parts with deliberate bugs to show that the conformance suite catches them. The default
/// changes nothing, so `SyncServer.run` without a customization is the production server.
package struct ServerCustomization: Sendable {
    /// Wraps the store the engine reads and writes (the janitor and `/health` keep the real one).
    package var wrapStore: @Sendable (any SyncStore) -> any SyncStore
    /// Wraps the engine the transports call.
    package var wrapService: @Sendable (any SyncService) -> any SyncService
    /// Wraps the token check of every REST request and WebSocket upgrade.
    package var wrapAuthenticator: @Sendable (@escaping Authenticator) -> Authenticator
    /// HTTP interceptors, outermost first, run before every other middleware of the router.
    package var interceptors: [HTTPInterceptor]
    /// Whether `wrapAuthenticator` was given: the rate-limit gate, which reads verified tokens
    /// without the authenticator, then stays out so that the wrapper sees every request.
    package let wrapsAuthenticator: Bool

    /// Creates a customization; the defaults leave every part as it is.
    package init(wrapStore: @escaping @Sendable (any SyncStore) -> any SyncStore = { $0 },
                 wrapService: @escaping @Sendable (any SyncService) -> any SyncService = { $0 },
                 wrapAuthenticator: (@Sendable (@escaping Authenticator) -> Authenticator)? = nil,
                 interceptors: [HTTPInterceptor] = []) {
        self.wrapStore = wrapStore
        self.wrapService = wrapService
        self.wrapAuthenticator = wrapAuthenticator ?? { $0 }
        wrapsAuthenticator = wrapAuthenticator != nil
        self.interceptors = interceptors
    }
}
