import Foundation
import Testing
@testable import SyncConformance

/// JSON text, interpolation (typed, text, arithmetic, paths, built-ins), blobs and diffs.
@Suite struct ValuesTests {
    private var scope: InterpolationScope {
        let blob = BlobGenerator(BlobSpec(name: "photo", size: 300_000, source: .seed(7)))
        return InterpolationScope(
            captures: ["v": .int(5), "rec": (try? JSON.parse(#"{"ids":[{"id":"n1"},{"id":"n2"}],"ok":true}"#)) ?? .null],
            actors: ["a": .object([JSON.Member("user", .string("alice")), JSON.Member("token", .string("t.o.k"))])],
            tenants: ["main": "ct-1-main", "other": "ct-1-other"], nowMs: 1_767_225_600_000,
            blob: { name, range, property in
                guard name == "photo" else { throw InterpolationError(expression: name, reason: "no such blob") }
                return try blob.value(property, range: range)
            })
    }

    @Test func parsesAndPrintsKeepingOrderAndIntegers() throws {
        let text = #"{"z":1,"a":[true,null,1.5,"x\n\u00e9"],"m":{"b":-2}}"#
        let value = try JSON.parse(text)
        #expect(value.compact == #"{"z":1,"a":[true,null,1.5,"x\né"],"m":{"b":-2}}"#)
        #expect(value["z"] == .int(1))
        #expect(value["a"].map { if case .array(let items) = $0 { items[2] } else { JSON.null } } == .double(1.5))
        #expect(throws: JSONParseError.self) { try JSON.parse("{\"a\":}") }
        #expect(throws: JSONParseError.self) { try JSON.parse("[1,2") }
        #expect(throws: JSONParseError.self) { try JSON.parse("1 2") }
    }

    @Test func wholeStringInterpolationKeepsTheType() throws {
        #expect(try Interpolation.apply("${v}", scope) == .int(5))
        #expect(try Interpolation.apply("${rec.ok}", scope) == .bool(true))
        #expect(try Interpolation.apply("${now_ms}", scope) == .int(1_767_225_600_000))
        #expect(try Interpolation.apply("${rec.ids[1].id}", scope) == .string("n2"))
    }

    @Test func embeddedInterpolationRendersText() throws {
        #expect(try Interpolation.apply("v=${v}/${a.user}", scope) == .string("v=5/alice"))
        #expect(try Interpolation.apply("Bearer ${a.token}", scope) == .string("Bearer t.o.k"))
        #expect(try Interpolation.apply("${tenant}|${tenant.other}", scope) == .string("ct-1-main|ct-1-other"))
        #expect(try Interpolation.applyText("no refs", scope) == "no refs")
        let first = try Interpolation.apply("${uuid}", scope)
        #expect(first.string?.count == 36)
        #expect(try Interpolation.apply("${uuid}", scope) != first)
    }

    @Test func arithmeticOnIntegers() throws {
        #expect(try Interpolation.apply("${v} + 2000", scope) == .int(2005))
        #expect(try Interpolation.apply("${now_ms} - 1000 + 1", scope) == .int(1_767_225_599_001))
        #expect(try Interpolation.apply("${v}+1", scope) == .string("5+1"))
        #expect(try Interpolation.apply("${a.user} + 1", scope) == .string("alice + 1"))
    }

    @Test func interpolationInsideStructures() throws {
        let value = try JSON.parse(#"{"k-${v}":["${v}","x${v}"]}"#)
        #expect(try Interpolation.apply(value, scope).compact == #"{"k-5":[5,"x5"]}"#)
    }

    @Test func unknownNamesAreErrors() {
        #expect(throws: InterpolationError.self) { try Interpolation.apply("${nope}", scope) }
        #expect(throws: InterpolationError.self) { try Interpolation.apply("${rec.missing}", scope) }
        #expect(throws: InterpolationError.self) { try Interpolation.apply("${rec.ids[9]}", scope) }
        #expect(throws: InterpolationError.self) { try Interpolation.apply("${blob.other.size}", scope) }
    }

    /// Expected values computed independently with Python's hashlib over SplitMix64 output.
    @Test func blobsAreReproducible() throws {
        let blob = BlobGenerator(BlobSpec(name: "photo", size: 300_000, source: .seed(7)))
        #expect(blob.bytes(0..<8) == [0xd7, 0x0d, 0x32, 0x59, 0xe4, 0xe1, 0xcb, 0x63])
        #expect(try Interpolation.apply("${blob.photo.sha256}", scope) == .string("29b617e1acd19171662d7e28f7a5fb8f72ec26d9b3e887665292c3409efc40dd"))
        #expect(try Interpolation.apply("${blob.photo.size}", scope) == .int(300_000))
        #expect(try Interpolation.apply("${blob.photo[0:262144].sha256}", scope) == .string("3b2890c1f6fdba258ea42f11ecfb2169f4b29f1b239a82ffcdde7001d976a2f8"))
        #expect(try Interpolation.apply("${blob.photo[0:262144].digest}", scope) == .string("sha-256=:OyiQwfb9uiWOpC8R7PshafSynxsjmoL/zd5wAdl2ovg=:"))
        #expect(blob.bytes(5..<13) == Array(blob.bytes(0..<16)[5..<13]))
        var pieces: [UInt8] = []
        blob.forEachChunk(1000..<200_000, chunk: 4099) { pieces += $0 }
        #expect(pieces == blob.bytes(1000..<200_000))
        let fill = BlobGenerator(BlobSpec(name: "f", size: 5, source: .fill("ab")))
        #expect(fill.bytes(0..<5) == Array("ababa".utf8))
        #expect(try fill.value("sha256", range: nil) == .string("f9b8d87e305fcf0125d889e2e40ea64b446b4c09d9459358c7d64a4a2fefcabe"))
    }

    @Test func lineDiffMarksChanges() {
        #expect(LineDiff.diff(expected: "a\nb\nc", actual: "a\nx\nc") == ["  a", "- b", "+ x", "  c"])
        #expect(LineDiff.diff(expected: "same", actual: "same") == ["  same"])
    }
}
