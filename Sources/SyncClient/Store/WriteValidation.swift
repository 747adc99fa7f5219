import SyncProtocol

/// Local checks of a write against the spec's limits, so that a write the server would refuse
/// fails at once with a clear error instead of waiting in the outbox for a certain rejection.
/// The spec's limits are used: a server's announced limits are never tighter (LIM-3).
enum WriteValidation {
    static func checkKey(collection: String, id: String) throws {
        if !collectionPattern.matches(collection) {
            throw ClientStoreError(.invalidCollection, "a collection is a lowercase letter followed by up to 63 lowercase letters, digits or underscores")
        }
        let length = id.unicodeScalars.count
        if length == 0 || Int64(length) > Limits.maxRecordIdLength || !recordIdPattern.matches(id) {
            throw ClientStoreError(.invalidRecordId, "a record id is 1 to \(Limits.maxRecordIdLength) characters of A-Z a-z 0-9 _ . : -")
        }
    }

    static func checkFields(op: MutationOp, fields: JSONObject?) throws {
        switch op {
        case .create:
            guard fields != nil else { throw ClientStoreError(.invalidFields, "create needs the record's fields") }
        case .update:
            guard let fields, !fields.isEmpty else { throw ClientStoreError(.invalidFields, "update needs at least one changed field") }
        case .delete:
            guard fields == nil else { throw ClientStoreError(.invalidFields, "delete takes no fields") }
        }
        if let fields {
            guard fields.values.allSatisfy(isEncodable) else {
                throw ClientStoreError(.invalidFields, "a field holds a number JSON cannot carry (NaN or infinity)")
            }
            try checkSize(fields, what: "the fields")
        }
    }

    static func checkSize(_ fields: JSONObject, what: String) throws {
        // The canonical encoding stands in for RFC 8785 (JCS): same keys order and structure, and
        // numbers at most a few bytes apart, well within the margin of a 64 KiB limit.
        let size = WireCodec.encode(fields).count
        if Int64(size) > Limits.maxRecordBytes {
            throw ClientStoreError(.recordTooLarge, "\(what) take \(size) bytes, more than max_record_bytes (\(Limits.maxRecordBytes))")
        }
    }

    static func checkClientTime(_ clientTime: Int64) throws {
        guard clientTime >= 0 else { throw ClientStoreError(.invalidValue, "client time must not be negative") }
    }

    private static func isEncodable(_ value: JSONValue) -> Bool {
        switch value {
        case .double(let number): number.isFinite
        case .array(let values): values.allSatisfy(isEncodable)
        case .object(let members): members.values.allSatisfy(isEncodable)
        case .null, .bool, .int, .string: true
        }
    }

    private static let collectionPattern = WirePattern("^[a-z][a-z0-9_]{0,63}$")
    private static let recordIdPattern = WirePattern("^[A-Za-z0-9_.:-]+$")
}
