import Testing
import SyncSpec

@Suite("Ordered JSON printer")
struct OrderedJSONTests {
    @Test("keys keep insertion order, two-space indent, trailing newline")
    func layout() {
        let value: OrderedJSON = ["z": 1, "a": ["x": true, "list": [1, "two"]], "empty": [], "none": [:]]
        let expected = """
            {
              "z": 1,
              "a": {
                "x": true,
                "list": [
                  1,
                  "two"
                ]
              },
              "empty": [],
              "none": {}
            }

            """
        #expect(value.prettyPrinted == expected)
        #expect(value.compactPrinted == #"{"z":1,"a":{"x":true,"list":[1,"two"]},"empty":[],"none":{}}"#)
    }

    @Test("strings are escaped as RFC 8259 requires, and / and non-ASCII are left alone")
    func escaping() {
        let value = OrderedJSON.string("a\"b\\c/d\n\r\t\u{08}\u{0C}\u{01}\u{1F}é😀")
        #expect(value.prettyPrinted == #""a\"b\\c/d\n\r\t\b\f\u0001\u001fé😀""# + "\n")
    }

    private static let numberCases: [(OrderedJSON, String)] = [
        (.int(-42), "-42"), (.int(Int64.max), "9223372036854775807"), (.number(0.5), "0.5"),
        (.number(100), "100.0"), (.number(1e-7), "1e-07"), (.number(.infinity), "null"), (.null, "null"),
    ]

    @Test("numbers print the same way everywhere", arguments: numberCases)
    func numbers(value: OrderedJSON, text: String) {
        #expect(value.prettyPrinted == text + "\n")
    }

    @Test("setting a key replaces in place, nil removes, nil literals are left out")
    func objectEditing() {
        var object: OrderedJSON.Object = ["a": 1, "b": nil, "c": 3]
        #expect(object.members.map(\.key) == ["a", "c"])
        object["a"] = "one"
        object["c"] = nil
        object["d"] = 4
        #expect(object.members.map(\.key) == ["a", "d"])
        #expect(object["a"] == "one")
    }
}
