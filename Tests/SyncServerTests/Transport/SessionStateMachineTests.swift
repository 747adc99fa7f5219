import Foundation
import SyncProtocol
@testable import SyncServer
import Testing

/// Every transition of the WebSocket session logic, without sockets.
@Suite struct SessionStateMachineTests {
    typealias Machine = SessionStateMachine

    static let settings = Machine.Settings(heartbeatInterval: .seconds(30), heartbeatTimeout: .seconds(90), maxFrameBytes: 1_048_576)
    static let hello = #"{"type":"hello","protocol_version":"1.1.4","client":{"platform":"ios","app_version":"3.1","os_version":"18.2","network_type":"wifi"}}"#
    static let push = #"{"type":"push","request_id":"r-1","idempotency_key":"k-1","mutations":[{"seq":1,"collection":"tasks","record_id":"t-1","op":"create","base_version":0,"fields":{"a":1},"client_time":5}]}"#
    static let pull = #"{"type":"pull","request_id":"r-2","cursor":"c_1","limit":10}"#
    static let ack = #"{"type":"ack","request_id":"r-3","cursor":"c_2"}"#

    func text(_ json: String) -> Machine.Inbound { .text(Data(json.utf8)) }

    func machine(in state: Machine.State = .awaitingHello) -> Machine {
        var machine = Machine(sessionId: "s_test", settings: Self.settings)
        switch state {
        case .awaitingHello:
            break
        case .welcoming:
            _ = machine.receive(text(Self.hello))
        case .established:
            _ = machine.receive(text(Self.hello))
            _ = machine.welcomed(Self.welcome)
        case .draining:
            _ = machine.receive(text(Self.hello))
            _ = machine.welcomed(Self.welcome)
            _ = machine.beginDraining()
        case .closed:
            _ = machine.receive(.tooLarge)
        }
        #expect(machine.state == state)
        return machine
    }

    static let welcome = WelcomeMessage(
        protocolVersion: "1.0.0", sessionId: "from-engine", deviceId: "ios-1", serverTime: 1, heartbeatIntervalMs: 30_000,
        heartbeatTimeoutMs: 90_000, resumeCursor: "c_1", lastSeq: 3, limits: FakeSyncService.limits, features: []
    )

    /// The error an action sends, and the close code that follows it (if any).
    func error(of action: Machine.Action) -> (ErrorMessage, UInt16?)? {
        switch action {
        case .send(.error(let error)): (error, nil)
        case .close(.error(let error)?, let code): (error, code)
        default: nil
        }
    }

    func expectError(
        _ action: Machine.Action, _ code: ErrorCode, requestId: String? = nil, closeCode: UInt16? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let (error, close) = error(of: action) else {
            Issue.record("expected an error \(code), got \(action)", sourceLocation: sourceLocation)
            return
        }
        #expect(error.code == code.rawValue, sourceLocation: sourceLocation)
        #expect(error.retryable == code.info?.retryable, sourceLocation: sourceLocation)
        #expect(error.requestId == requestId, sourceLocation: sourceLocation)
        #expect(close == closeCode, sourceLocation: sourceLocation)
        #expect(error.validate().isEmpty, sourceLocation: sourceLocation)
    }

    // MARK: Awaiting hello

    @Test func pingIsAnsweredInEveryOpenState() {
        for state in [Machine.State.awaitingHello, .welcoming, .established, .draining] {
            var machine = machine(in: state)
            #expect(machine.receive(text(#"{"type":"ping","nonce":"n-1"}"#)) == .send(.pong(PongMessage(nonce: "n-1"))))
            #expect(machine.receive(text(#"{"type":"ping"}"#)) == .send(.pong(PongMessage())))
            #expect(machine.receive(text(#"{"type":"pong","nonce":"x"}"#)) == .none)
            #expect(machine.state == state)
        }
    }

