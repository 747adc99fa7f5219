import Foundation
import SyncProtocol

extension ClientEngine {
    /// Keeps one session open while the client runs: connect, `hello`, wait for `welcome`, then
    /// hand every message to the loop until the connection ends; then wait (backoff with full
    /// jitter, WS-12) and start again. A refused token asks the `TokenProvider` for a new one.
    func connectionLoop() async {
        var attempt = 0
        var refreshToken = false
        var random = SystemRandomNumberGenerator()
        while !Task.isCancelled {
            if let reason = halted {
                post(.connectionState(.error, reason: reason))
                await wakeConnection.wait()
                continue
            }
            post(.connectionState(.connecting, reason: nil))
            var waitForWake = false
            do throws(TransportError) {
                let token: String
                do {
                    token = try await tokens.token(refresh: refreshToken)
                } catch {
                    throw TransportError(.refused(status: 401), "the token provider failed: \(String(describing: type(of: error)))")
                }
                let (connection, welcome) = try await openSession(token: token)
                generation &+= 1
                let current = generation
                attempt = 0
                refreshToken = false
                post(.opened(connection, welcome, generation: current))
                // The server sends a frame at least every heartbeat interval (HB-2): silence for
                // a whole timeout means the connection is dead (a half-open TCP connection after
                // a network change, say), so give up on it and reconnect (HB-3).
                let silence = max(welcome.heartbeatTimeoutMs, 1000)
                while true {
                    do {
                        let message = try await withTimeout(milliseconds: silence) { () async throws(TransportError) -> ServerMessage in
                            try await connection.receive()
                        }
                        post(.message(message, generation: current))
                    } catch let error where error.kind == .malformedFrame {
                        continue
                    } catch {
                        post(.closed(error, generation: current))
                        throw error
                    }
                }
            } catch {
                if Task.isCancelled { return }
                let (state, reason, refresh, terminal) = await classify(error)
                refreshToken = refresh
                waitForWake = terminal
                post(.connectionState(state, reason: reason))
            }
            if waitForWake {
                // A protocol version the server does not speak: retrying will not help until the
                // app asks again (sync()).
                await wakeConnection.wait()
                attempt = 0
                continue
            }
            let delay = configuration.reconnectBackoff.delay(attempt: attempt, using: &random)
            attempt = attempt == Int.max ? attempt : attempt + 1
            await sleepOrWake(milliseconds: delay)
        }
    }

    /// Connects, says `hello` and waits for `welcome`.
    private func openSession(token: String) async throws(TransportError) -> (any SyncConnection, WelcomeMessage) {
        let connection = try await connector.connect(to: configuration.webSocketURL, token: token, maxFrameBytes: Int(Limits.maxFrameBytes))
        let cursor = try? await store.cursors().resume
        let hello = HelloMessage(protocolVersion: ProtocolInfo.version, client: configuration.client, cursor: cursor)
        do throws(TransportError) {
            try await connection.send(.hello(hello))
            let timeout = configuration.handshakeTimeoutMs
            let first = try await withTimeout(milliseconds: timeout) { () async throws(TransportError) -> ServerMessage in
                while true {
                    let message = try await connection.receive()
                    if case .ping(let ping) = message {
                        try await connection.send(.pong(PongMessage(nonce: ping.nonce)))
                        continue
                    }
                    return message
                }
            }
            switch first {
            case .welcome(let welcome):
                return (connection, welcome)
            case .error(let error):
                await connection.close(code: 1000)
                throw TransportError(.refused(status: 0), "the server refused hello: \(error.code)",
                                     problem: Problem(type: "urn:mobilesync:error:\(error.code)", title: error.code, status: 0,
                                                      code: error.code, retryable: error.retryable))
            default:
                await connection.close(code: 1002)
                throw TransportError(.closed(code: 1002), "the server's first message was not welcome")
            }
        } catch {
            await connection.close(code: 1000)
            throw error
        }
    }

    /// What a failed session means for the status: state, reason, whether to refresh the token,
    /// and whether to stop retrying until the app asks.
    private func classify(_ error: TransportError) async -> (SyncStatus.Connection, String, Bool, Bool) {
        switch error.kind {
        case .closed(4401):
            return (.needsAuthentication, "the server ended the session: the token expired", true, false)
        case .closed(4406):
            return (.error, "the server does not speak protocol \(ProtocolInfo.version)", false, true)
        case .closed(1012):
            resyncOnConnect = "the server reset this tenant's data (close 1012)"
            return (.offline, "the server restarted the session (1012)", false, false)
        case .closed(4008):
            return (.offline, "the server closed the session: this client read too slowly (4008)", false, false)
        case .closed(let code):
            return (.offline, "the connection closed (\(code))", false, false)
        case .refused(let status):
            if let code = error.code {
                if code == .unauthorized || code == .tokenExpired || code == .forbidden {
                    return (.needsAuthentication, "the server refused the token (\(code))", true, false)
                }
                if code == .unsupportedProtocolVersion {
                    return (.error, "the server does not speak protocol \(ProtocolInfo.version)", false, true)
                }
                return (.offline, "the server refused the session (\(code))", false, false)
            }
            return (.offline, "the server refused the session (HTTP \(status))", false, false)
        case .upgradeFailed:
            // The upgrade carries no reason the client can read: ask over REST with the same token.
            guard let token = try? await tokens.token(refresh: false) else {
                return (.needsAuthentication, "no token available", true, false)
            }
            do {
                _ = try await rest.cursor(token: token)
                return (.offline, "the server refused the WebSocket upgrade", false, false)
            } catch {
                if let code = error.code, [.unauthorized, .tokenExpired, .forbidden].contains(code) {
                    return (.needsAuthentication, "the server refused the token (\(code))", true, false)
                }
                return (.offline, "the server refused the WebSocket upgrade", false, false)
            }
        case .unreachable, .malformedFrame:
            return (.offline, error.message, false, false)
        case .cancelled:
            return (.closed, "stopped", false, false)
        }
    }

    /// Sleeps up to `milliseconds`, or less when `sync()` or the uploader's timer wakes the connection.
    func sleepOrWake(milliseconds: Int64) async {
        let wake = wakeConnection
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: .milliseconds(milliseconds)) }
            group.addTask { await wake.wait() }
            await group.next()
            group.cancelAll()
        }
    }
}

/// Runs `operation`, failing with `TransportError` kind `closed(1006)` after `milliseconds`.
func withTimeout<T: Sendable>(milliseconds: Int64, _ operation: @escaping @Sendable () async throws(TransportError) -> T) async throws(TransportError) -> T {
    let result = await withTaskGroup(of: Result<T, TransportError>?.self) { group in
        group.addTask {
            do throws(TransportError) { return .success(try await operation()) } catch { return .failure(error) }
        }
        group.addTask {
            try? await Task.sleep(for: .milliseconds(milliseconds))
            return nil
        }
        let first = await group.next() ?? nil
        group.cancelAll()
        return first
    }
    guard let result else { throw TransportError(.closed(code: 1006), "no answer within \(milliseconds) ms") }
    return try result.get()
}
