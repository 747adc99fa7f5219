import SyncServer

/// `seq-gap-accepted` breaks SEQ-3 (batch sequence checks): a batch that starts above the
/// device's next sequence number is taken for a device that skipped numbers, so it is applied
/// instead of refused with `sequence_gap`.
enum SeqGapAccepted {
    /// The server with this fault.
    static let customization = ServerCustomization(
        wrapStore: { BatchNumberingStore(base: $0, rule: { stored, first in max(stored, first - 1) }) },
        wrapService: { BatchNumberingService(base: $0) })
}
