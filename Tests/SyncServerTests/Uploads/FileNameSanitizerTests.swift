@testable import SyncServer
import Testing

/// UPL-11's name rule, step by step, with hostile inputs.
@Suite("file name sanitiser")
struct FileNameSanitizerTests {
    @Test("the rule's steps, in order", arguments: [
        ("report.pdf", "report.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Windows\\System32\\cmd.exe", "cmd.exe"),
        ("/", "file"),
        ("dir/", "file"),
        ("a\u{0}b\u{1F}c\u{7F}d\u{80}e\u{9F}f", "abcdef"),
        ("<>:\"|?*", "_______"),
        ("  ..hidden.txt.. ", "hidden.txt"),
        ("...", "file"),
        ("\u{3000}名前.txt\u{2003}", "名前.txt"),
        ("", "file"),
        ("a/\u{0}", "file"),
        ("evil\u{202E}txt.exe", "eviltxt.exe"),
        ("\u{200E}\u{200F}\u{061C}a\u{202A}\u{202B}\u{202C}\u{202D}b\u{2066}\u{2067}\u{2068}\u{2069}.pdf", "ab.pdf"),
        ("\u{202E} report.pdf", "report.pdf"),
        ("CON", "_CON"),
        ("con.txt", "_con.txt"),
        ("Con .tar.gz", "_Con .tar.gz"),
        ("nul", "_nul"),
        ("aux.", "_aux"),
        ("PRN.log", "_PRN.log"),
        ("COM1.txt", "_COM1.txt"),
        ("lpt9", "_lpt9"),
        ("COM0.txt", "COM0.txt"),
        ("COM10.txt", "COM10.txt"),
        ("console.txt", "console.txt"),
        ("my con.txt", "my con.txt"),
        ("dir/CON", "_CON"),
        ("\u{FF0E}\u{FF0E}\u{FF0F}x", "\u{FF0E}\u{FF0E}\u{FF0F}x"),
    ])
    func rule(input: String, expected: String) {
        #expect(FileNameSanitizer.sanitize(input) == expected)
    }

    @Test("names are truncated to 255 code points, not bytes")
    func truncation() {
        let long = String(repeating: "ü", count: 300)
        let result = FileNameSanitizer.sanitize(long)
        #expect(result.unicodeScalars.count == 255)
        #expect(FileNameSanitizer.sanitize(String(repeating: "e\u{301}", count: 200)).unicodeScalars.count == 255)
    }

    @Test("Content-Disposition carries an ASCII fallback and the RFC 8187 UTF-8 name")
    func contentDisposition() {
        #expect(FileNameSanitizer.contentDisposition("plain.txt") == "attachment; filename=\"plain.txt\"; filename*=UTF-8''plain.txt")
        #expect(FileNameSanitizer.contentDisposition("a \"b\"\\ é.txt")
            == "attachment; filename=\"a _b__ _.txt\"; filename*=UTF-8''a%20%22b%22%5C%20%C3%A9.txt")
    }
}
