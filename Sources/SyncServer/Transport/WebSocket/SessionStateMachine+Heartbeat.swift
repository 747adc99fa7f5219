import SyncProtocol

/// The heartbeat (HB-2, HB-3): a `ping` after an interval without sending, a close with
/// `heartbeat_timeout` after the timeout without receiving anything.
extension SessionStateMachine {
    /// Called by the heartbeat timer with the instants of the last frame received (of any kind)
    /// and the last frame sent.
    package mutating func heartbeat(
        now: ContinuousClock.Instant, lastReceived: ContinuousClock.Instant, lastSent: ContinuousClock.Instant
    ) -> HeartbeatAction {
        if case .closed = state { return .stop }
        let timeoutAt = lastReceived + settings.heartbeatTimeout
        if now >= timeoutAt {
            let timeout = ServiceError(.heartbeatTimeout, "nothing was received for \(Self.milliseconds(settings.heartbeatTimeout)) ms")
            let code = UInt16(timeout.info.closeCode ?? Int(CloseCode.goingAway))
            state = .closed(code: code)
            return .close(.error(timeout.errorMessage(requestId: nil)), code: code)
        }
        guard state == .established || state == .draining else {
            // Looking again within an interval means the first ping after `welcome` is on time
            // without the timer having to be woken when the session is established.
            return .wait(until: min(timeoutAt, now + settings.heartbeatInterval))
        }
        let lastActivity = max(lastSent, lastPing ?? lastSent)
        if now >= lastActivity + settings.heartbeatInterval {
            lastPing = now
            pingsSent += 1
            return .sendPing(.ping(PingMessage(nonce: "hb-\(pingsSent)")))
        }
        return .wait(until: min(timeoutAt, lastActivity + settings.heartbeatInterval))
    }
}
