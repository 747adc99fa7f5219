/// A request the deriver knows how to make valid in a fresh tenant, on one transport, and what
/// answers mean there. Which fields vary, and between which bounds, comes from the spec.
struct DerivedTarget: Sendable {
    enum Transport: Sendable, Equatable {
        /// A client message of this type on the WebSocket.
        case webSocket
        /// A REST call: method and path (query parameters are added to the path).
        case rest(method: String, path: String)
    }

    /// Short name used in vector ids (`push-ws`, `pull-changes-rest`).
    var name: String
    /// What the title calls it.
    var label: String
    var transport: Transport
    /// The spec element whose fields are varied: a message type or an endpoint's operation id.
    var source: String
    /// A valid request: the message or body, or `nil` for a GET (query parameters only).
    var base: JSON?
    /// Headers sent with every request.
    var headers: [(String, String)] = []
    /// Roles of the actor's token (none: a device token).
    var roles: [String] = []
    /// Optional features the request needs.
    var features: [String] = []
    /// The answer when nothing is refused.
    var success: Success
    /// Whether a refusal is followed by a pull that must show nothing was applied (ERR-4).
    var checksNothingApplied = false

    enum Success: Sendable {
        /// A WebSocket reply of this type (with the request's `request_id`); pushes also count results.
        case reply(String)
        /// An HTTP status.
        case status(Int)
    }

    static let mutation: JSON = .object([
        .init("seq", .int(1)), .init("collection", .string("notes")), .init("record_id", .string("n1")),
        .init("op", .string("create")), .init("base_version", .int(0)), .init("fields", .object([.init("i", .int(1))])),
        .init("client_time", .int(1_767_225_600_000)),
    ])

    /// Every target, in the order vectors are written.
    static let all: [DerivedTarget] = [
        DerivedTarget(name: "push-ws", label: "push over WebSocket", transport: .webSocket, source: "push",
                      base: .object([.init("type", .string("push")), .init("request_id", .string("r1")),
                                     .init("idempotency_key", .string("k1")), .init("mutations", .array([mutation]))]),
                      success: .reply("push_result"), checksNothingApplied: true),
        DerivedTarget(name: "push-rest", label: "pushBatch over REST", transport: .rest(method: "POST", path: "/v1/sync/push"),
                      source: "pushBatch", base: .object([.init("mutations", .array([mutation]))]),
                      headers: [("Idempotency-Key", "k1")], features: ["http-sync"], success: .status(200), checksNothingApplied: true),
        DerivedTarget(name: "pull-ws", label: "pull over WebSocket", transport: .webSocket, source: "pull",
                      base: .object([.init("type", .string("pull")), .init("request_id", .string("r1"))]), success: .reply("changes")),
        DerivedTarget(name: "pull-rest", label: "pullChanges over REST", transport: .rest(method: "GET", path: "/v1/sync/pull"),
                      source: "pullChanges", base: nil, features: ["http-sync"], success: .status(200)),
        DerivedTarget(name: "reviews-rest", label: "listReviews", transport: .rest(method: "GET", path: "/v1/reviews"),
                      source: "listReviews", base: nil, roles: ["operator"], features: ["manual-review"], success: .status(200)),
        DerivedTarget(name: "audit-rest", label: "listAuditLog", transport: .rest(method: "GET", path: "/v1/audit"),
                      source: "listAuditLog", base: nil, roles: ["operator"], success: .status(200)),
        DerivedTarget(name: "device-health-rest", label: "listDeviceHealth", transport: .rest(method: "GET", path: "/v1/devices/health"),
                      source: "listDeviceHealth", base: nil, roles: ["operator"], features: ["health"], success: .status(200)),
        DerivedTarget(name: "upload-init-rest", label: "initUpload", transport: .rest(method: "POST", path: "/v1/uploads"),
                      source: "initUpload",
                      base: .object([.init("name", .string("a.bin")), .init("size", .int(100_000)),
                                     .init("content_type", .string("application/octet-stream")),
                                     .init("sha256", .string(String(repeating: "0", count: 64))), .init("chunk_size", .int(65_536))]),
                      features: ["uploads"], success: .status(201)),
    ]

    /// Fields whose bounds a vector cannot isolate, and why; reported by `derive`.
    static let skipped: [String: String] = [
        "cursor": "any cursor a vector makes up was never issued, so it is invalid_cursor whatever its length (pull.invalid-cursors covers the length)",
        "initUpload.size": "whether a file of max_upload_bytes is accepted depends on the server's storage quota (storage_full, UPL-14)",
        "pullChanges.collections": "a comma-separated list whose length bound depends on the names chosen",
    ]

    /// The code a value beyond a bound is refused with: the one LIM-2 names for the batch and
    /// record size, `idempotency_key_missing` for an empty key (its registry entry says so),
    /// otherwise `invalid_message` (WS-4).
    static func refusalCode(field: String, bound: BoundaryDeriver.Bound) -> String {
        switch (bound.limit, field, bound.isMax) {
        case ("max_mutations_per_push", _, true): "batch_too_large"
        case ("max_record_bytes", _, true): "record_too_large"
        case (_, "idempotency_key", false): "idempotency_key_missing"
        default: "invalid_message"
        }
    }
}
