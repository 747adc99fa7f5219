import Foundation
import SyncProtocol

/// Reads the `request_id` and `type` of a frame that failed to decode, so the `error` can echo
/// the id (WS-10) and a refused `push` still counts as a sync (HEALTH-1). Only a string that is
/// itself a valid request id is taken; anything else counts as unreadable.
enum RequestIdProbe {
    private struct Probe: Decodable {
        var requestId: String?
        var type: String?

        enum CodingKeys: String, CodingKey {
            case requestId = "request_id"
            case type
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            requestId = try? container.decodeIfPresent(String.self, forKey: .requestId)
            type = try? container.decodeIfPresent(String.self, forKey: .type)
        }
    }

    /// The frame's `type` when it is a JSON object with a string `type`, or `nil`.
    static func messageType(in frame: Data) -> String? {
        (try? JSONDecoder().decode(Probe.self, from: frame))?.type
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
