import Foundation

/// The scripted server's data: one tenant, one device under test, records, a change log and the
/// device's applied sequence numbers, answering as a conforming server would (server_wins on
/// every conflict). Vectors judge the client, so the model is small and exact rather than
/// complete.
struct ServerModel: Sendable {
    struct Entry: Sendable {
        var position: Int64
        var change: JSON
    }

    private(set) var records: [String: JSON] = [:]
    private(set) var log: [Entry] = []
    /// The device's last applied sequence number.
    private(set) var lastSeq: Int64 = 0
    /// Results of applied mutations by sequence number, for `duplicate` answers.
    private var results: [Int64: JSON] = [:]
    /// Answers by idempotency key, replayed for the same key.
    private var replies: [String: JSON] = [:]
    private var clock: Int64 = 1_767_225_600_000

    /// The cursor after `position`.
    static func cursor(_ position: Int64) -> String { "c_\(position)" }

    /// The position a cursor names, `nil` when it is not one of ours.
    static func position(_ cursor: String) -> Int64? {
        guard cursor.hasPrefix("c_"), let value = Int64(cursor.dropFirst(2)), value >= 0 else { return nil }
        return value
    }

    var head: Int64 { log.last?.position ?? 0 }

    /// Applies a record written by someone else (seeded or a `change` action) and returns the
    /// change; without `op`, a create when the record is not live, else an update.
    mutating func external(collection: String, id: String, op: String?, fields: JSON?) -> JSON {
        let key = "\(collection)/\(id)"
        let live = records[key].map { $0["deleted"] != .bool(true) } ?? false
        let op = op ?? (live ? "update" : "create")
        let version = (records[key]?["version"]?.integer ?? 0) + 1
        var merged = op == "update" && live ? records[key]?["fields"] ?? .object([]) : .object([])
        for member in fields?.members ?? [] { merged = merged.replacing(member.key, with: member.value) }
        let record = Self.record(collection: collection, id: id, fields: op == "delete" ? .object([]) : merged,
                                 version: version, deleted: op == "delete", time: tick(), device: "other-device")
        return append(key: key, record: record, op: op)
    }

    /// The `push_result` members for `mutations` under `key` (without `type` and `request_id`),
    /// or an error code when the batch must be refused whole.
    mutating func push(_ mutations: [JSON], key: String, reject: Set<Int64>) -> Result<JSON, PushRefusal> {
        if let replay = replies[key] {
            return .success(replay.replacing("replayed", with: .bool(true)))
        }
        var answers: [JSON] = []
        var failed: Int64 = 0
        for mutation in mutations {
            let seq = mutation["seq"]?.integer ?? 0
            if seq <= lastSeq {
                let original = results[seq]?["status"] ?? .string("applied")
                answers.append((results[seq] ?? Self.result(mutation, status: "duplicate"))
                    .replacing("status", with: .string("duplicate")).replacing("original_status", with: original))
                continue
            }
            guard seq == lastSeq + 1 else { return .failure(PushRefusal(code: "sequence_gap", retryable: true)) }
            lastSeq = seq
            let result: JSON
            if reject.contains(seq) {
                result = Self.result(mutation, status: "rejected").replacing("error", with: .string("invalid_mutation"))
                failed += 1
            } else {
                result = apply(mutation)
            }
            results[seq] = result
            answers.append(result)
        }
        let reply = JSON.object([
            .init("idempotency_key", .string(key)), .init("replayed", .bool(false)), .init("results", .array(answers)),
            .init("synced", .int(Int64(answers.count) - failed)), .init("failed", .int(failed)), .init("cursor", .string(Self.cursor(head))),
        ])
        replies[key] = reply
        return .success(reply)
    }

    /// The changes after `cursor` (all when `nil`), at most `limit`.
    func page(after cursor: String?, limit: Int) -> (changes: [JSON], cursor: String, hasMore: Bool)? {
        let start: Int64
        if let cursor {
            guard let position = Self.position(cursor), position <= head else { return nil }
            start = position
        } else {
            start = 0
        }
        let rest = log.filter { $0.position > start }
        let page = rest.prefix(max(1, limit))
        return (page.map(\.change), Self.cursor(page.last?.position ?? start), rest.count > page.count)
    }

    private mutating func apply(_ mutation: JSON) -> JSON {
        let collection = mutation["collection"]?.string ?? ""
        let id = mutation["record_id"]?.string ?? ""
        let op = mutation["op"]?.string ?? "update"
        let key = "\(collection)/\(id)"
        let current = records[key]
        let version = current?["version"]?.integer ?? 0
        let live = current.map { $0["deleted"] != .bool(true) } ?? false
        let base = mutation["base_version"]?.integer ?? -1
        let conflict = op == "create" ? live : base != version
        if conflict, let current {
            return Self.result(mutation, status: "conflict_resolved").replacing("version", with: .int(version))
                .replacing("record", with: current).replacing("strategy", with: .string("server_wins"))
        }
        var fields = live ? current?["fields"] ?? .object([]) : .object([])
        switch op {
        case "delete": fields = .object([])
        case "create": fields = mutation["fields"] ?? .object([])
        default:
            for member in mutation["fields"]?.members ?? [] { fields = fields.replacing(member.key, with: member.value) }
        }
        let record = Self.record(collection: collection, id: id, fields: fields, version: version + 1, deleted: op == "delete",
                                 time: tick(), device: "device-under-test")
        _ = append(key: key, record: record, op: op)
        return Self.result(mutation, status: "applied").replacing("version", with: .int(version + 1)).replacing("record", with: record)
    }

    private mutating func append(key: String, record: JSON, op: String) -> JSON {
        records[key] = record
        let position = head + 1
        let change = JSON.object([.init("cursor", .string(Self.cursor(position))), .init("op", .string(op)), .init("record", record)])
        log.append(Entry(position: position, change: change))
        return change
    }

    private mutating func tick() -> Int64 {
        clock += 1
        return clock
    }

    private static func result(_ mutation: JSON, status: String) -> JSON {
        .object([.init("seq", mutation["seq"] ?? .int(0)), .init("collection", mutation["collection"] ?? .string("")),
                 .init("record_id", mutation["record_id"] ?? .string("")), .init("status", .string(status))])
    }

    private static func record(collection: String, id: String, fields: JSON, version: Int64, deleted: Bool, time: Int64, device: String) -> JSON {
        let fieldVersions = JSON.object((fields.members ?? []).map { JSON.Member($0.key, .int(version)) })
        return .object([
            .init("collection", .string(collection)), .init("id", .string(id)), .init("fields", fields), .init("version", .int(version)),
            .init("field_versions", fieldVersions), .init("updated_at", .int(time)), .init("client_time", .int(time)),
            .init("deleted", .bool(deleted)), .init("last_device", .string(device)),
        ])
    }
}

/// A push the model refuses whole.
struct PushRefusal: Error, Sendable {
    var code: String
    var retryable: Bool
}

extension JSON {
    /// This object with `key` set to `value` (replaced in place, or appended).
    func replacing(_ key: String, with value: JSON) -> JSON {
        guard case .object(var members) = self else { return self }
        if let index = members.firstIndex(where: { $0.key == key }) {
            members[index].value = value
        } else {
            members.append(Member(key, value))
        }
        return .object(members)
    }
}
