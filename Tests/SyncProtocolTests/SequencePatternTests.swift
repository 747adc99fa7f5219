import Foundation
import SyncProtocol
import SyncSpec
import SyncTestSupport
import Testing

/// `WirePattern`'s direct matcher against ICU, which it stands in for: every pattern of the spec,
/// on strings built from the pattern's own characters and from hostile ones.
@Suite struct SequencePatternTests {
    static let specPatterns: [String] = {
        var found = Set<String>()
        func visit(_ fields: [Field]) {
            for field in fields {
                if let pattern = field.constraints.pattern { found.insert(pattern) }
                if let pattern = field.constraints.itemStringConstraints.pattern { found.insert(pattern) }
            }
        }
        SpecFixture.spec.schemas.forEach { visit($0.fields) }
        SpecFixture.spec.messages.forEach { visit($0.fields) }
        return found.sorted()
    }()

    static let shapes = [
        "^[a-z]+$", "^[^a-z]*x$", "^a?b{2}c{1,}d{0,2}$", "^[-a]+$", "^[a-]+$", "^\\.\\-[\\]\\\\]*$", "^[$^&]+$",
        "^[a-z]*[0-9]*$", "^[a-z]+[a-z]$", "^(a|b)$", "^[\\d]+$", "^a+?$", "^a++$", "^[[a]]$", "^[a&&b]$", "^.+$", "abc",
    ]

    @Test("the spec's patterns are matched directly, except those with groups", arguments: specPatterns)
    func specPatternsDirect(_ pattern: String) {
        let compiled = WirePattern(pattern, expression: ValueChecker.icuExpression(pattern))
        #expect(compiled.matchesDirectly == !pattern.contains("("), "\(pattern)")
    }

    @Test("the direct matcher answers as ICU does", arguments: specPatterns + shapes)
    func agreesWithICU(_ pattern: String) throws {
        let expression = ValueChecker.icuExpression(pattern)
        let compiled = WirePattern(pattern, expression: expression)
        let icu = try NSRegularExpression(pattern: expression)
        var random = SeededGenerator(state: stableSeed(pattern))
        let own = Array(pattern.unicodeScalars.filter { !"^$\\{}".unicodeScalars.contains($0) })
        let hostile: [Unicode.Scalar] = ["\n", "\r", "\u{2028}", " ", "/", "é", "🙂", "\u{0}", "A", "z", "0", "9", "-", "]", "[", "&", "$"]
        for _ in 0..<400 {
            let length = Int.random(in: 0...12, using: &random)
            var scalars = String.UnicodeScalarView()
            for _ in 0..<length {
                let pool = Int.random(in: 0..<4, using: &random) == 0 ? hostile : own.isEmpty ? hostile : own
                scalars.append(pool.randomElement(using: &random)!)
            }
            let value = String(scalars)
            let expected = icu.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil
            #expect(compiled.matches(value) == expected, "\(pattern) on \(value.debugDescription)")
        }
    }

    @Test("a variable part followed by one that could take its characters stays with ICU")
    func backtrackingShapesStayWithICU() {
        for pattern in ["^[a-z]*[0-9a]*$", "^[a-z]+[a-z]$", "^a*a$", "^[^a]*b$"] {
            #expect(!WirePattern(pattern, expression: ValueChecker.icuExpression(pattern)).matchesDirectly, "\(pattern)")
        }
        for pattern in ["^[a-z]*[0-9]*$", "^[a-z]+\\.[a-z]{2,}$", "^[0-9a-f]{64}$"] {
            #expect(WirePattern(pattern, expression: ValueChecker.icuExpression(pattern)).matchesDirectly, "\(pattern)")
        }
    }
}
