public import Foundation
public import SyncProtocol

/// One pending local mutation, exactly as it goes on the wire.
public struct OutboxEntry: Sendable, Hashable {
    /// The mutation (its `seq` orders the outbox).
    public var mutation: Mutation
    /// The mutation's canonical wire encoding, stored once at write time, so that every resend
    /// carries the same bytes.
    public var payload: Data

    /// Creates an entry from a mutation and its stored encoding.
    public init(mutation: Mutation, payload: Data) {
        self.mutation = mutation
        self.payload = payload
    }

    /// Creates an entry, encoding the mutation canonically. The mutation kept is the one decoded
    /// from those bytes (a `3.0` field reads back as the integer `3`), so the entry a write returns
    /// equals the one every later read returns.
    public init(mutation: Mutation) {
        let payload = WireCodec.encode(mutation)
        let stored = (try? JSONDecoder().decode(Mutation.self, from: payload)) ?? mutation
        self.init(mutation: stored, payload: payload)
    }

    /// The device sequence number of the mutation.
    public var seq: Int64 { mutation.seq }

    /// The record the mutation addresses.
    public var key: RecordKey { RecordKey(collection: mutation.collection, id: mutation.recordId) }
}

/// The batch the uploader sends: the first outbox entries under one idempotency key. Persisted
/// while in flight, so that a retry (after a timeout, a reconnect or a crash) sends the same
/// sequence numbers, the same key and the same bytes, and the server applies it exactly once.
public struct OutboxBatch: Sendable, Hashable {
    /// The batch's idempotency key (a UUID), reused by every retry of this batch.
    public var idempotencyKey: String
    /// The entries, in increasing `seq` order; never empty.
    public var entries: [OutboxEntry]

    /// Creates a batch.
    public init(idempotencyKey: String, entries: [OutboxEntry]) {
        self.idempotencyKey = idempotencyKey
        self.entries = entries
    }

    /// The mutations, in `seq` order, for a `push` message or a `pushBatch` body.
    public var mutations: [Mutation] { entries.map(\.mutation) }

    /// The first sequence number of the batch.
    public var firstSeq: Int64 { entries.first?.seq ?? 0 }

    /// The last sequence number of the batch.
    public var lastSeq: Int64 { entries.last?.seq ?? 0 }

    /// The JSON array of the stored mutation encodings, for a transport that splices the stored
    /// bytes into its frame instead of encoding the mutations again.
    public var mutationsJSON: Data {
        var data = Data("[".utf8)
        for (index, entry) in entries.enumerated() {
            if index > 0 { data.append(UInt8(ascii: ",")) }
            data.append(entry.payload)
        }
        data.append(UInt8(ascii: "]"))
        return data
    }

    /// Bytes a `push` frame needs besides the mutations (type, request id, key, punctuation),
    /// rounded up generously; used to keep a batch within `max_frame_bytes`.
    public static let frameOverheadBytes = 512
}
