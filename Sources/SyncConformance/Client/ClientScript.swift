public import SyncSpec

/// What a `role: client` vector asks of the runner, which then plays the server: how the
/// scripted server answers each kind of frame, and the steps (instructions to the client's
/// harness, server actions, checks of what the client sent).
public struct ClientScript: Sendable {
    /// Per frame kind (`hello`, `push`, `pull`, `ack`, `chunk`), the reactions to the first,
    /// second, ... frame of that kind; frames beyond the list are answered normally.
    public var reactions: [String: [Reaction]]
    /// Members merged over the scripted server's `welcome.limits`.
    public var limits: JSON?
    /// Records the scripted server holds before the client connects (as if other devices wrote them).
    public var records: [JSON]
    /// The steps, in order.
    public var steps: [ClientStep]
}

/// How the scripted server treats one frame or request.
public enum Reaction: Sendable, Equatable {
    /// As a conforming server would.
    case normal
    /// Close the TCP connection at once, without an answer or a close frame.
    case drop
    /// Never answer (the connection stays open).
    case silent
    /// Send a close frame with this code, without an answer.
    case close(Int)
    /// Answer with an `error` message (WebSocket) or a problem document (HTTP) of this code,
    /// with `retry_after_ms` when given.
    case error(code: String, retryAfterMs: Int?)
    /// Answer a push normally except that the mutations with these sequence numbers are
    /// `rejected` with `invalid_mutation`.
    case reject(seqs: [Int64])
    /// Answer normally, then deliver the same answer (a push result, a change page) again.
    case twice
    /// Answer a `hello` with these members merged over the normal `welcome`.
    case welcome(JSON)
}

/// One step of a client vector.
public struct ClientStep: Sendable {
    /// What the step does.
    public enum Action: Sendable {
        /// Send an instruction (`type` and its members, without `id`) to the harness and wait
        /// for its answer, or, with `wait: false`, go on at once (an upload to interrupt).
        case harness(JSON, wait: Bool)
        /// SIGKILL the harness and start it again on the same data directory (`case` again).
        case restart
        /// Wait until the scripted server has received `count` frames of `kind` in all.
        case await(kind: String, count: Int, timeoutMs: Int)
        /// A server action: `change` (a record written by another device, delivered live;
        /// `deliver: 2` sends it twice), `redeliver` (the change at a log position, again),
        /// `close` (a close code), `drop`, `ping` (a nonce), `expire_token`, `normal` (the
        /// remaining reactions are dropped: everything from now on is answered normally).
        case server(JSON)
        /// Match what the client sent: the frames of `kind` (a JSON array, each frame with
        /// `at_ms`, `session` and, for pushes, `answered_at_ms`).
        case check(kind: String)
        /// Wait this long.
        case sleep(Int)
    }

    /// The action.
    public var action: Action
    /// What the harness's answer (or the checked frames) must match.
    public var expect: JSON?
    /// Capture names for values of the answer (`$capture` in `expect` does the same).
    public var name: String?
    /// Where the step was written.
    public var location: SourceLocation
}
