import SyncSpec

/// A small but complete spec (every section of Spec/README.md) as YAML text, and targeted edits
/// of it, for differ tests. Each edit must match its target exactly once, so a test cannot pass
/// on an edit that silently did nothing.
struct DiffFixture {
    /// A problem with the fixture itself, not with the code under test.
    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    var yaml: String

    /// The base spec, version 1.0.0.
    static let base = DiffFixture(yaml: baseYAML)

    /// The fixture with `target` (which must occur exactly once) replaced.
    func replacing(_ target: String, with replacement: String) throws -> DiffFixture {
        let count = yaml.components(separatedBy: target).count - 1
        guard count == 1 else { throw Problem(description: "'\(target)' occurs \(count) times in the fixture") }
        return DiffFixture(yaml: yaml.replacingOccurrences(of: target, with: replacement))
    }

    /// The fixture without the line `line` (which must occur exactly once).
    func removing(_ line: String) throws -> DiffFixture {
        try replacing(line + "\n", with: "")
    }

    /// The fixture with `line` added after the line `anchor`.
    func inserting(_ line: String, after anchor: String) throws -> DiffFixture {
        try replacing(anchor + "\n", with: anchor + "\n" + line + "\n")
    }

    /// The fixture with protocol.version set to `version`.
    func version(_ version: String) throws -> DiffFixture {
        try replacing("  version: 1.0.0\n", with: "  version: \(version)\n")
    }

    /// The loaded spec; throws on any diagnostic, warnings included.
    func load() throws -> ProtocolSpec {
        let result = SpecLoader.load(files: [SpecFile(path: "fixture.yaml", contents: yaml)])
        guard result.diagnostics.isEmpty, let spec = result.spec else {
            throw Problem(description: "the fixture does not load: \(result.diagnostics.map(\.description))")
        }
        return spec
    }

    /// The diff from `old` to `new`.
    static func diff(_ old: DiffFixture, _ new: DiffFixture) throws -> SpecDiff {
        SpecDiffer.diff(old: try old.load(), new: try new.load())
    }

    /// The diff from the base spec to `new`.
    static func diff(to new: DiffFixture) throws -> SpecDiff {
        try diff(base, new)
    }
}

extension SpecDiff {
    /// Every change as `severity path`, in the diff's order, for exact expectations.
    var summary: [String] {
        changes.map { "\($0.severity.rawValue) \($0.path)" }
    }

    /// The changes at exactly `path`.
    func changes(at path: String) -> [SpecChange] {
        changes.filter { $0.path == path }
    }
}

