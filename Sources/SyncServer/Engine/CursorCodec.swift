import Crypto
import Foundation
import SyncProtocol

/// Turns change-log positions into the opaque cursors clients see, and back (PULL-4, PULL-5).
///
/// Positions are shared by every tenant of a store, so a position in clear would let one tenant
/// count another's commits. A cursor is therefore sealed: the 16 bytes `position ‖ tenant tag`
/// go through a keyed pseudo-random permutation (a four-round Feistel network over HMAC-SHA256,
/// Luby–Rackoff), and the result is written as `k` and 32 hex digits. It reveals nothing without
/// the key, is the same for the same position and tenant (so equal cursors stay equal), and one
/// altered digit or another tenant's cursor decodes to a tag that does not match:
/// `invalid_cursor`. The key lives in the database (`SyncStore.cursorKey()`), so restarts and
/// every node on one database read the same cursors.
///
/// Cursors issued before sealing (`c_<16 hex digits>_<8 hex digits>`, bound to the tenant by an
/// unkeyed tag) are still accepted, so devices holding one resume where they were.
public struct CursorCodec: Sendable {
    /// HMAC-SHA256 with the key already absorbed: each round copies it instead of hashing the
    /// key's pads again (every change delivered and every page pulled encodes a cursor).
    private let keyed: HMAC<SHA256>

    /// A codec sealing with `key` (the 32 bytes of `SyncStore.cursorKey()`).
    public init(key: [UInt8]) {
        keyed = HMAC<SHA256>(key: SymmetricKey(data: key))
    }

    /// The sealed cursor for `position` in `tenant`'s log.
    public func encode(_ position: Int64, tenant: String) -> String {
        var block = Self.bytes(UInt64(bitPattern: position)) + tenantTag(tenant)
        for round in 0..<Self.rounds {
            block = feistel(block, round: round)
        }
        return "k" + HexDigest.encode(block)
    }

    /// The position a cursor stands for; `invalid_cursor` when it is malformed, altered or
    /// another tenant's.
    public func decode(_ cursor: String, tenant: String) throws(ServiceError) -> Int64 {
        if cursor.hasPrefix("c_") {
            return try Self.decodeUnsealed(cursor, tenant: tenant)
        }
        guard let (position, tag) = open(cursor), tag == tenantTag(tenant) else {
            throw Self.notIssued
        }
        return position
    }

    /// The position inside a sealed cursor whatever its tenant, or `nil` when it is not one.
    /// Only fault injection uses this, to build a server that forgets the tenant check.
    package func positionIgnoringTenant(_ cursor: String) -> Int64? {
        open(cursor)?.position
    }

    private func open(_ cursor: String) -> (position: Int64, tag: [UInt8])? {
        let digits = Array(cursor.utf8.dropFirst())
        guard cursor.hasPrefix("k"), digits.count == 2 * Self.blockSize else { return nil }
        var block: [UInt8] = []
        block.reserveCapacity(Self.blockSize)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = Self.nibble(digits[index]), let low = Self.nibble(digits[index + 1]) else { return nil }
            block.append(high << 4 | low)
        }
        for round in (0..<Self.rounds).reversed() {
            block = unfeistel(block, round: round)
        }
        let raw = block.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard raw <= UInt64(Int64.max) else { return nil }
        return (Int64(raw), Array(block.suffix(8)))
    }

    /// One round: `(L, R) -> (R, L xor F(R))`.
    private func feistel(_ block: [UInt8], round: Int) -> [UInt8] {
        let left = block.prefix(8), right = Array(block.suffix(8))
        return right + zip(left, roundFunction(right, round: round)).map { $0 ^ $1 }
    }

    /// The inverse round: `(R, L xor F(R)) -> (L, R)`.
    private func unfeistel(_ block: [UInt8], round: Int) -> [UInt8] {
        let right = Array(block.prefix(8)), mixed = block.suffix(8)
        return zip(mixed, roundFunction(right, round: round)).map { $0 ^ $1 } + right
    }

    private func roundFunction(_ half: [UInt8], round: Int) -> [UInt8] {
        mac([UInt8(round)] + half)
    }

    private func tenantTag(_ tenant: String) -> [UInt8] {
        mac(Array("mobilesync-cursor-tenant\u{0}\(tenant)".utf8))
    }

    /// The first 8 bytes of HMAC-SHA256(key, message).
    private func mac(_ message: [UInt8]) -> [UInt8] {
        var hmac = keyed
        hmac.update(data: message)
        return Array(hmac.finalize().prefix(8))
    }

    private static let rounds = 4
    private static let blockSize = 16
    private static let notIssued = ServiceError(.invalidCursor, "the cursor was not issued by this server for this tenant")

    /// A cursor in the format before sealing: `c_<16 hex digits of the position>_<8 hex digits of
    /// SHA-256(tenant, position)>`.
    private static func decodeUnsealed(_ cursor: String, tenant: String) throws(ServiceError) -> Int64 {
        let parts = cursor.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[1].count == 16, parts[2].count == 8,
              let raw = UInt64(parts[1], radix: 16), raw <= UInt64(Int64.max),
              String(parts[2]) == unsealedTag(tenant, Int64(raw))
        else { throw notIssued }
        return Int64(raw)
    }

    /// The tag of an unsealed cursor; tests use it to build one as an older server did.
    package static func unsealedTag(_ tenant: String, _ position: Int64) -> String {
        let digest = SHA256.hash(data: Data("mobilesync-cursor\u{0}\(tenant)\u{0}\(position)".utf8))
        return HexDigest.encode(digest.prefix(4))
    }

    private static func bytes(_ value: UInt64) -> [UInt8] {
        (0..<8).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
