import Foundation
import SyncProtocol
import SyncSpec

/// The repository's spec, loaded once for every test in this target.
enum SpecFixture {
    static let specDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Spec").path

    /// The loaded spec; the tests stop with the diagnostics if it does not load.
    static let spec: ProtocolSpec = {
        let result = SpecLinter.lint(directory: specDirectory)
        guard let spec = result.spec, !result.diagnostics.contains(where: { $0.severity == .error }) else {
            fatalError("Spec/ does not lint:\n" + result.diagnostics.map(\.description).joined(separator: "\n"))
        }
        return spec
    }()

    /// Decodes a frame with the envelope of the side that sends `message`.
    static func decodeFrame(_ data: Data, sentBy direction: MessageDirection) throws(WireError) -> any WireMessage {
        switch direction {
        case .client, .both: try ClientMessage.decode(data).message
        case .server: try ServerMessage.decode(data).message
        }
    }
}

extension SpecValue {
    /// The value as JSON bytes.
    var jsonData: Data { Data(canonicalJSON.utf8) }
}

/// Whether two JSON documents hold the same value (numbers compared by value: `1` equals `1.0`).
func jsonEquivalent(_ lhs: Data, _ rhs: Data) -> Bool {
    guard let left = try? JSONSerialization.jsonObject(with: lhs, options: .fragmentsAllowed),
          let right = try? JSONSerialization.jsonObject(with: rhs, options: .fragmentsAllowed)
    else { return false }
    return equivalent(left, right)
}

private func equivalent(_ lhs: Any, _ rhs: Any) -> Bool {
    switch (lhs, rhs) {
    case let (l as [String: Any], r as [String: Any]):
        return l.count == r.count && l.allSatisfy { key, value in r[key].map { equivalent(value, $0) } ?? false }
    case let (l as [Any], r as [Any]):
        return l.count == r.count && zip(l, r).allSatisfy(equivalent)
    case let (l as String, r as String):
        return l == r
    case let (l as NSNumber, r as NSNumber):
        return l == r
    case (is NSNull, is NSNull):
        return true
    default:
        return false
    }
}
