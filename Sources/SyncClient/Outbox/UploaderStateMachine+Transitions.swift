import SyncProtocol

extension UploaderStateMachine {
    /// Applies an event and returns the one action the driver must perform.
    public mutating func handle(_ event: Event) -> Action {
        switch event {
        case .localWrite:
            hasPendingWork = true
            return state == .idle ? proceed() : .none
        case .syncRequested:
            hasPendingWork = true
            switch state {
            case .idle: return proceed()
            case .backingOff: return serverImposedDelay ? .none : proceed()
            case .waitingForConnection: return requestConnection()
            case .needsAuthentication: return requestToken()
            case .sending: return .none
            }
        case .connected(let pendingWork):
            isConnected = true
            hasPendingWork = hasPendingWork || pendingWork
            switch state {
            case .idle, .waitingForConnection, .needsAuthentication: return proceed()
            case .backingOff, .sending: return .none
            }
        case .disconnected:
            isConnected = false
            switch state {
            case .sending:
                // The answer is lost; the batch stays in flight and goes again once connected.
                attempt = Self.saturatingIncrement(attempt)
                return requestConnection()
            case .idle:
                return hasPendingWork ? requestConnection() : .none
            case .backingOff, .waitingForConnection, .needsAuthentication:
                return .none
            }
        case .timerFired(let id):
            guard id == armedTimer else { return .none }
            armedTimer = nil
            switch state {
            case .sending:
                return retryLater(retryAfterMs: nil)
            case .backingOff:
                return proceed()
            case .waitingForConnection:
                attempt = Self.saturatingIncrement(attempt)
                return requestConnection()
            case .needsAuthentication:
                attempt = Self.saturatingIncrement(attempt)
                return requestToken()
            case .idle:
                return .none
            }
        case .batchSettled(let morePending):
            attempt = 0
            let maximum = configuration.maxMutationsPerBatch
            batchLimit = batchLimit >= maximum / 2 ? maximum : batchLimit * 2
            hasPendingWork = morePending
            // A late answer after a timeout counts too: it is a success. While a token is being
            // requested, sending must wait for it, unless nothing is left to send.
            if state == .needsAuthentication && morePending { return .none }
            return proceed()
        case .outboxEmpty:
            hasPendingWork = false
            return goIdle()
        case .batchFailed(let failure, let batchSize):
            // A failure for a batch already given up on (after a timeout) changes nothing: the
            // retry is armed.
            guard state == .sending else { return .none }
            return fail(failure, batchSize: batchSize)
        case .tokenSupplied:
            guard state == .needsAuthentication else { return .none }
            return requestConnection()
        }
    }

    private mutating func fail(_ failure: UploadFailure, batchSize: Int) -> Action {
        switch failure {
        case .retry(let retryAfterMs):
            return retryLater(retryAfterMs: retryAfterMs)
        case .needsAuthentication:
            attempt = Self.saturatingIncrement(attempt)
            return requestToken()
        case .batchTooLarge(let code), .refused(let code):
            // Each step halves the batch or rejects one mutation, so this ends; no backoff is
            // needed because every step makes progress.
            if batchSize > 1 {
                batchLimit = max(1, batchSize / 2)
                return send(.discard)
            }
            batchLimit = 1
            return send(.reject(code))
        case .idempotencyKeyReused:
            nextDisposition = .discard
            return retryLater(retryAfterMs: nil)
        case .incompatible:
            // Straight to the cap: retrying soon cannot help.
            attempt = max(Self.saturatingIncrement(attempt), 64)
            return retryLater(retryAfterMs: nil, countAttempt: false)
        }
    }

    /// The next step when nothing is in flight: send when possible, else wait for a connection,
    /// else rest.
    private mutating func proceed() -> Action {
        guard hasPendingWork else { return goIdle() }
        guard isConnected else { return requestConnection() }
        return send(nextDisposition)
    }

    private mutating func send(_ disposition: InFlightDisposition) -> Action {
        nextDisposition = .reuse
        serverImposedDelay = false
        state = .sending
        let timeout = arm(delayMs: configuration.sendTimeoutMs)
        return .sendBatch(SendRequest(maxMutations: batchLimit, inFlight: disposition, timeout: timeout))
    }

    private mutating func retryLater(retryAfterMs: Int64?, countAttempt: Bool = true) -> Action {
        if countAttempt { attempt = Self.saturatingIncrement(attempt) }
        serverImposedDelay = (retryAfterMs ?? 0) > 0
        state = .backingOff(attempt: attempt)
        return .scheduleTimer(arm(delayMs: delay(retryAfterMs: retryAfterMs)))
    }

    private mutating func requestConnection() -> Action {
        state = .waitingForConnection
        return .requestConnection(retry: arm(delayMs: delay(retryAfterMs: nil)))
    }

    private mutating func requestToken() -> Action {
        state = .needsAuthentication
        return .requestToken(retry: arm(delayMs: delay(retryAfterMs: nil)))
    }

    private mutating func goIdle() -> Action {
        state = .idle
        armedTimer = nil
        serverImposedDelay = false
        return .none
    }

    private mutating func delay(retryAfterMs: Int64?) -> Int64 {
        configuration.backoff.delay(attempt: max(1, attempt), retryAfterMs: retryAfterMs, using: &random)
    }

    private mutating func arm(delayMs: Int64) -> TimerRequest {
        timerIds &+= 1
        armedTimer = timerIds
        return TimerRequest(id: timerIds, delayMs: delayMs)
    }

    static func saturatingIncrement(_ value: Int) -> Int {
        value == .max ? .max : value + 1
    }
}
