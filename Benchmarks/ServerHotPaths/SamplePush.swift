import Foundation
import SyncProtocol

/// The push every benchmark of a push uses: ten mutations of one device, consecutive sequence
/// numbers, six creates, three updates and a delete, as the WebSocket `push` frame a client
/// sends.
enum SamplePush {
    static let mutations: [Mutation] = (0..<10).map { index in
        let seq = Int64(101 + index)
        let clientTime = SampleWorkOrders.now - 5_000 + Int64(index) * 200
        let id = SampleWorkOrders.recordId(index)
        let collection = SampleWorkOrders.collection
        switch index {
        case 0..<6:
            return Mutation(seq: seq, collection: collection, recordId: id, op: .create, baseVersion: 0,
                            fields: SampleWorkOrders.fields(index), clientTime: clientTime)
        case 6..<9:
            return Mutation(seq: seq, collection: collection, recordId: id, op: .update, baseVersion: 5,
                            fields: SampleWorkOrders.changedFields(index), clientTime: clientTime)
        default:
            return Mutation(seq: seq, collection: collection, recordId: id, op: .delete, baseVersion: 5, clientTime: clientTime)
        }
    }

    /// The frame's bytes, as the client's canonical encoder writes them.
    static let frame: Data = ClientMessage.push(PushMessage(
        requestId: "req-8c1d", idempotencyKey: "batch-3f6e2a90-5b1c-4d7e-9a08-c2f41b7d6e53", mutations: mutations)).encoded()
}