private let baseYAML = """
protocol:
  name: mobilesync
  title: MobileSync protocol
  version: 1.0.0
  description: A fixture for differ tests.
  authentication: A bearer JWT naming the tenant.
  websocket:
    path: /v1/sync
    subprotocol: mobilesync.v1
    negotiation: The client offers versions in hello; the server picks one.
  rest:
    base_url: http://127.0.0.1:8080
limits:
  max_mutations_per_push: {value: 100, kind: max, unit: count, description: Most mutations in one push.}
  min_retry_seconds: {value: 1, kind: min, unit: seconds, description: Shortest wait before a retry.}
errors:
  malformed_frame: {status: 400, retryable: false, close_code: 4400, title: Malformed frame, description: Not a JSON object with a type.}
  unknown_message_type: {status: 400, retryable: false, title: Unknown message type, description: The type is not a known message.}
  invalid_message: {status: 422, retryable: false, title: Invalid message, description: The message breaks its schema.}
  rate_limited: {status: 429, retryable: true, title: Too many requests, description: Slow down.}
  busy: {status: 503, retryable: true, title: Busy, description: Try later., retry: {action: Send it again., min_delay_ms: 1000}}
requirements:
  - {id: PUSH-1, level: SHOULD, title: Small batches, text: A client SHOULD push few mutations at once., errors: [invalid_message], refs: [message:push, limit:max_mutations_per_push]}
  - {id: PUSH-2, level: MUST, title: Answer every push, text: The server MUST answer every push., refs: [message:push_result]}
enums:
  Operation:
    description: What a mutation does.
    values:
      create: {description: Creates a record.}
      update: {description: Updates a record.}
  MutationStatus:
    description: What happened to a mutation.
    values:
      applied: {description: Applied as sent.}
      rejected: {description: Refused.}
schemas:
  Mutation:
    description: One change to one record.
    fields:
      seq: {type: int, required: true, minimum: 1, description: Device sequence number.}
      op: {type: Operation, required: true, description: What to do.}
      record_id: {type: string, required: true, max_length: 64, description: The record.}
      data: {type: object, max_bytes: 65536, description: The changed fields.}
    examples:
      - {seq: 1, op: create, record_id: r1, data: {title: Hi}}
  MutationResult:
    description: The outcome of one mutation.
    fields:
      seq: {type: int, required: true, description: The mutation's sequence number.}
      status: {type: MutationStatus, required: true, description: What happened.}
      server_version: {type: int, description: The record's version after the mutation.}
    examples:
      - {seq: 1, status: applied, server_version: 3}
  PushRequest:
    description: A batch of mutations over REST.
    fields:
      mutations: {type: "[Mutation]", required: true, max_items: max_mutations_per_push, description: The batch.}
    examples:
      - {mutations: [{seq: 1, op: create, record_id: r1}]}
  PushResult:
    description: The outcome of a batch over REST.
    fields:
      results: {type: "[MutationResult]", required: true, description: One per mutation.}
    examples:
      - {results: [{seq: 1, status: applied}]}
  Problem:
    description: RFC 9457 problem details.
    fields:
      type: {type: string, required: true, description: A URI for the problem type.}
      title: {type: string, required: true, description: A short summary.}
      status: {type: int, required: true, description: The HTTP status.}
      code: {type: string, required: true, description: The error code.}
    examples:
      - {type: "about:blank", title: Invalid message, status: 422, code: invalid_message}
messages:
  push:
    direction: client
    summary: Send a batch of mutations.
    description: The client's changes since its last push.
    replies: [push_result, error]
    fields:
      request_id: {type: string, required: true, max_length: 64, description: Echoed in the reply.}
      mutations: {type: "[Mutation]", required: true, max_items: max_mutations_per_push, description: The batch.}
      note: {type: string, description: Free text for logs.}
    examples:
      - {type: push, request_id: r1, mutations: [{seq: 1, op: create, record_id: r1}]}
  push_result:
    direction: server
    summary: The outcome of a push.
    description: One result per mutation, in order.
    fields:
      request_id: {type: string, required: true, description: The push's request id.}
      results: {type: "[MutationResult]", required: true, description: One per mutation.}
      server_time: {type: int, required: true, format: unix_ms, description: When the server applied the batch.}
    examples:
      - {type: push_result, request_id: r1, results: [{seq: 1, status: applied}], server_time: 1700000000000}
  ping: {direction: client, summary: Keep the connection alive., description: Answered with pong., replies: [pong], examples: [{type: ping}]}
  pong: {direction: server, summary: Answer to ping., description: Sent for every ping., examples: [{type: pong}]}
  error:
    direction: server
    summary: Something went wrong.
    description: A problem with a frame the client sent.
    fields:
      code: {type: string, required: true, description: The error code.}
      message: {type: string, description: For people.}
    examples:
      - {type: error, code: invalid_message}
endpoints:
  pushBatch:
    method: POST
    path: /v1/sync/push
    summary: Push a batch over REST.
    description: Same as the push message.
    headers:
      Idempotency-Key: {type: string, required: true, max_length: 255, description: Makes retries safe.}
    request:
      schema: PushRequest
      description: The batch.
    responses:
      200:
        description: The batch was processed.
        schema: PushResult
        headers:
          Idempotent-Replayed: {type: string, description: Present on replays.}
    errors: [invalid_message, rate_limited]
  listResults:
    method: GET
    path: /v1/sync/results
    summary: Recent push results after a cursor.
    description: Paged.
    query:
      cursor: {type: string, description: Where to start.}
      limit: {type: int, minimum: 1, maximum: 500, description: Page size.}
    responses:
      200: {description: A page of results., schema: PushResult}
  health: {method: GET, path: /health, summary: Liveness., description: Always 200 when up., auth: none, responses: {200: {description: Up.}}}

close_codes:
  4400: {title: Bad frame, sent_by: [server], error: always, reconnect: backoff, min_delay_ms: 100, description: A malformed frame., action: Fix the client.}
  1011: {title: Internal Error, sent_by: [server], error: never, reconnect: backoff, min_delay_ms: 100, description: The server failed., action: Send unanswered pushes again.}
  4406: {title: Unsupported version, sent_by: [server], error: never, reconnect: never, description: The client is too old., action: Update the client.}
guides:
  start:
    title: Start
    description: How a client starts.
    sections:
      - {title: Connect, text: Send a push., refs: [message:push]}

"""
