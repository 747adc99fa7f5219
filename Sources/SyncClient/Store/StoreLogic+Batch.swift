import Foundation
import SyncProtocol

extension StoreLogic {
    /// The persisted in-flight batch, or a new one made of the first outbox entries.
    static func nextBatch(_ tx: inout some StoreTransaction, maxMutations: Int, maxBytes: Int) throws -> OutboxBatch? {
        if let marker = try tx.inFlightMarker() {
            let entries = try tx.outbox(seqs: marker.firstSeq...marker.lastSeq)
            if entries.first?.seq == marker.firstSeq, entries.last?.seq == marker.lastSeq {
                return OutboxBatch(idempotencyKey: marker.idempotencyKey, entries: entries)
            }
            // Entries of the batch were settled some other way: the marker is stale.
            try tx.setInFlightMarker(nil)
        }
        let head = try tx.outboxHead(limit: max(1, maxMutations))
        guard !head.isEmpty else { return nil }
        var entries: [OutboxEntry] = []
        var bytes = OutboxBatch.frameOverheadBytes
        for entry in head {
            bytes += entry.payload.count + 1
            // Always at least one entry: a single mutation fits any frame the spec allows.
            if !entries.isEmpty && bytes > maxBytes { break }
            entries.append(entry)
        }
        let batch = OutboxBatch(idempotencyKey: UUID().uuidString.lowercased(), entries: entries)
        try tx.setInFlightMarker(InFlightMarker(idempotencyKey: batch.idempotencyKey, firstSeq: batch.firstSeq, lastSeq: batch.lastSeq))
        return batch
    }

    /// Forgets the in-flight batch without settling it; its entries stay in the outbox.
    static func discardInFlight(_ tx: inout some StoreTransaction) throws {
        try tx.setInFlightMarker(nil)
    }

    /// Gives up on the in-flight batch's entries: each moves to the rejected list with `error`.
    static func rejectInFlight(_ tx: inout some StoreTransaction, error: ErrorCode, message: String) throws -> [SettledMutation] {
        guard let marker = try tx.inFlightMarker() else { return [] }
        var settled: [SettledMutation] = []
        for entry in try tx.outbox(seqs: marker.firstSeq...marker.lastSeq) {
            try tx.insertRejected(RejectedMutation(mutation: entry.mutation, error: error, message: message))
            try tx.removeOutbox(seq: entry.seq)
            settled.append(SettledMutation(seq: entry.seq, key: entry.key, status: .rejected, error: error))
        }
        try tx.setInFlightMarker(nil)
        if let last = settled.last?.seq { try raiseLastSettled(&tx, to: last) }
        return settled
    }

    static func raiseLastSettled(_ tx: inout some StoreTransaction, to seq: Int64) throws {
        if seq > (try tx.int64Meta(.lastSettledSeq) ?? 0) { try tx.setMeta(.lastSettledSeq, String(seq)) }
    }
}

extension StoreLogic {
    /// Renumbers the outbox after the server's last processed sequence number when the server
    /// is ahead of every number this store ever assigned (the app was reinstalled, or its data
    /// cleared, and the device id reused). Without it, the server would answer the new writes
    /// `duplicate` with the outcomes of old ones and they would be lost. Returns how many
    /// entries were renumbered; 0 when the store is not behind.
    static func rebaseSequence(_ tx: inout some StoreTransaction, serverLastSeq: Int64) throws -> Int {
        let next = try tx.int64Meta(.nextSeq) ?? 1
        guard serverLastSeq >= next else { return 0 }
        // Nothing this store numbered can have reached the server: every pending entry (the
        // in-flight batch included) is new to it.
        let entries = try tx.outboxHead(limit: Int.max)
        for entry in entries { try tx.removeOutbox(seq: entry.seq) }
        var seq = serverLastSeq
        for entry in entries {
            seq += 1
            var mutation = entry.mutation
            mutation.seq = seq
            try tx.appendOutbox(OutboxEntry(mutation: mutation))
        }
        try tx.setInFlightMarker(nil)
        try tx.setMeta(.nextSeq, String(seq + 1))
        try tx.setMeta(.lastSettledSeq, String(serverLastSeq))
        return entries.count
    }
}
