import Testing
@testable import SyncConformance

/// The value matchers of the vector format, each on a passing and a failing case.
@Suite struct MatcherTests {
    private func parse(_ text: String) -> JSON {
        (try? JSON.parse(text)) ?? .null
    }

    private func matches(_ expected: String, _ actual: String, mode: MatchMode = .subset) -> Bool {
        var matcher = Matcher(mode: mode)
        return matcher.match(parse(expected), parse(actual)).isEmpty
    }

    @Test func literalsCompareAsJSON() {
        #expect(matches("1", "1.0"))
        #expect(matches(#""a""#, #""a""#))
        #expect(!matches("1", #""1""#))
        #expect(!matches("true", "1"))
        #expect(matches("null", "null"))
    }

    @Test func subsetAllowsExtraKeysExactDoesNot() {
        #expect(matches(#"{"a":1}"#, #"{"a":1,"b":2}"#))
        #expect(!matches(#"{"a":1}"#, #"{"a":1,"b":2}"#, mode: .exact))
        #expect(matches(#"{"a":{"c":1}}"#, #"{"a":{"c":1,"d":2}}"#))
        #expect(!matches(#"{"a":1,"b":2}"#, #"{"a":1}"#))
    }

    /// `{}` is an empty object (a tombstone's fields), not "any object", in both modes.
    @Test func anEmptyObjectMatchesOnlyAnEmptyObject() {
        #expect(matches(#"{"fields":{}}"#, #"{"fields":{},"id":"n1"}"#))
        #expect(!matches(#"{"fields":{}}"#, #"{"fields":{"title":"a"}}"#))
        #expect(!matches("{}", #"{"a":1}"#, mode: .exact))
        #expect(matches(#"{"fields":{"$type":"object"}}"#, #"{"fields":{"title":"a"}}"#))
    }

    @Test func arraysMatchElementWiseWithEqualLength() {
        #expect(matches(#"[{"a":1},2]"#, #"[{"a":1,"z":0},2]"#))
        #expect(!matches("[1,2]", "[1,2,3]"))
        #expect(!matches("[1,2]", "[2,1]"))
    }

    @Test func presenceMatchers() {
        #expect(matches(#"{"a":{"$any":true}}"#, #"{"a":null}"#))
        #expect(!matches(#"{"a":{"$any":true}}"#, #"{}"#))
        #expect(matches(#"{"a":{"$absent":true}}"#, #"{"b":1}"#))
        #expect(!matches(#"{"a":{"$absent":true}}"#, #"{"a":1}"#))
    }

    @Test func typeMatcher() {
        #expect(matches(#"{"$type":"int"}"#, "3"))
        #expect(matches(#"{"$type":"number"}"#, "3"))
        #expect(matches(#"{"$type":"number"}"#, "3.5"))
        #expect(!matches(#"{"$type":"int"}"#, "3.5"))
        #expect(matches(#"{"$type":"string"}"#, #""x""#))
        #expect(matches(#"{"$type":"bool"}"#, "false"))
        #expect(matches(#"{"$type":"object"}"#, "{}"))
        #expect(matches(#"{"$type":"array"}"#, "[]"))
        #expect(matches(#"{"$type":"null"}"#, "null"))
        #expect(!matches(#"{"$type":"string"}"#, "1"))
    }

    @Test func regexSearchesUnlessAnchored() {
        #expect(matches(#"{"$regex":"^c_"}"#, #""c_12""#))
        #expect(matches(#"{"$regex":"[0-9]+"}"#, #""c_12""#))
        #expect(!matches(#"{"$regex":"^_"}"#, #""c_12""#))
        #expect(!matches(#"{"$regex":"^c_1$"}"#, #""c_12""#))
        #expect(!matches(#"{"$regex":"1"}"#, "1"))
    }

    @Test func namedRegexGroupsAreCaptures() {
        var matcher = Matcher()
        let text = JSON.string("x 1\nsessions 12.0\nlevel warm\n")
        #expect(matcher.match(parse(#"{"$regex":"\\nsessions (?<open>-?[0-9]+)(\\.0+)?\\nlevel (?<word>[a-z]+)"}"#), text).isEmpty)
        #expect(matcher.captures["open"] == .int(12))
        #expect(matcher.captures["word"] == .string("warm"))
        // A group that took no part in the match captures nothing; no match captures nothing.
        var other = Matcher()
        #expect(other.match(parse(#"{"$regex":"(?<a>z)?sessions"}"#), text).isEmpty)
        #expect(other.captures["a"] == nil)
        #expect(!other.match(parse(#"{"$regex":"(?<b>nothing)"}"#), text).isEmpty)
        #expect(other.captures["b"] == nil)
    }

    @Test func lengthAndBounds() {
        #expect(matches(#"{"$len":3}"#, "[1,2,3]"))
        #expect(matches(#"{"$len":2}"#, #""ab""#))
        #expect(matches(#"{"$len":1}"#, #"{"a":1}"#))
        #expect(!matches(#"{"$len":2}"#, "[1]"))
        #expect(matches(#"{"$gte":1,"$lte":5}"#, "5"))
        #expect(!matches(#"{"$gt":5}"#, "5"))
        #expect(matches(#"{"$lt":9}"#, "8.5"))
        #expect(!matches(#"{"$lt":9}"#, #""8""#))
    }

    @Test func oneOfContainsUnorderedNot() {
        #expect(matches(#"{"$one_of":["a","b"]}"#, #""b""#))
        #expect(!matches(#"{"$one_of":["a","b"]}"#, #""c""#))
        #expect(matches(#"{"$contains":{"id":2}}"#, #"[{"id":1},{"id":2,"x":0}]"#))
        #expect(!matches(#"{"$contains":{"id":3}}"#, #"[{"id":1},{"id":2}]"#))
        #expect(matches(#"{"$unordered":[{"id":2},{"id":1}]}"#, #"[{"id":1},{"id":2}]"#))
        #expect(!matches(#"{"$unordered":[{"id":1},{"id":1}]}"#, #"[{"id":1},{"id":2}]"#))
        #expect(matches(#"{"$not":"x"}"#, #""y""#))
        #expect(!matches(#"{"$not":{"$type":"string"}}"#, #""y""#))
    }

    @Test func capturesAreKeptOnlyWhenTheWholeMatchSucceeds() {
        var matcher = Matcher()
        #expect(matcher.match(parse(#"{"a":{"$capture":"x","$type":"int"},"b":2}"#), parse(#"{"a":7,"b":3}"#)).count == 1)
        #expect(matcher.captures["x"] == nil)
        #expect(matcher.match(parse(#"{"a":{"$capture":"x","$type":"int"}}"#), parse(#"{"a":7}"#)).isEmpty)
        #expect(matcher.captures["x"] == .int(7))
        #expect(matcher.match(parse(#"{"$eq_capture":"x"}"#), parse("7.0")).isEmpty)
        #expect(!matcher.match(parse(#"{"$eq_capture":"x"}"#), parse("8")).isEmpty)
        #expect(!matcher.match(parse(#"{"$capture":"y"}"#), nil).isEmpty)
    }

    @Test func mismatchesNameThePath() {
        var matcher = Matcher()
        let problems = matcher.match(parse(#"{"results":[{"status":"applied"}]}"#), parse(#"{"results":[{"status":"duplicate"}]}"#))
        #expect(problems.map(\.description) == [#"$.results[0].status: expected "applied", got "duplicate""#])
    }
}
