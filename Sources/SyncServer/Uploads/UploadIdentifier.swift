import Foundation

/// Server-generated identifiers of sessions, files and chunk files: 128 random bits in base64url
/// (UPL-11 asks for at least 122), so they can be neither guessed nor chosen by a client.
package enum UploadIdentifier {
    /// A new identifier with `prefix` (`up_` or `f_`), 22 random characters after it.
    package static func make(prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let encoded = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return prefix + encoded
    }

    /// Whether `text` has the shape of an identifier (`^[A-Za-z0-9_-]{1,64}$`), so it can be a
    /// single path component.
    package static func isWellFormed(_ text: String) -> Bool {
        (1...64).contains(text.utf8.count) && text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "_"), UInt8(ascii: "-"):
                true
            default:
                false
            }
        }
    }

    /// `text` as a path component. The store only passes identifiers it generated; anything else
    /// is a programming error, stopped here before it could name a path.
    static func checkedComponent(_ text: String) -> String {
        precondition(isWellFormed(text), "storage paths are built from server-generated identifiers only")
        return text
    }
}

/// Lowercase hexadecimal of bytes (SHA-256 digests).
package enum HexDigest {
    /// The bytes as lowercase hex.
    package static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
