/// What a download's `Range` and `If-Range` headers ask for (RFC 9110 section 14, UPL-13).
package enum ByteRangeRequest: Sendable, Hashable {
    /// The whole file: no range, a range the server may ignore (several ranges, another unit, an
    /// `If-Range` that does not match) or a syntactically invalid one, which RFC 9110 says to ignore.
    case whole
    /// One satisfiable range, positions inclusive and within the file.
    case range(first: Int64, last: Int64)
    /// A range that does not overlap the file (416 `range_not_satisfiable`).
    case unsatisfiable

    /// Interprets `range` for a file of `size` bytes whose ETag is `etag`.
    package init(range: String?, ifRange: String?, size: Int64, etag: String) {
        guard let range, ifRange.map({ $0.trimmingSpaces == etag }) ?? true else {
            self = .whole
            return
        }
        let text = range.trimmingSpaces
        guard text.lowercased().hasPrefix("bytes="), !text.contains(",") else {
            self = .whole
            return
        }
        let spec = text.dropFirst("bytes=".count).trimmingSpaces
        guard let dash = spec.firstIndex(of: "-") else {
            self = .whole
            return
        }
        let firstText = spec[..<dash]
        let lastText = spec[spec.index(after: dash)...]
        switch (Self.number(firstText), Self.number(lastText)) {
        case (let first?, let last?) where first <= last:
            self = first < size ? .range(first: first, last: min(last, size - 1)) : .unsatisfiable
        case (let first?, nil) where lastText.isEmpty:
            self = first < size ? .range(first: first, last: size - 1) : .unsatisfiable
        case (nil, let suffix?) where firstText.isEmpty:
            self = suffix > 0 ? .range(first: max(0, size - suffix), last: size - 1) : .unsatisfiable
        default:
            self = .whole
        }
    }

    /// A non-negative decimal of ASCII digits (no sign), `nil` otherwise or when it overflows.
    private static func number(_ text: Substring) -> Int64? {
        guard !text.isEmpty, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        return Int64(text)
    }
}

extension StringProtocol {
    fileprivate var trimmingSpaces: String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}
