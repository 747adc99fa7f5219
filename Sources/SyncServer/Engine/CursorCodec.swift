import Crypto
import Foundation
import SyncProtocol

/// Turns change-log positions into the opaque cursors clients see, and back. A cursor carries a
/// short tag derived from the tenant, so a cursor of one tenant is refused by another
/// (`invalid_cursor`) instead of silently reading from the wrong place.
public enum CursorCodec {
    /// The cursor for `position` in `tenant`'s log: `c_<16 hex digits>_<8 hex digits of tag>`.
    public static func encode(_ position: Int64, tenant: String) -> String {
        "c_" + hex(UInt64(bitPattern: position), width: 16) + "_" + tag(tenant, position)
    }

    /// The position a cursor stands for; `invalid_cursor` when it is malformed or another tenant's.
    public static func decode(_ cursor: String, tenant: String) throws(ServiceError) -> Int64 {
        let parts = cursor.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "c", parts[1].count == 16, parts[2].count == 8,
              let raw = UInt64(parts[1], radix: 16), raw <= UInt64(Int64.max),
              String(parts[2]) == tag(tenant, Int64(raw))
        else {
            throw ServiceError(.invalidCursor, "the cursor was not issued by this server for this tenant")
        }
        return Int64(raw)
    }

    private static func tag(_ tenant: String, _ position: Int64) -> String {
        let digest = SHA256.hash(data: Data("mobilesync-cursor\u{0}\(tenant)\u{0}\(position)".utf8))
        return digest.prefix(4).map { hex(UInt64($0), width: 2) }.joined()
    }

    private static func hex(_ value: UInt64, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
