public import SyncSpec

/// One step of a vector: what it does, plus its optional name and timeout.
public struct Step: Sendable {
    /// What the step does.
    public var action: StepAction
    /// A name for logs.
    public var name: String?
    /// The step's own timeout (default: the action's own waiting time plus a margin).
    public var timeoutMs: Int?
    /// Where the step was written.
    public var location: SourceLocation
    /// Captures the step defines (`$capture`), for lint.
    public var captureDefinitions: [String]
    /// Interpolations the step uses (`${name}`), for lint.
    public var captureUses: [Located<String>]

    /// The step's kind as written (`ws_connect`, `http`, ...).
    public var kind: String { action.kind }
}

/// The kinds of steps.
public indirect enum StepAction: Sendable {
    /// Open a WebSocket (or expect the upgrade to be refused).
    case wsConnect(WSConnectStep)
    /// Send one frame.
    case send(SendStep)
    /// The next data frame matches.
    case expect(ExpectFrameStep)
    /// The next frames match as a set.
    case expectAnyOrder(ExpectAnyOrderStep)
    /// No data frame arrives for a while.
    case expectSilence(conn: String, forMs: Int)
    /// The server closes the connection.
    case expectClose(ExpectCloseStep)
    /// Close the connection from the client side.
    case close(conn: String, code: Int)
    /// Stop (`paused`) or restart reading a connection's socket, to act as a slow consumer.
    case reading(conn: String, paused: Bool)
    /// One HTTP request and its expected response.
    case http(HTTPStep)
    /// Move a tenant's clock (`{set_ms}` or `{advance_ms}`).
    case clock(tenant: String, body: JSON)
    /// Wait.
    case sleep(ms: Int)
    /// Branches of steps run concurrently.
    case parallel([[Step]])

    /// The key the step is written with.
    public var kind: String {
        switch self {
        case .wsConnect: "ws_connect"
        case .send: "send"
        case .expect: "expect"
        case .expectAnyOrder: "expect_any_order"
        case .expectSilence: "expect_silence"
        case .expectClose: "expect_close"
        case .close: "close"
        case .reading(_, let paused): paused ? "pause_reading" : "resume_reading"
        case .http: "http"
        case .clock: "clock"
        case .sleep: "sleep"
        case .parallel: "parallel"
        }
    }
}

/// `ws_connect`: open a WebSocket as an actor.
public struct WSConnectStep: Sendable {
    /// The actor whose token is used.
    public var actor: String
    /// The node to connect to (one of the vector's `nodes`); `nil` for the target.
    public var node: String? = nil
    /// The connection's name (default the actor's).
    public var name: String
    /// `query`, `header`, `both` or `none`.
    public var auth: String
    /// A token overriding the actor's (interpolated).
    public var token: String?
    /// The path (default the spec's WebSocket path).
    public var path: String?
    /// Extra query parameters (interpolated).
    public var query: [JSON.Member]
    /// Extra request headers (interpolated).
    public var headers: [JSON.Member]
    /// Whether server pings are answered and hidden.
    public var autoPong: Bool
    /// When set, the upgrade must be refused with this response.
    public var refusal: HTTPExpectation?
}

/// The body of a sent frame.
public enum FramePayload: Sendable {
    /// A JSON value, sent compact.
    case json(JSON)
    /// Raw text.
    case text(String)
    /// Raw bytes as a binary frame.
    case binaryBase64(String)
    /// Raw bytes as a text frame, valid UTF-8 or not (RFC 6455 §8.1 probes).
    case textBase64(String)
    /// `prefix + repeat * times + suffix` as one text frame.
    case generated(repeat: String, times: Int, prefix: String, suffix: String)
}

/// `send`: one frame on a connection.
public struct SendStep: Sendable {
    /// The connection.
    public var conn: String
    /// What is sent.
    public var payload: FramePayload
    /// How many times the frame is sent, one after another (default 1).
    public var count: Int = 1
    /// Whether the frame is masked, as RFC 6455 requires of a client (default); `false` probes a
    /// server's refusal of unmasked frames.
    public var masked: Bool = true
    /// Whether the frame ends its message (default); `false` sends the first fragments of a
    /// fragmented message (RFC 6455 §5.4).
    public var fin: Bool = true
    /// Whether the frame is a continuation frame (the opcode of every fragment after the first)
    /// instead of a text or binary frame; probes a server's handling of fragments.
    public var continuation: Bool = false
}

/// `expect`: the next data frame matches.
public struct ExpectFrameStep: Sendable {
    /// The connection.
    public var conn: String
    /// The expected frame (matchers allowed), or `nil` with `text`.
    public var json: JSON?
    /// The expected text of the frame, when not matched as JSON.
    public var text: JSON?
    /// Subset (default) or exact.
    public var mode: MatchMode
    /// How long to wait.
    public var withinMs: Int
}

/// `expect_any_order`: the next frames match as a set.
public struct ExpectAnyOrderStep: Sendable {
    /// The connection.
    public var conn: String
    /// The expected frames.
    public var frames: [JSON]
    /// Subset (default) or exact.
    public var mode: MatchMode
    /// How long to wait for all of them.
    public var withinMs: Int
}

/// `expect_close`: the server closes the connection.
public struct ExpectCloseStep: Sendable {
    /// The connection.
    public var conn: String
    /// The expected close code, when given.
    public var code: Int?
    /// How long to wait.
    public var withinMs: Int
    /// Whether data frames before the close are tolerated.
    public var allowFramesBefore: Bool
}

/// The body of an HTTP request.
public enum HTTPBody: Sendable {
    /// JSON (Content-Type application/json unless given).
    case json(JSON)
    /// Raw text.
    case text(String)
    /// Raw bytes.
    case base64(String)
    /// A slice of a blob (octet-stream), streamed.
    case blob(name: String, offset: JSON?, length: JSON?)
    /// `repeat` times `times`, streamed.
    case generated(repeat: String, times: Int)
}

/// `http`: one request and what its response must be.
public struct HTTPStep: Sendable {
    /// The actor whose token authorizes the request.
    public var actor: String?
    /// The node to send it to (one of the vector's `nodes`); `nil` for the target.
    public var node: String? = nil
    /// `GET`, `POST`, ...
    public var method: String
    /// The path (interpolated).
    public var path: String
    /// Query parameters (interpolated).
    public var query: [JSON.Member]
    /// Request headers (interpolated).
    public var headers: [JSON.Member]
    /// `bearer` (default) or `none`.
    public var auth: String
    /// The body, when there is one.
    public var body: HTTPBody?
    /// What the response must be.
    public var expect: HTTPExpectation?
}

/// What an HTTP response (or a refused upgrade) must be.
public struct HTTPExpectation: Sendable {
    /// The status (a number or a matcher).
    public var status: JSON?
    /// Headers by name (case-insensitive), values matched as strings.
    public var headers: [JSON.Member]
    /// The parsed JSON body.
    public var json: JSON?
    /// The body as text.
    public var text: JSON?
    /// The exact body bytes.
    public var bodyBase64: String?
    /// A blob slice the body must equal.
    public var bodyBlob: HTTPBody?
    /// Subset (default) or exact for `json`.
    public var mode: MatchMode
}

/// How objects are compared.
public enum MatchMode: String, Sendable {
    /// Expected keys must be present; extra keys are allowed.
    case subset
    /// No extra keys.
    case exact
}
