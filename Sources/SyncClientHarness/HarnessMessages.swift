import Foundation
import SyncProtocol

/// One instruction from the conformance runner (`Conformance/harness.md`), a JSON line on stdin.
struct HarnessInstruction: Decodable, Sendable {
    /// `case`, `write`, `start`, `stop`, `sync`, `wait_settled`, `upload`, `new_token`, `snapshot`.
    var type: String
    /// Echoed in the answer, so the runner can pair them.
    var id: String?
    // `case`
    var caseId: String?
    var serverURL: String?
    var token: String?
    var dataDir: String?
    // `write`
    var op: String?
    var collection: String?
    var recordId: String?
    var fields: JSONObject?
    var count: Int?
    // `sync`, `wait_settled`
    var timeoutMs: Int64?
    var seq: Int64?
    // `upload`
    var size: Int64?
    var blobSeed: UInt64?
    var contentType: String?

    enum CodingKeys: String, CodingKey {
        case type, id, op, collection, fields, seq, size, token, count
        case caseId = "case_id"
        case serverURL = "server_url"
        case dataDir = "data_dir"
        case recordId = "record_id"
        case timeoutMs = "timeout_ms"
        case blobSeed = "blob_seed"
        case contentType = "content_type"
    }
}

/// Builds the harness's JSON-line answers and events.
enum HarnessOutput {
    /// An answer to the instruction `id` (or an unsolicited event when `id` is nil).
    static func message(_ type: String, id: String?, _ members: JSONObject = [:]) -> JSONValue {
        var object = members
        object["type"] = .string(type)
        if let id { object["id"] = .string(id) }
        return .object(object)
    }

    /// A refused instruction: `code` is one of `bad_instruction`, `not_ready`, `failed`, `timed_out`.
    static func error(id: String?, code: String, _ message: String) -> JSONValue {
        self.message("error", id: id, ["code": .string(code), "message": .string(message)])
    }

    /// A result as the wire carries it.
    static func json(_ result: MutationResult) -> JSONValue {
        (try? JSONDecoder().decode(JSONValue.self, from: WireCodec.encode(result))) ?? .null
    }
}
