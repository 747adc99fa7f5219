import NIOCore
import Synchronization

/// When a connection last received and last sent anything, for the heartbeat (HB-2, HB-3).
/// Written from the event loop and the session's tasks, read by the heartbeat timer.
final class ConnectionActivity: Sendable {
    private let origin: ContinuousClock.Instant
    private let receivedNanoseconds = Atomic<Int64>(0)
    private let sentNanoseconds = Atomic<Int64>(0)

    init(now: ContinuousClock.Instant = .now) {
        origin = now
    }

    /// Bytes arrived: a data frame, a control frame, or part of one.
    func markReceived(at now: ContinuousClock.Instant = .now) {
        receivedNanoseconds.store(Self.nanoseconds(now - origin), ordering: .relaxed)
    }

    /// A frame was written.
    func markSent(at now: ContinuousClock.Instant = .now) {
        sentNanoseconds.store(Self.nanoseconds(now - origin), ordering: .relaxed)
    }

    var lastReceived: ContinuousClock.Instant { origin + .nanoseconds(receivedNanoseconds.load(ordering: .relaxed)) }
    var lastSent: ContinuousClock.Instant { origin + .nanoseconds(sentNanoseconds.load(ordering: .relaxed)) }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

/// Sits at the front of an upgraded channel's pipeline and records every inbound read, so that
/// control frames (which the WebSocket library answers itself and never hands on) count as
/// activity too (HB-3: "no frame at all, data or control").
final class InboundActivityHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    private let activity: ConnectionActivity

    init(activity: ConnectionActivity) {
        self.activity = activity
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        activity.markReceived()
        context.fireChannelRead(data)
    }

    /// Adds the handler to `channel`; a channel that is already gone is left alone.
    static func install(on channel: any Channel, activity: ConnectionActivity) async {
        try? await channel.pipeline.addHandler(InboundActivityHandler(activity: activity), position: .first).get()
    }
}
