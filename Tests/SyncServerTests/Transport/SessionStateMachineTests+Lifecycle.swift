import Foundation
import SyncProtocol
@testable import SyncServer
import Testing

/// Draining, the closed state and the heartbeat of the WebSocket session logic.
extension SessionStateMachineTests {
    // MARK: Draining and closed

    @Test func drainingFinishesRequestsThenClosesWith1001() {
        var machine = machine(in: .established)
        #expect(machine.beginDraining() == .none)
        #expect(machine.state == .draining)
        #expect(machine.receive(text(Self.push)) == .none, "new requests are not taken")
        #expect(machine.receive(text(Self.hello)) == .none)
        let ack = AckMessage(requestId: "r-3", cursor: "c_3")
        #expect(machine.acknowledged(ack, result: AckResult(cursor: "c_3")) == .send(.acked(AckedMessage(requestId: "r-3", cursor: "c_3"))))
        expectError(machine.drained(), .unavailable, closeCode: 1001)
        #expect(machine.state == .closed(code: 1001))
        #expect(machine.drained() == .none)
    }

    @Test func drainingBeforeWelcomeClosesAtOnce() {
        for state in [Machine.State.awaitingHello, .welcoming] {
            var machine = machine(in: state)
            expectError(machine.beginDraining(), .unavailable, closeCode: 1001)
            #expect(machine.state == .closed(code: 1001))
            #expect(machine.beginDraining() == .none)
            #expect(machine.drained() == .none)
        }
    }

    @Test func aClosedSessionIgnoresEverything() {
        var machine = machine(in: .closed(code: 1009))
        #expect(machine.receive(text(Self.hello)) == .none)
        #expect(machine.receive(text("garbage")) == .none)
        #expect(machine.receive(.binary) == .none)
        #expect(machine.receive(.tooLarge) == .none)
        #expect(machine.pushed(PushMessage(requestId: "r", idempotencyKey: "k", mutations: []), result: PushResult(results: [], synced: 0, failed: 0, cursor: "c", replayed: false)) == .none)
        #expect(machine.beginDraining() == .none)
        let now = ContinuousClock.now
        #expect(machine.heartbeat(now: now, lastReceived: now - .seconds(500), lastSent: now - .seconds(500)) == .stop)
        #expect(machine.state == .closed(code: 1009))
    }

    // MARK: Heartbeat

    @Test func theTimeoutAppliesBeforeHelloToo() {
        var machine = machine()
        let start = ContinuousClock.now
        #expect(machine.heartbeat(now: start + .seconds(10), lastReceived: start, lastSent: start) == .wait(until: start + .seconds(40)))
        #expect(machine.heartbeat(now: start + .seconds(70), lastReceived: start, lastSent: start) == .wait(until: start + .seconds(90)))
        let action = machine.heartbeat(now: start + .seconds(90), lastReceived: start, lastSent: start)
        guard case .close(.error(let error), let code) = action else {
            Issue.record("expected a close, got \(action)")
            return
        }
        #expect(error.code == ErrorCode.heartbeatTimeout.rawValue)
        #expect(code == 4408)
        #expect(machine.state == .closed(code: 4408))
    }

    @Test func anIdleEstablishedSessionIsPinged() {
        var machine = machine(in: .established)
        let start = ContinuousClock.now
        #expect(machine.heartbeat(now: start + .seconds(5), lastReceived: start, lastSent: start) == .wait(until: start + .seconds(30)))
        #expect(machine.heartbeat(now: start + .seconds(30), lastReceived: start + .seconds(20), lastSent: start) == .sendPing(.ping(PingMessage(nonce: "hb-1"))))
        // The ping counts as sent even before the writer reports it.
        #expect(machine.heartbeat(now: start + .seconds(30), lastReceived: start + .seconds(20), lastSent: start) == .wait(until: start + .seconds(60)))
        // Anything sent later postpones the next ping; the timeout comes first when it is earlier.
        #expect(machine.heartbeat(now: start + .seconds(40), lastReceived: start + .seconds(20), lastSent: start + .seconds(40)) == .wait(until: start + .seconds(70)))
        #expect(machine.heartbeat(now: start + .seconds(71), lastReceived: start + .seconds(20), lastSent: start + .seconds(40)) == .sendPing(.ping(PingMessage(nonce: "hb-2"))))
        #expect(machine.heartbeat(now: start + .seconds(80), lastReceived: start + .seconds(20), lastSent: start + .seconds(71)) == .wait(until: start + .seconds(101)))
        guard case .close(_, code: 4408) = machine.heartbeat(now: start + .seconds(110), lastReceived: start + .seconds(20), lastSent: start + .seconds(71)) else {
            Issue.record("expected the heartbeat timeout")
            return
        }
    }
}
