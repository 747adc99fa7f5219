import Foundation
@testable import SyncServer
import SyncProtocol
import Testing

@Suite("specific error codes for codec failures")
struct RefinedErrorTests {
    private func code(_ json: String) -> ErrorCode? {
        do {
            _ = try ClientMessage.decode(Data(json.utf8))
            return nil
        } catch {
            return ServiceError.decoding(error).code
        }
    }

    private func mutation(_ seq: Int, fields: String = "{\"v\": 1}") -> String {
        "{\"seq\": \(seq), \"collection\": \"tasks\", \"record_id\": \"r\(seq)\", \"op\": \"create\", \"base_version\": 0, \"fields\": \(fields), \"client_time\": 1}"
    }

    @Test("too many mutations is batch_too_large; an oversized record is record_too_large")
    func limits() {
        let many = (1...Int(Limits.maxMutationsPerPush) + 1).map { mutation($0) }.joined(separator: ",")
        #expect(code("{\"type\": \"push\", \"request_id\": \"r\", \"idempotency_key\": \"k\", \"mutations\": [\(many)]}") == .batchTooLarge)
        let big = "{\"text\": \"\(String(repeating: "x", count: Int(Limits.maxRecordBytes)))\"}"
        #expect(code("{\"type\": \"push\", \"request_id\": \"r\", \"idempotency_key\": \"k\", \"mutations\": [\(mutation(1, fields: big))]}") == .recordTooLarge)
    }

    @Test("a push without a key is idempotency_key_missing; a malformed cursor is invalid_cursor")
    func keysAndCursors() {
        #expect(code("{\"type\": \"push\", \"request_id\": \"r\", \"mutations\": [\(mutation(1))]}") == .idempotencyKeyMissing)
        #expect(code("{\"type\": \"ack\", \"cursor\": \"not a cursor!\"}") == .invalidCursor)
        #expect(code("{\"type\": \"push\", \"request_id\": \"\", \"idempotency_key\": \"k\", \"mutations\": [\(mutation(1))]}") == .invalidMessage)
        #expect(code("{\"type\": \"nope\"}") == .unknownMessageType)
    }
}
