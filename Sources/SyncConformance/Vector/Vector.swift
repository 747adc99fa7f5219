public import SyncSpec

/// One conformance vector as loaded from `Vectors/<category>/<id>.yaml`.
public struct Vector: Sendable {
    /// The stable id (= file name without `.yaml`).
    public var id: String
    /// One-line title.
    public var title: String
    /// Longer explanation.
    public var description: String?
    /// Requirement ids the vector checks, with where each was written.
    public var requirements: [Located<String>]
    /// `MUST`, `SHOULD` or `MAY`.
    public var level: String
    /// The category (`push`, `auth`, ...).
    public var category: String
    /// Optional features it needs (`test-control` is implied).
    public var features: [Located<String>]
    /// The kind of implementation under test: `server` (the runner plays the clients) or
    /// `client` (the runner plays the server, `client` holds the script).
    public var role: String
    /// Other nodes of the implementation the steps address by name (`peer`, `no-test-control`),
    /// given to the runner with `--node NAME=URL`; the vector is skipped when one is missing.
    public var nodes: [Located<String>] = []
    /// Whole-vector timeout.
    public var timeoutMs: Int
    /// Actors by name, in written order.
    public var actors: [Actor]
    /// Setup through test control, per tenant (`main` first).
    public var setup: [TenantSetup]
    /// Deterministic byte blobs by name.
    public var blobs: [BlobSpec]
    /// The steps, in order.
    public var steps: [Step]
    /// The file it came from.
    public var file: String
    /// For `role: client`: the scripted server's behaviour and the client steps (`steps` is empty).
    public var client: ClientScript?
    /// Whether the vector runs alone, after every other vector: it reads state the whole server
    /// shares (a `/metrics` gauge) that vectors running beside it would change.
    public var exclusive: Bool = false

    /// The actor named `name`.
    public func actor(_ name: String) -> Actor? { actors.first { $0.name == name } }

    /// The blob named `name`.
    public func blob(_ name: String) -> BlobSpec? { blobs.first { $0.name == name } }

    /// Every tenant the vector uses (`main` always).
    public var tenants: [String] {
        var names = ["main"]
        for name in actors.map(\.tenant) + setup.map(\.tenant) where !names.contains(name) { names.append(name) }
        return names
    }
}

/// A value with the place it was written.
public struct Located<Value: Sendable>: Sendable {
    /// The value.
    public var value: Value
    /// Where it was written.
    public var location: SourceLocation

    /// Creates a located value.
    public init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }
}

/// A party of the vector with its token: `{user: alice, device: phone-a}`.
public struct Actor: Sendable {
    /// The actor's name in the vector.
    public var name: String
    /// `main`, `other` or `third`.
    public var tenant: String
    /// The `sub` claim.
    public var user: String
    /// The `device_id` claim, when the actor is a device.
    public var device: String?
    /// The `roles` claim.
    public var roles: [String]
    /// `exp` relative to the tenant's server time.
    public var expiresInS: Int
    /// `nbf` relative to the tenant's server time, when set.
    public var notBeforeInS: Int?
    /// Claims merged over the generated ones (`{$absent: true}` deletes one).
    public var claims: JSON?
    /// How to forge the token, when the vector wants a broken one.
    public var forge: TokenForgery?
    /// Where the actor was defined.
    public var location: SourceLocation
}

/// A deliberately broken or arbitrary token.
public enum TokenForgery: Sendable, Equatable {
    /// Header `alg: none`, empty signature.
    case algNone
    /// A valid token with one byte of its header, payload or signature changed.
    case tamper(String)
    /// This exact string.
    case raw(String)
}

/// Setup for one tenant, applied through test control and the operator API.
public struct TenantSetup: Sendable {
    /// `main`, `other` or `third`.
    public var tenant: String
    /// Body of `POST /v1/test/clock`.
    public var clock: JSON?
    /// Body of `PUT /v1/policies/default`.
    public var defaultPolicy: JSON?
    /// Bodies of `PUT /v1/policies/collections/{name}`, in order.
    public var policies: [JSON.Member]
    /// `records` of `POST /v1/test/records`.
    public var records: JSON?
}

/// A blob definition: `{size: 300000, seed: 7}` or `{size: N, fill: "ab"}`.
public struct BlobSpec: Sendable, Equatable {
    /// How the bytes are made.
    public enum Source: Sendable, Equatable {
        /// SplitMix64 words from this seed.
        case seed(UInt64)
        /// This text repeated.
        case fill(String)
    }

    /// The blob's name.
    public var name: String
    /// Its length in bytes.
    public var size: Int
    /// How its bytes are made.
    public var source: Source

    /// Creates a blob definition.
    public init(name: String, size: Int, source: Source) {
        self.name = name
        self.size = size
        self.source = source
    }
}