    @Test func requestsBeforeWelcomeAreAnsweredHelloRequired() {
        for state in [Machine.State.awaitingHello, .welcoming] {
            var machine = machine(in: state)
            expectError(machine.receive(text(Self.push)), .helloRequired, requestId: "r-1")
            expectError(machine.receive(text(Self.pull)), .helloRequired, requestId: "r-2")
            expectError(machine.receive(text(Self.ack)), .helloRequired, requestId: "r-3")
            expectError(machine.receive(text(#"{"type":"ack","cursor":"c_2"}"#)), .helloRequired)
            #expect(machine.state == state)
        }
    }

    @Test func helloAsksTheServiceForWelcome() throws {
        var machine = machine()
        let action = machine.receive(text(Self.hello))
        guard case .callWelcome(let hello) = action else {
            Issue.record("expected callWelcome, got \(action)")
            return
        }
        #expect(hello.protocolVersion == "1.1.4")
        #expect(machine.state == .welcoming)
    }

    @Test func anotherMajorVersionClosesWith4406() {
        var machine = machine()
        let hello = Self.hello.replacingOccurrences(of: "1.1.4", with: "2.0.0")
        expectError(machine.receive(text(hello)), .unsupportedProtocolVersion, closeCode: 4406)
        #expect(machine.state == .closed(code: 4406))
    }

    @Test func anInvalidHelloLeavesTheConnectionOpen() {
        var machine = machine()
        let action = machine.receive(text(#"{"type":"hello","protocol_version":"1.0","client":{"platform":"ios","app_version":"1","os_version":"1","network_type":"wifi"}}"#))
        expectError(action, .invalidMessage)
        #expect(error(of: action)?.0.details?.map(\.path) == ["protocol_version"])
        expectError(machine.receive(text(#"{"type":"hello","protocol_version":"1.0.0"}"#)), .invalidMessage)
        #expect(machine.state == .awaitingHello)
        let badCursor = Self.hello.replacingOccurrences(of: "}}", with: #"},"cursor":"bad cursor"}"#)
        expectError(machine.receive(text(badCursor)), .invalidCursor)
        #expect(machine.state == .awaitingHello)
    }

    // MARK: Malformed input

    @Test(arguments: ["not json", "[1,2]", "42", "{}", #"{"type":7}"#, #"{"type":null}"#, "{\"type\":\"ping\"", ""])
    func malformedFramesAreAnsweredWithoutRequestId(frame: String) {
        var machine = machine(in: .established)
        expectError(machine.receive(text(frame)), .malformedFrame)
        #expect(machine.state == .established)
    }

    @Test func hostileInputIsAnsweredNotCrashedOn() {
        var machine = machine(in: .established)
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        expectError(machine.receive(text(deep)), .malformedFrame)
        let deepObject = #"{"type":"pull","request_id":"r-1","collections":"# + String(repeating: "[", count: 50_000) + "]"
        expectError(machine.receive(text(deepObject)), .malformedFrame)
        // Numbers an Int64 cannot hold: Foundation on Linux reports them without a coding path, so
        // the codec cannot tell them from broken JSON; either way they are refused and nothing breaks.
        for frame in [
            #"{"type":"pull","request_id":"r-2","limit":1e400}"#,
            #"{"type":"pull","request_id":"r-3","limit":99999999999999999999999}"#,
            #"{"type":"push","request_id":"r-4","idempotency_key":"k","mutations":[{"seq":1.5}]}"#,
        ] {
            let code = error(of: machine.receive(text(frame)))?.0.code
            #expect(code == ErrorCode.invalidMessage.rawValue || code == ErrorCode.malformedFrame.rawValue)
        }
        #expect(machine.state == .established)
    }

    @Test func invalidUTF8IsAMalformedFrame() {
        var machine = machine(in: .established)
        expectError(machine.receive(.text(Data([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x7D]))), .malformedFrame)
        #expect(machine.state == .established)
    }

    @Test func binaryMessagesAreMalformedFrames() {
        var machine = machine(in: .awaitingHello)
        expectError(machine.receive(.binary), .malformedFrame)
        #expect(machine.state == .awaitingHello)
    }

    @Test func unknownTypesEchoTheRequestId() {
        var machine = machine(in: .established)
        expectError(machine.receive(text(#"{"type":"welcome","request_id":"r-9"}"#)), .unknownMessageType, requestId: "r-9")
        expectError(machine.receive(text(#"{"type":"subscribe"}"#)), .unknownMessageType)
        expectError(machine.receive(text(#"{"type":"subscribe","request_id":"not valid!"}"#)), .unknownMessageType)
        #expect(machine.state == .established)
    }

    @Test func schemaViolationsListEveryIssueAndEchoTheRequestId() {
        var machine = machine(in: .established)
        let frame = #"{"type":"pull","request_id":"r-4","limit":0,"collections":[]}"#
        let action = machine.receive(text(frame))
        expectError(action, .invalidMessage, requestId: "r-4")
        #expect(error(of: action)?.0.details?.map(\.path) == ["limit", "collections"])
        expectError(machine.receive(text(#"{"type":"pull","limit":5}"#)), .invalidMessage)
        #expect(machine.state == .established)
    }

    @Test func specificCodesTakePrecedence() {
        var machine = machine(in: .established)
        expectError(machine.receive(text(#"{"type":"push","request_id":"r-5","mutations":[]}"#)), .idempotencyKeyMissing, requestId: "r-5")
        expectError(
            machine.receive(text(Self.push.replacingOccurrences(of: #""k-1""#, with: #""""#))), .idempotencyKeyMissing, requestId: "r-1"
        )
        let mutations = (1...501).map { #"{"seq":\#($0),"collection":"tasks","record_id":"t","op":"delete","base_version":1,"client_time":1}"# }
        let big = #"{"type":"push","request_id":"r-6","idempotency_key":"k","mutations":[\#(mutations.joined(separator: ","))]}"#
        expectError(machine.receive(text(big)), .batchTooLarge, requestId: "r-6")
        expectError(machine.receive(text(#"{"type":"ack","request_id":"r-7","cursor":"has space"}"#)), .invalidCursor, requestId: "r-7")
        #expect(machine.state == .established)
    }

    /// Issue 9, defect 2: a push of 8,000 empty objects is refused at once with a bounded list,
    /// not retryable, and the session goes on.
    @Test func manyEmptyMutationsAreRefusedWithBoundedDetails() {
        var machine = machine(in: .established)
        let frame = #"{"type":"push","request_id":"r-8","idempotency_key":"k","mutations":["# + Array(repeating: "{}", count: 8000).joined(separator: ",") + "]}"
        let action = machine.receive(text(frame))
        expectError(action, .batchTooLarge, requestId: "r-8")
        #expect(error(of: action)?.0.details?.count == WireIssue.reportLimit + 1)
        #expect(machine.state == .established)
    }

    @Test func textThatIsNotUTF8FailsTheConnectionWith1007AndNoError() {
        var machine = machine(in: .established)
        #expect(machine.receive(.invalidUTF8) == .close(nil, code: 1007))
        #expect(machine.state == .closed(code: 1007))
        var waiting = self.machine(in: .awaitingHello)
        #expect(waiting.receive(.invalidUTF8) == .close(nil, code: 1007))
    }

    @Test func brokenFragmentationFailsTheConnectionWith1002AndNoError() {
        var machine = machine(in: .established)
        #expect(machine.receive(.brokenFraming) == .close(nil, code: 1002))
        #expect(machine.state == .closed(code: 1002))
        #expect(machine.receive(.text(Data(#"{"type":"ping"}"#.utf8))) == .none)
        var waiting = self.machine(in: .awaitingHello)
        #expect(waiting.receive(.brokenFraming) == .close(nil, code: 1002))
    }

    @Test func aMalformedFrameEchoesAReadableRequestId() {
        var machine = machine(in: .established)
        expectError(machine.receive(text(#"{"request_id":"r-9","cursor":"x"}"#)), .malformedFrame, requestId: "r-9")
        expectError(machine.receive(text(#"{"type":7,"request_id":"r-10"}"#)), .malformedFrame, requestId: "r-10")
        expectError(machine.receive(text(#"{"type":"push","request_id":"r-11""#)), .malformedFrame, requestId: nil)
        expectError(machine.receive(text(#"{"request_id":"bad id!"}"#)), .malformedFrame, requestId: nil)
    }

    @Test func anOversizedMessageClosesWith1009() {
        var machine = machine(in: .established)
        expectError(machine.receive(.tooLarge), .frameTooLarge, closeCode: 1009)
        #expect(machine.state == .closed(code: 1009))
    }

    // MARK: Welcoming

    @Test func welcomeAnnouncesTheTransportSettings() {
        var machine = Machine(
            sessionId: "s_test",
            settings: .init(heartbeatInterval: .milliseconds(1500), heartbeatTimeout: .milliseconds(4500), maxFrameBytes: 2_000_000)
        )
        _ = machine.receive(text(Self.hello))
        var expected = Self.welcome
        expected.sessionId = "s_test"
        expected.heartbeatIntervalMs = 1500
        expected.heartbeatTimeoutMs = 4500
        expected.limits.maxFrameBytes = 2_000_000
        expected.limits.heartbeatTimeoutSeconds = 5
        #expect(machine.welcomed(Self.welcome) == .establish(expected))
        #expect(machine.state == .established)
    }

    @Test func aRefusedHelloCanBeCorrected() {
        var machine = machine(in: .welcoming)
        expectError(machine.welcomeFailed(ServiceError(.invalidCursor, "unknown cursor")), .invalidCursor)
        #expect(machine.state == .awaitingHello)
        #expect(machine.receive(text(Self.hello)) != .none)
        #expect(machine.state == .welcoming)
    }

    @Test func aRefusalWithACloseCodeCloses() {
        var machine = machine(in: .welcoming)
        expectError(machine.welcomeFailed(ServiceError(.unsupportedProtocolVersion, "no")), .unsupportedProtocolVersion, closeCode: 4406)
        #expect(machine.state == .closed(code: 4406))
        #expect(machine.welcomed(Self.welcome) == .none)
    }

    @Test func helloWhileWelcomingOrEstablishedIsADuplicate() {
        for state in [Machine.State.welcoming, .established] {
            var machine = machine(in: state)
            expectError(machine.receive(text(Self.hello)), .duplicateHello)
            #expect(machine.state == state)
        }
    }

    @Test func serviceAnswersOutsideTheirStateAreDropped() {
        var awaiting = machine()
        #expect(awaiting.welcomed(Self.welcome) == .none)
        #expect(awaiting.welcomeFailed(ServiceError(.internalError, "x")) == .none)
        #expect(awaiting.state == .awaitingHello)
        var established = machine(in: .established)
        #expect(established.welcomed(Self.welcome) == .none)
        #expect(established.welcomeFailed(ServiceError(.internalError, "x")) == .none)
    }

    // MARK: Established

    @Test func requestsAreDispatched() throws {
        var machine = machine(in: .established)
        guard case .dispatch(.push(let push)) = machine.receive(text(Self.push)),
              case .dispatch(.pull(let pull)) = machine.receive(text(Self.pull)),
              case .dispatch(.ack(let ack)) = machine.receive(text(Self.ack))
        else {
            Issue.record("requests were not dispatched")
            return
        }
        #expect(push.idempotencyKey == "k-1")
        #expect(pull.limit == 10)
        #expect(ack.cursor == "c_2")
        #expect(machine.state == .established)
    }

    @Test func answersCarryTheRequestId() throws {
        var machine = machine(in: .established)
        let push = PushMessage(requestId: "r-1", idempotencyKey: "k-1", mutations: [mutation(seq: 1)])
        let result = PushResult(
            results: [MutationResult(seq: 1, collection: "tasks", recordId: "task-1", status: .applied, version: 2)],
            synced: 1, failed: 0, cursor: "c_9", replayed: true
        )
        #expect(machine.pushed(push, result: result) == .send(.pushResult(PushResultMessage(
            requestId: "r-1", idempotencyKey: "k-1", replayed: true, results: result.results, synced: 1, failed: 0, cursor: "c_9"
        ))))
        let pull = PullMessage(requestId: "r-2")
        let page = ChangePage(changes: [FakeSyncService.change(cursor: "c_3")], cursor: "c_3", hasMore: true)
        #expect(machine.pulled(pull, page: page) == .send(.changes(ChangesMessage(requestId: "r-2", changes: page.changes, cursor: "c_3", hasMore: true))))
        #expect(machine.acknowledged(AckMessage(requestId: "r-3", cursor: "c_3"), result: AckResult(cursor: "c_3")) == .send(.acked(AckedMessage(requestId: "r-3", cursor: "c_3"))))
        #expect(machine.acknowledged(AckMessage(cursor: "c_4"), result: AckResult()) == .send(.acked(AckedMessage(cursor: "c_4"))))
    }

    @Test func serviceErrorsAreErrorMessagesWithTheirFields() {
        var machine = machine(in: .established)
        let request = Machine.Request.push(PushMessage(requestId: "r-1", idempotencyKey: "k", mutations: [mutation(seq: 5)]))
        let action = machine.failed(request, error: ServiceError(.sequenceGap, "expected 4", expectedSeq: 4))
        expectError(action, .sequenceGap, requestId: "r-1")
        #expect(error(of: action)?.0.expectedSeq == 4)
        #expect(error(of: action)?.0.retryAfterMs == 1000)
        #expect(machine.state == .established)

        expectError(machine.failed(request, error: ServiceError(.tokenExpired, "expired")), .tokenExpired, requestId: "r-1", closeCode: 4401)
        #expect(machine.state == .closed(code: 4401))
        #expect(machine.failed(request, error: ServiceError(.internalError, "late")) == .none)
    }

    @Test func theEndOfTheChangeFeedClosesWith1012() {
        for state in [Machine.State.awaitingHello, .established] {
            var machine = machine(in: state)
            #expect(machine.changeFeedFinished() == .close(nil, code: 1012))
            #expect(machine.state == .closed(code: 1012))
            #expect(machine.changeFeedFinished() == .none)
        }
    }

    @Test func anExpiredTokenEndsTheSessionWith4401() {
        for state in [Machine.State.awaitingHello, .established, .draining] {
            var machine = machine(in: state)
            guard case .close(let message?, code: 4401) = machine.tokenExpired(), case .error(let error) = message else {
                Issue.record("expected error and close 4401 in \(state)")
                continue
            }
            #expect(error.code == "token_expired" && !error.retryable)
            #expect(machine.state == .closed(code: 4401))
            #expect(machine.tokenExpired() == .none)
        }
    }

    @Test func aSlowConsumerIsClosedWith4008() {
        for state in [Machine.State.awaitingHello, .established, .draining] {
            var machine = machine(in: state)
            guard case .close(let message?, code: 4008) = machine.slowConsumer(), case .error(let error) = message else {
                Issue.record("expected error and close 4008 in \(state)")
                continue
            }
            #expect(error.code == "slow_consumer" && error.retryable && error.requestId == nil)
            #expect(machine.state == .closed(code: 4008))
            #expect(machine.slowConsumer() == .none)
        }
    }
}
