import Foundation
import SyncProtocol

/// Reads the `request_id` of a frame that failed to decode, so the `error` can echo it (WS-10).
/// Only a string that is itself a valid request id is taken; anything else counts as unreadable.
enum RequestIdProbe {
    private struct Probe: Decodable {
        var requestId: String?

        enum CodingKeys: String, CodingKey {
            case requestId = "request_id"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            requestId = try? container.decodeIfPresent(String.self, forKey: .requestId)
        }
    }

    private static let pattern = WirePattern("^[A-Za-z0-9_.:-]+$")

    /// The frame's valid `request_id`, or `nil`.
    static func requestId(in frame: Data) -> String? {
        guard let id = (try? JSONDecoder().decode(Probe.self, from: frame))?.requestId,
              (1...64).contains(id.unicodeScalars.count), pattern.matches(id)
        else { return nil }
        return id
    }
}
