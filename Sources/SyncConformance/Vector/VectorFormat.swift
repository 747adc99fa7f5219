/// The fixed vocabulary of the vector format v1 (`Conformance/README.md`).
public enum VectorFormat {
    /// Categories a vector may belong to.
    public static let categories = ["handshake", "auth", "tenancy", "push", "sequence", "idempotency", "pull", "ack",
                                    "realtime", "conflicts", "policies", "review", "uploads", "files", "errors", "limits",
                                    "heartbeat", "health", "test-control", "client"]
    /// Optional features a vector may need and a profile may support.
    public static let features = ["test-control", "clock-control", "http-sync", "manual-review", "uploads", "files",
                                  "health", "metrics", "token-forging", "heartbeat-timing", "storage-quota", "rate-limits"]
    /// The word `--features` accepts for every optional feature.
    public static let allFeatures = "all"
    /// `features` with `all` replaced by every optional feature, in the vocabulary's order.
    public static func expand(features: [String]) -> [String] {
        features.contains(allFeatures) ? Self.features : features
    }
    /// Requirement levels.
    public static let levels = ["MUST", "SHOULD", "MAY"]
    /// Tenants a vector may use.
    public static let tenants = ["main", "other", "third"]
    /// Value matcher keys.
    public static let matchers = ["$any", "$absent", "$type", "$regex", "$len", "$gte", "$lte", "$gt", "$lt", "$one_of",
                                  "$contains", "$unordered", "$not", "$capture", "$eq_capture", "$each"]
    /// Values of `$type`.
    public static let typeNames = ["string", "int", "number", "bool", "object", "array", "null"]
    /// The pattern of node names (`--node NAME=URL`, a vector's `nodes`).
    public static let nodePattern = "^[a-z][a-z0-9-]{0,31}$"
    /// The pattern of vector ids.
    public static let idPattern = "^[a-z0-9]+(?:[.-][a-z0-9]+)*$"
    /// Default whole-vector timeout.
    public static let defaultTimeoutMs = 30_000
    /// Default waiting time of `expect`, `expect_any_order` and `expect_close`.
    public static let defaultWithinMs = 5_000
    /// Most times one `send` step may send its frame (`count`).
    public static let maxSendCount = 10_000
    /// Names built into interpolation besides actors and captures.
    public static let builtins = ["tenant", "now_ms", "uuid", "blob"]
}
