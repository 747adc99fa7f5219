/// The secrets a store creates once and keeps for the server (such as `SyncStore.cursorKey()`):
/// 32 random bytes, stored as 64 lowercase hex digits so that every database keeps them as text.
package enum ServerSecret {
    /// The name the cursor key is stored under.
    package static let cursorKey = "cursor_key"

    /// 32 bytes from the system's cryptographically secure generator.
    package static func generate() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// The stored form of `secret`.
    package static func text(_ secret: [UInt8]) -> String {
        HexDigest.encode(secret)
    }

    /// The secret a stored text holds; `nil` unless it is exactly 64 hex digits.
    package static func secret(_ text: String) -> [UInt8]? {
        let characters = Array(text)
        guard characters.count == 64 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: 64, by: 2) {
            guard let byte = UInt8(String(characters[index...index + 1]), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}
