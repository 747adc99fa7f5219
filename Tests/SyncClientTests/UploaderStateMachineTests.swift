import SyncClient
import SyncProtocol
import Testing

@Suite("UploaderStateMachine: transitions")
struct UploaderStateMachineTests {
    typealias Machine = UploaderStateMachine

    static func sendRequest(_ action: Machine.Action) -> Machine.SendRequest? {
        if case .sendBatch(let request) = action { return request }
        return nil
    }

    static func timer(_ action: Machine.Action) -> Machine.TimerRequest? {
        switch action {
        case .sendBatch(let request): request.timeout
        case .scheduleTimer(let timer), .requestToken(let timer), .requestConnection(let timer): timer
        case .none: nil
        }
    }

    @Test("write while offline asks for a connection, then sends, then rests")
    func happyPath() throws {
        var machine = Machine(randomSeed: 1)
        let connect = machine.handle(.localWrite)
        guard case .requestConnection = connect else { Issue.record("expected requestConnection, got \(connect)"); return }
        #expect(machine.state == .waitingForConnection)
        let send = try #require(Self.sendRequest(machine.handle(.connected(pendingWork: true))))
        #expect(send.maxMutations == 500)
        #expect(send.inFlight == .reuse)
        #expect(send.timeout.delayMs == 30_000)
        #expect(machine.handle(.localWrite) == .none)
        let again = try #require(Self.sendRequest(machine.handle(.batchSettled(morePending: true))))
        #expect(again.inFlight == .reuse)
        #expect(machine.handle(.batchSettled(morePending: false)) == .none)
        #expect(machine.state == .idle)
        #expect(machine.armedTimer == nil)
        #expect(machine.attempt == 0)
    }

    @Test("a retryable failure backs off at least the retry-after; an explicit sync does not cut it short")
    func retryAfter() throws {
        var machine = Machine(randomSeed: 2)
        _ = machine.handle(.connected(pendingWork: true))
        let action = machine.handle(.batchFailed(.retry(retryAfterMs: 4_000), batchSize: 10))
        guard case .scheduleTimer(let timer) = action else { Issue.record("expected a timer, got \(action)"); return }
        #expect(timer.delayMs >= 4_000)
        #expect(machine.state == .backingOff(attempt: 1))
        #expect(machine.handle(.syncRequested) == .none)
        #expect(machine.handle(.timerFired(id: timer.id &+ 99)) == .none)
        let send = try #require(Self.sendRequest(machine.handle(.timerFired(id: timer.id))))
        #expect(send.inFlight == .reuse)
    }

    @Test("a network backoff is cut short by an explicit sync")
    func syncCutsNetworkBackoff() throws {
        var machine = Machine(randomSeed: 3)
        _ = machine.handle(.connected(pendingWork: true))
        _ = machine.handle(.batchFailed(.retry(retryAfterMs: nil), batchSize: 1))
        #expect(Self.sendRequest(machine.handle(.syncRequested)) != nil)
    }

    @Test("an expired token asks for a new one, then reconnects, then sends the same batch")
    func authentication() throws {
        var machine = Machine(randomSeed: 4)
        _ = machine.handle(.connected(pendingWork: true))
        let ask = machine.handle(.batchFailed(.needsAuthentication, batchSize: 3))
        guard case .requestToken(let retry) = ask else { Issue.record("expected requestToken, got \(ask)"); return }
        #expect(machine.state == .needsAuthentication)
        // Nobody answers: the timer asks again.
        guard case .requestToken = machine.handle(.timerFired(id: retry.id)) else { Issue.record("expected a second request"); return }
        guard case .requestConnection = machine.handle(.tokenSupplied) else { Issue.record("expected requestConnection"); return }
        let send = try #require(Self.sendRequest(machine.handle(.connected(pendingWork: true))))
        #expect(send.inFlight == .reuse)
    }

    @Test("a batch too large is halved under a new key; a lone refused mutation is rejected locally")
    func shrinkAndIsolate() throws {
        var machine = Machine(randomSeed: 5)
        _ = machine.handle(.connected(pendingWork: true))
        let half = try #require(Self.sendRequest(machine.handle(.batchFailed(.batchTooLarge(.frameTooLarge), batchSize: 500))))
        #expect(half.maxMutations == 250)
        #expect(half.inFlight == .discard)
        var size = 250
        while size > 1 {
            let next = try #require(Self.sendRequest(machine.handle(.batchFailed(.refused(.invalidMessage), batchSize: size))))
            size = max(1, size / 2)
            #expect(next.maxMutations == size)
            #expect(next.inFlight == .discard)
        }
        let reject = try #require(Self.sendRequest(machine.handle(.batchFailed(.refused(.invalidMessage), batchSize: 1))))
        #expect(reject.inFlight == .reject(.invalidMessage))
        #expect(reject.maxMutations == 1)
        // Success doubles the batch back up to the maximum.
        var limits: [Int] = []
        while limits.last != 500 {
            limits.append(try #require(Self.sendRequest(machine.handle(.batchSettled(morePending: true)))).maxMutations)
        }
        #expect(limits == [2, 4, 8, 16, 32, 64, 128, 256, 500])
    }

    @Test("a reused key is retried under a new key after a backoff")
    func keyReused() throws {
        var machine = Machine(randomSeed: 6)
        _ = machine.handle(.connected(pendingWork: true))
        let action = machine.handle(.batchFailed(.idempotencyKeyReused, batchSize: 4))
        let timer = try #require(Self.timer(action))
        let send = try #require(Self.sendRequest(machine.handle(.timerFired(id: timer.id))))
        #expect(send.inFlight == .discard)
    }

    @Test("a send that gets no answer times out and is retried with the same batch")
    func timeout() throws {
        var machine = Machine(configuration: .init(sendTimeoutMs: 5_000), randomSeed: 7)
        let send = try #require(Self.sendRequest(machine.handle(.connected(pendingWork: true))))
        let backoff = try #require(Self.timer(machine.handle(.timerFired(id: send.timeout.id))))
        #expect(machine.state == .backingOff(attempt: 1))
        // A late failure of the abandoned attempt changes nothing.
        #expect(machine.handle(.batchFailed(.retry(retryAfterMs: nil), batchSize: 1)) == .none)
        let retry = try #require(Self.sendRequest(machine.handle(.timerFired(id: backoff.id))))
        #expect(retry.inFlight == .reuse)
    }

    @Test("losing the connection mid-send asks for a new one and resends once connected")
    func disconnectWhileSending() throws {
        var machine = Machine(randomSeed: 8)
        _ = machine.handle(.connected(pendingWork: true))
        guard case .requestConnection = machine.handle(.disconnected) else { Issue.record("expected requestConnection"); return }
        #expect(machine.attempt == 1)
        #expect(Self.sendRequest(machine.handle(.connected(pendingWork: true)))?.inFlight == .reuse)
    }

    @Test("an incompatible server is retried at the cap, forever")
    func incompatible() throws {
        var machine = Machine(configuration: .init(backoff: Backoff(baseMs: 100, capMs: 10_000, floorMs: 100)), randomSeed: 9)
        _ = machine.handle(.connected(pendingWork: true))
        for _ in 0..<100 {
            let timer = try #require(Self.timer(machine.handle(.batchFailed(.incompatible(.unsupportedProtocolVersion), batchSize: 1))))
            #expect(timer.delayMs <= 10_000)
            #expect(Self.sendRequest(machine.handle(.timerFired(id: timer.id))) != nil)
        }
        #expect(machine.attempt >= 64)
    }
}
