import Foundation
import SyncProtocol

/// Makes an outgoing message fit in one frame of `max_frame_bytes` (LIM-1) the ways the spec
/// allows: a `push_result` leaves out result records, largest first (RES-2); a `changes` page
/// holds fewer changes, with `cursor` at the last one kept and `has_more` set (PULL-3).
/// Anything else that does not fit has no allowed shorter form.
enum FrameFitting {
    /// The encoded frame of `message`, shortened if needed; `nil` when no allowed form fits.
    static func encode(_ message: ServerMessage, maxBytes: Int) -> Data? {
        let whole = WireCodec.encode(message)
        if whole.count <= maxBytes { return whole }
        switch message {
        case .pushResult(let result):
            return withoutRecords(result, maxBytes: maxBytes)
        case .changes(let page):
            return shortened(page, maxBytes: maxBytes)
        default:
            return nil
        }
    }

    /// The result with records removed, largest first, until it fits.
    private static func withoutRecords(_ result: PushResultMessage, maxBytes: Int) -> Data? {
        var result = result
        let bySize = result.results.indices
            .compactMap { index in result.results[index].record.map { (index, WireCodec.encode($0).count) } }
            .sorted { $0.1 > $1.1 }
        var remaining = WireCodec.encode(ServerMessage.pushResult(result)).count
        for (index, size) in bySize {
            result.results[index].record = nil
            remaining -= size
            // The estimate ignores the key and separators; confirm with a real encoding once close.
            if remaining <= maxBytes {
                let data = WireCodec.encode(ServerMessage.pushResult(result))
                if data.count <= maxBytes { return data }
                remaining = data.count
            }
        }
        let data = WireCodec.encode(ServerMessage.pushResult(result))
        return data.count <= maxBytes ? data : nil
    }

    /// The longest prefix of the page that fits, found by bisection; `nil` when not even one
    /// change fits (a single record is bounded by `max_record_bytes`, far below the frame limit).
    private static func shortened(_ page: ChangesMessage, maxBytes: Int) -> Data? {
        func encoded(keeping count: Int) -> Data {
            var shorter = page
            shorter.changes = Array(page.changes.prefix(count))
            shorter.cursor = page.changes[count - 1].cursor
            shorter.hasMore = true
            return WireCodec.encode(ServerMessage.changes(shorter))
        }
        var fits = 0, tooLarge = page.changes.count
        var best: Data?
        while tooLarge - fits > 1 {
            let middle = (fits + tooLarge) / 2
            let data = encoded(keeping: middle)
            if data.count <= maxBytes {
                fits = middle
                best = data
            } else {
                tooLarge = middle
            }
        }
        return best
    }
}
