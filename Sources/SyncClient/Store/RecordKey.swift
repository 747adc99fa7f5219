/// The local identity of a record: its collection and id (the tenant is the store's).
public struct RecordKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The record's collection.
    public var collection: String
    /// The record's id within its collection.
    public var id: String

    /// Creates a key.
    public init(collection: String, id: String) {
        self.collection = collection
        self.id = id
    }

    public static func < (lhs: RecordKey, rhs: RecordKey) -> Bool {
        (lhs.collection, lhs.id) < (rhs.collection, rhs.id)
    }

    public var description: String { "\(collection)/\(id)" }
}
