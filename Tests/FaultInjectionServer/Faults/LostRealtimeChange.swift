import SyncServer

/// `lost-realtime-change` breaks RT-1 (committed changes are pushed to connected devices): the
/// WebSocket sessions subscribe to a change feed of their own, not to the one commits publish
/// to (two feed instances where there should be one), so other devices never receive `change`
/// messages; pulls still see every change.
struct LostRealtimeChange: SyncServiceDecorator {
    let base: any SyncService
    /// The feed sessions subscribe to; nothing ever publishes to it.
    let changeFeed = ChangeFeed()

    /// The server with this fault.
    static let customization = ServerCustomization(wrapService: { LostRealtimeChange(base: $0) })
}
