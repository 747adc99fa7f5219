import SyncProtocol

/// The rule every id claim (`tenant_id`, `sub`, `device_id`) follows (AUTH-5): 1 to
/// `max_record_id_length` characters of `[A-Za-z0-9_.:-]`.
package enum IdentifierClaim {
    /// Whether `value` is a valid id.
    package static func isValid(_ value: String) -> Bool {
        let scalars = value.unicodeScalars
        guard !scalars.isEmpty, scalars.count <= Int(Limits.maxRecordIdLength) else { return false }
        return scalars.allSatisfy(isAllowed)
    }

    /// A description of the rule for error messages.
    package static let rule = "1 to \(Limits.maxRecordIdLength) characters of A-Z, a-z, 0-9, '_', '.', ':' and '-'"

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", "_", ".", ":", "-": true
        default: false
        }
    }
}
