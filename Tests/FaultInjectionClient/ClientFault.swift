import ArgumentParser
import Foundation
import SyncClient
import SyncClientHarness
import SyncProtocol
import Synchronization

/// One realistic client bug each, built from decorators around the SDK's store, connector and
/// token provider (`README.md` lists what each violates and which vectors catch it).
enum ClientFault: String, CaseIterable, ExpressibleByArgument, Sendable {
    case none
    case newKeyOnRetry = "new-key-on-retry"
    case seqReuseAfterRestart = "seq-reuse-after-restart"
    case rejectedBlocksQueue = "rejected-blocks-queue"
    case ignoresRetryAfter = "ignores-retry-after"
    case acksBeforeStoring = "acks-before-storing"
    case appliesStaleChanges = "applies-stale-changes"
    case reuploadsEveryChunk = "reuploads-every-chunk"
    case ignoresPing = "ignores-ping"
    case keepsExpiredToken = "keeps-expired-token"

    var customization: HarnessCustomization {
        var customization = HarnessCustomization()
        switch self {
        case .none:
            break
        case .newKeyOnRetry:
            // A retry builds a new batch object and with it a new idempotency key.
            let sent = Mutex<Set<[Int64]>>([])
            customization.wrapConnector = { FrameRewriter($0, outgoing: { message in
                guard case .push(var push) = message else { return message }
                let seqs = push.mutations.map(\.seq)
                if !sent.withLock({ $0.insert(seqs).inserted }) { push.idempotencyKey = UUID().uuidString.lowercased() }
                return .push(push)
            }) }
        case .seqReuseAfterRestart:
            // Sequence numbers from an in-memory counter: every launch starts again at 1.
            customization.wrapStore = { RenumberingStore($0) }
        case .rejectedBlocksQueue:
            // After a rejection the uploader waits for the rejected write forever.
            let blocked = Mutex(false)
            customization.wrapConnector = { FrameRewriter($0, outgoing: { message in
                if case .push = message, blocked.withLock({ $0 }) { return nil }
                return message
            }, incoming: { message in
                if case .pushResult(let result) = message, result.results.contains(where: { $0.status == .rejected }) {
                    blocked.withLock { $0 = true }
                }
                return message
            }) }
        case .ignoresRetryAfter:
            // Retries at once: no floor, no server delay.
            customization.configure = { $0.uploader.backoff = Backoff(baseMs: 1, capMs: 2, floorMs: 0) }
            customization.wrapConnector = { FrameRewriter($0, incoming: { message in
                guard case .error(var error) = message else { return message }
                error.retryAfterMs = nil
                return .error(error)
            }) }
        case .acksBeforeStoring:
            // Acknowledges a page when it arrives and stores it later: a crash in between loses it.
            customization.wrapConnector = { EarlyAcker($0) }
        case .appliesStaleChanges:
            // Trusts arrival order instead of record versions.
            let versions = Mutex<[String: Int64]>([:])
            customization.wrapConnector = { FrameRewriter($0, incoming: { message in
                guard case .change(var live) = message else { return message }
                let key = "\(live.change.record.collection)/\(live.change.record.id)"
                live.change.record.version = versions.withLock { seen in
                    let next = max(live.change.record.version, (seen[key] ?? 0) + 1)
                    seen[key] = next
                    return next
                }
                return .change(live)
            }) }
        case .reuploadsEveryChunk:
            // Forgets upload sessions across launches, so an interrupted upload starts over.
            customization.wrapStore = { ForgetfulUploadStore($0) }
        case .ignoresPing:
            customization.wrapConnector = { FrameRewriter($0, incoming: { message in
                if case .ping = message { return nil }
                return message
            }) }
        case .keepsExpiredToken:
            // Caches the first token and never asks again.
            customization.wrapTokens = { FirstTokenOnly($0) }
        }
        return customization
    }
}

/// A token provider that keeps answering its first token.
final class FirstTokenOnly: TokenProvider {
    private let inner: any TokenProvider
    private let first = Mutex<String?>(nil)

    init(_ inner: any TokenProvider) {
        self.inner = inner
    }

    func token(refresh: Bool) async throws -> String {
        if let cached = first.withLock({ $0 }) { return cached }
        let token = try await inner.token(refresh: false)
        first.withLock { $0 = token }
        return token
    }
}
