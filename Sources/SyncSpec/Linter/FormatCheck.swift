import Foundation

/// The checks behind the spec's string formats, shared by the linter and the generated codecs' tests.
enum FormatCheck {
    static func matches(_ text: String, format: StringFormat) -> Bool {
        switch format {
        case .uuid:
            UUID(uuidString: text) != nil && text.count == 36
        case .sha256Hex:
            text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
        case .uri:
            URL(string: text)?.scheme != nil
        case .unixMs:
            false
        }
    }
}
