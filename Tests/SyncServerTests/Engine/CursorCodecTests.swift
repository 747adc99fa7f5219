import Crypto
@testable import SyncServer
import SyncProtocol
import Testing

/// Sealed cursors (PULL-4, PULL-5; issue 9: positions are shared by every tenant, and a cursor
/// in clear let tenant A count tenant B's commits).
@Suite("Cursor codec")
struct CursorCodecTests {
    let codec = CursorCodec(key: Array(0..<32))

    @Test("A cursor opens to its position, at 0, 1, the largest position and in between")
    func roundTrip() throws {
        for position: Int64 in [0, 1, 2, 37, 38, 1 << 32, Int64.max - 1, Int64.max] {
            let cursor = codec.encode(position, tenant: "acme")
            #expect(try codec.decode(cursor, tenant: "acme") == position)
            #expect(cursor.count <= Int(Limits.maxCursorLength))
            #expect(cursor.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") })
            #expect(codec.encode(position, tenant: "acme") == cursor, "the same position gives the same cursor")
        }
    }

    @Test("Sealing is the documented construction, so cursors issued by earlier builds still open")
    func documentedConstruction() throws {
        // Four Feistel rounds over `position ‖ tenant tag`, each round function the first 8 bytes
        // of HMAC-SHA256(key, round ‖ right half); the tag is HMAC-SHA256(key, "mobilesync-cursor-tenant\0" ‖ tenant).
        let key = SymmetricKey(data: Array(UInt8(0)..<32))
        func mac(_ message: [UInt8]) -> [UInt8] { Array(HMAC<SHA256>.authenticationCode(for: message, using: key).prefix(8)) }
        for position: Int64 in [0, 1, 4_242, Int64.max] {
            var block = (0..<8).reversed().map { UInt8(truncatingIfNeeded: UInt64(position) >> (8 * UInt64($0))) }
                + mac(Array("mobilesync-cursor-tenant\u{0}acme".utf8))
            for round in 0..<4 {
                let left = Array(block.prefix(8)), right = Array(block.suffix(8))
                block = right + zip(left, mac([UInt8(round)] + right)).map { $0 ^ $1 }
            }
            let expected = "k" + block.map { String(format: "%02x", $0) }.joined()
            #expect(codec.encode(position, tenant: "acme") == expected)
        }
    }

    @Test("Neighbouring positions give unrelated cursors: no count of commits can be read off")
    func revealsNoPosition() throws {
        var distances: [Int] = []
        var previous = bits(codec.encode(1_000, tenant: "acme"))
        for position in Int64(1_001)...1_200 {
            let cursor = codec.encode(position, tenant: "acme")
            #expect(!cursor.contains(hex16(position)), "the position in clear, as the unsealed format had it")
            let current = bits(cursor)
            distances.append(zip(previous, current).filter { $0 != $1 }.count)
            previous = current
        }
        // 128 bits each: unrelated blocks differ in 64 on average; a position in clear (the old
        // `c_<position>_<tag>`) differs in a few position bits plus about 16 of the tag.
        let mean = Double(distances.reduce(0, +)) / Double(distances.count)
        #expect((56...72).contains(mean), "mean Hamming distance \(mean)")
    }

    @Test("Another tenant's, another key's, altered and malformed cursors are invalid_cursor")
    func refusals() {
        let cursor = codec.encode(42, tenant: "acme")
        var refused = [codec.encode(42, tenant: "other"), CursorCodec(key: Array(1...32)).encode(42, tenant: "acme"),
                       "", "k", "k" + String(repeating: "0", count: 31), "k" + String(repeating: "0", count: 33),
                       "K" + cursor.dropFirst(), cursor.uppercased(), cursor + "0", "x" + cursor.dropFirst(),
                       "k" + String(repeating: "g", count: 32), "k" + String(repeating: "é", count: 32),
                       String(repeating: "k", count: 100_000)]
        // Every single changed digit.
        for index in cursor.indices.dropFirst() {
            let replacement: Character = cursor[index] == "0" ? "1" : "0"
            refused.append(String(cursor[..<index]) + String(replacement) + String(cursor[cursor.index(after: index)...]))
        }
        for bad in refused {
            #expect(throws: ServiceError.self, "\(bad.prefix(40))") { try codec.decode(bad, tenant: "acme") }
        }
    }

    @Test("A cursor issued before sealing is still read, for its own tenant only")
    func unsealedCursors() throws {
        let position: Int64 = 37
        let unsealed = "c_" + String(repeating: "0", count: 14) + "25_" + CursorCodec.unsealedTag("acme", position)
        #expect(try codec.decode(unsealed, tenant: "acme") == position)
        #expect(throws: ServiceError.self) { try codec.decode(unsealed, tenant: "other") }
        let beyondInt64 = "c_ffffffffffffffff_" + CursorCodec.unsealedTag("acme", -1)
        #expect(throws: ServiceError.self) { try codec.decode(beyondInt64, tenant: "acme") }
    }

    @Test("An engine pulls from an unsealed cursor a device stored before the upgrade")
    func engineReadsUnsealed() async throws {
        let h = EngineHarness()
        let phone = EngineHarness.device("phone"), laptop = EngineHarness.device("laptop")
        try await h.push(phone, [EngineHarness.create(1, "a", ["v": 1])])
        try await h.push(phone, [EngineHarness.create(2, "b", ["v": 2])])
        let first = try await h.engine.pull(laptop, cursor: nil, limit: 1, collections: nil)
        let position = try h.engine.cursors.decode(first.cursor, tenant: "acme")
        let unsealed = "c_" + hex16(position) + "_" + CursorCodec.unsealedTag("acme", position)
        let page = try await h.engine.pull(laptop, cursor: unsealed, limit: nil, collections: nil)
        #expect(page.changes.map(\.record.id) == ["b"])
        #expect(page.cursor.hasPrefix("k"), "new cursors are sealed")
    }

    private func bits(_ cursor: String) -> [Bool] {
        Array(cursor.dropFirst()).flatMap { digit -> [Bool] in
            let value = Int(String(digit), radix: 16)!
            return (0..<4).map { value >> $0 & 1 == 1 }
        }
    }

    private func hex16(_ value: Int64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
