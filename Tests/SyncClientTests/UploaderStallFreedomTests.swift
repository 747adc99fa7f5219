import SyncClient
import SyncProtocol
import Testing

/// A simulated driver and world around the state machine: an outbox counter, a connection, a
/// token service and a server that answers at random. It performs the machine's actions the way
/// the client actor will.
struct SimulatedWorld {
    var machine: UploaderStateMachine
    var random: SplitMix64
    var pending = 0
    var connected = false
    var inFlight: Int?
    var awaitingReply = false
    var sent = 0

    init(seed: UInt64) {
        machine = UploaderStateMachine(configuration: .init(backoff: Backoff(baseMs: 50, capMs: 5_000, floorMs: 10), maxMutationsPerBatch: 8), randomSeed: seed)
        random = SplitMix64(seed: seed ^ 0xABCDEF)
    }

    mutating func roll(_ sides: Int) -> Int { Int(random.next() % UInt64(sides)) }

    /// Feeds an event and performs the resulting action (and whatever events performing it causes).
    mutating func feed(_ event: UploaderStateMachine.Event) {
        var queue = [event]
        while !queue.isEmpty {
            let action = machine.handle(queue.removeFirst())
            checkInvariant()
            if case .sendBatch(let request) = action {
                #expect(connected, "a send is only asked for while connected")
                switch request.inFlight {
                case .reuse: break
                case .discard: inFlight = nil
                case .reject:
                    pending -= inFlight ?? 0
                    inFlight = nil
                }
                if pending == 0 {
                    awaitingReply = false
                    queue.append(.outboxEmpty)
                } else {
                    inFlight = inFlight ?? min(request.maxMutations, pending)
                    awaitingReply = true
                    sent += 1
                }
            }
        }
    }

    /// The property: whenever the outbox holds work, the machine knows it and a timer is armed
    /// (a send's timeout, a retry, or a reconnection or token request that repeats itself).
    func checkInvariant() {
        #expect(pending >= 0)
        if pending > 0 {
            #expect(machine.hasPendingWork)
            #expect(machine.armedTimer != nil, "stalled in \(machine.state) with \(pending) pending")
        }
    }

    /// One random thing happening in the world.
    mutating func randomStep() {
        switch roll(11) {
        case 0:
            pending += 1
            feed(.localWrite)
        case 1:
            feed(.syncRequested)
        case 2 where !connected:
            connected = true
            feed(.connected(pendingWork: pending > 0))
        case 3 where connected:
            connected = false
            awaitingReply = false
            feed(.disconnected)
        case 4, 5:
            if let id = machine.armedTimer { feed(.timerFired(id: id)) }
        case 6:
            feed(.timerFired(id: random.next()))
        case 7:
            feed(.tokenSupplied)
        case 8 where awaitingReply, 9 where awaitingReply:
            answer(success: roll(3) == 0)
        case 10 where !awaitingReply:
            // A late answer to an attempt already given up on.
            feed(.batchFailed(.retry(retryAfterMs: Int64(roll(100))), batchSize: 1))
        default:
            break
        }
    }

    mutating func answer(success: Bool) {
        awaitingReply = false
        // Without an in-flight batch there is nothing to answer (the store would refuse to settle).
        guard let size = inFlight else { return }
        if success {
            pending -= size
            inFlight = nil
            feed(.batchSettled(morePending: pending > 0))
            return
        }
        let failures: [UploadFailure] = [
            .retry(retryAfterMs: nil), .retry(retryAfterMs: Int64(roll(10_000))), .needsAuthentication,
            .batchTooLarge(.batchTooLarge), .refused(.invalidMessage), .idempotencyKeyReused, .incompatible(.unsupportedProtocolVersion),
        ]
        feed(.batchFailed(failures[roll(failures.count)], batchSize: size))
    }

    /// After the storm: connections open when asked, tokens come when asked, every push
    /// succeeds, and time passes (the armed timer fires) whenever nothing else happens.
    mutating func calm(maxSteps: Int) -> Bool {
        for _ in 0..<maxSteps {
            if pending == 0 && !awaitingReply { return true }
            if awaitingReply {
                answer(success: true)
            } else if machine.state == .waitingForConnection {
                if connected {
                    connected = false
                    feed(.disconnected)
                }
                connected = true
                feed(.connected(pendingWork: pending > 0))
            } else if machine.state == .needsAuthentication {
                feed(.tokenSupplied)
            } else if let id = machine.armedTimer {
                feed(.timerFired(id: id))
            } else {
                Issue.record("nothing armed in \(machine.state) with \(pending) pending")
                return false
            }
        }
        return pending == 0
    }
}

@Suite("UploaderStateMachine: never stalls")
struct UploaderStallFreedomTests {
    @Test("random event sequences: pending work always has a timer armed, and the outbox drains once the world calms", arguments: (0 as UInt64)..<200)
    func neverStalls(seed: UInt64) {
        var world = SimulatedWorld(seed: seed)
        for _ in 0..<400 { world.randomStep() }
        world.checkInvariant()
        let drained = world.calm(maxSteps: 10_000)
        #expect(drained, "seed \(seed): \(world.pending) still pending in \(world.machine.state)")
        #expect(world.machine.hasPendingWork == false || world.pending == 0)
    }
}
