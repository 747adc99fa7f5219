import SyncServer

/// `duplicate-applied-twice` breaks SEQ-2 (at most once, forever): the duplicate check trusts the
/// batch's numbering. A batch that starts at or below the device's stored sequence number is
/// taken for a device that restarted its numbering, so a re-sent mutation is applied again
/// instead of being answered `duplicate`.
enum DuplicateAppliedTwice {
    /// The server with this fault.
    static let customization = ServerCustomization(
        wrapStore: { BatchNumberingStore(base: $0, rule: { stored, first in min(stored, first - 1) }) },
        wrapService: { BatchNumberingService(base: $0) })
}
