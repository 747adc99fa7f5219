/// The file-name rule of UPL-11. The result is only ever metadata (shown back to clients and
/// sent in `Content-Disposition`); storage paths never contain it.
package enum FileNameSanitizer {
    /// The name used when nothing of the client's name is left.
    package static let fallback = "file"
    /// The longest name kept, in Unicode code points.
    package static let maxCodePoints = 255

    /// Applies UPL-11 in its order: the part after the last `/` or `\`; C0, C1 and DEL removed;
    /// bidirectional formatting characters removed; each of `<>:"|?*` replaced by `_`; leading
    /// and trailing whitespace (Unicode `White_Space`) and dots removed; `file` when empty; `_`
    /// before a reserved Windows device name; at most 255 code points.
    package static func sanitize(_ name: String) -> String {
        var scalars = Array(name.unicodeScalars)
        if let separator = scalars.lastIndex(where: { $0 == "/" || $0 == "\\" }) {
            scalars = Array(scalars[(separator + 1)...])
        }
        scalars.removeAll { isControl($0) || $0.properties.isBidiControl }
        scalars = scalars.map { "<>:\"|?*".unicodeScalars.contains($0) ? "_" : $0 }
        while let first = scalars.first, isTrimmed(first) { scalars.removeFirst() }
        while let last = scalars.last, isTrimmed(last) { scalars.removeLast() }
        if scalars.isEmpty { return fallback }
        if isReservedDeviceName(scalars) { scalars.insert("_", at: 0) }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars.prefix(maxCodePoints))
        return String(result)
    }

    /// C0 (U+0000..U+001F), DEL (U+007F) and C1 (U+0080..U+009F).
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value <= 0x1F || (0x7F...0x9F).contains(scalar.value)
    }

    /// `CON`, `PRN`, `AUX`, `NUL`, `COM1`..`COM9` and `LPT1`..`LPT9` before the first dot, in
    /// any case and with any whitespace before that dot: Windows opens the device instead of a
    /// file of that name (`con.txt` and `con .txt` too).
    private static func isReservedDeviceName(_ scalars: [Unicode.Scalar]) -> Bool {
        var stemScalars = Array(scalars.prefix { $0 != "." })
        while let last = stemScalars.last, last.properties.isWhitespace { stemScalars.removeLast() }
        let stem = String(String.UnicodeScalarView(stemScalars)).uppercased()
        if ["CON", "PRN", "AUX", "NUL"].contains(stem) { return true }
        guard stem.count == 4, stem.hasPrefix("COM") || stem.hasPrefix("LPT"), let digit = stem.last else { return false }
        return ("1"..."9").contains(digit)
    }

    private static func isTrimmed(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "." || scalar.properties.isWhitespace
    }

    /// The `Content-Disposition` value for a download (UPL-13): `attachment` with an ASCII
    /// `filename` fallback (anything else, quotes and backslashes as `_`) and the exact name as
    /// RFC 8187 `filename*`.
    package static func contentDisposition(_ name: String) -> String {
        let fallback = String(String.UnicodeScalarView(name.unicodeScalars.map { scalar in
            (0x20...0x7E).contains(scalar.value) && scalar != "\"" && scalar != "\\" ? scalar : "_"
        }))
        var encoded = ""
        for byte in name.utf8 {
            if isAttributeChar(byte) {
                encoded.append(Character(Unicode.Scalar(byte)))
            } else {
                encoded += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return "attachment; filename=\"\(fallback)\"; filename*=UTF-8''\(encoded)"
    }

    /// RFC 8187 `attr-char`: ALPHA / DIGIT / "!#$&+-.^_`|~".
    private static func isAttributeChar(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$&+-.^_`|~".utf8.contains(byte)
        }
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
