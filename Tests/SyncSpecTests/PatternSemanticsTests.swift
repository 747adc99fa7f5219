import Foundation
import SyncSpec
import Testing

/// The spec's patterns mean what JSON Schema (ECMA-262) says; ICU, which validates them, is told
/// the same thing: its `$` also matches before a final line break, JSON Schema's does not.
@Suite struct PatternSemanticsTests {
    @Test("`$` outside a class becomes `\\z`; escaped and class dollars stay", arguments: [
        ("^[a-z]+$", "^[a-z]+\\z"),
        ("^[A-Za-z0-9!#$&^_.+-]{0,126}$", "^[A-Za-z0-9!#$&^_.+-]{0,126}\\z"),
        ("^a\\$b$", "^a\\$b\\z"),
        ("^(a$|b$)", "^(a\\z|b\\z)"),
        ("^[\\]$]x$", "^[\\]$]x\\z"),
        ("abc", "abc"),
    ])
    func rewrite(pattern: String, expression: String) {
        #expect(ValueChecker.icuExpression(pattern) == expression)
    }

    @Test("a value ending in a line break does not match an anchored pattern", arguments: ["n1\n", "n1\r\n", "n1\u{2028}", "n1\r"])
    func trailingBreak(value: String) throws {
        let regex = try NSRegularExpression(pattern: ValueChecker.icuExpression("^[a-z0-9]+$"))
        #expect(regex.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) == nil)
        #expect(regex.firstMatch(in: "n1", range: NSRange(location: 0, length: 2)) != nil)
    }
}
