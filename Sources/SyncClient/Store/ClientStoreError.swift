/// An error of the local store: a write the server would refuse, a broken invariant, or a
/// database failure. A struct with a code, so new codes do not break callers that switch on it.
public struct ClientStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, stable for programs to test.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The code's name.
        public var rawValue: String

        /// Wraps a code name.
        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        public var description: String { rawValue }

        /// The collection name does not match the spec's pattern (`^[a-z][a-z0-9_]{0,63}$`).
        public static let invalidCollection = Code(rawValue: "invalid_collection")
        /// The record id is empty, too long (`max_record_id_length`) or has characters the spec refuses.
        public static let invalidRecordId = Code(rawValue: "invalid_record_id")
        /// The fields do not suit the operation: missing for `create`, empty for `update`, present
        /// for `delete`, or holding a number JSON cannot carry (NaN, infinity).
        public static let invalidFields = Code(rawValue: "invalid_fields")
        /// The fields, or the record they would produce, exceed `max_record_bytes`.
        public static let recordTooLarge = Code(rawValue: "record_too_large")
        /// An `update` or `delete` of a record the device does not see (absent or deleted).
        public static let recordNotFound = Code(rawValue: "record_not_found")
        /// A `create` of a record the device already sees live; use `update`.
        public static let recordExists = Code(rawValue: "record_exists")
        /// A value breaks another constraint of the spec (client time, cursor length...).
        public static let invalidValue = Code(rawValue: "invalid_value")
        /// `settle` was given a batch that is not the store's in-flight batch.
        public static let staleBatch = Code(rawValue: "stale_batch")
        /// Stored data could not be decoded: the database was changed by something else.
        public static let corruptData = Code(rawValue: "corrupt_data")
        /// The database itself failed (open, migrate, read, write).
        public static let database = Code(rawValue: "database")
        /// No upload session with that id.
        public static let uploadNotFound = Code(rawValue: "upload_not_found")
    }

    /// What went wrong.
    public var code: Code
    /// One line for people; never echoes field values.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
