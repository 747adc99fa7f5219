import SyncProtocol
import SyncServer

/// `review-resolvable-twice` breaks CONF-12 (a review is resolved once): the resolution's new
/// record version is written, but the review item is never saved as resolved, so it stays
/// pending and a second resolution is accepted instead of `review_already_resolved`.
enum ReviewResolvableTwice {
    /// The server with this fault.
    static let customization = ServerCustomization(wrapStore: { TransactionFaultStore(base: $0, wrap: { Transaction(base: $0) }) })

    private struct Transaction: SyncWriteTransactionDecorator {
        let base: any SyncWriteTransaction

        func saveReview(tenant: String, _ review: ReviewItem) async throws {
            guard review.status == .pending else { return }
            try await base.saveReview(tenant: tenant, review)
        }
    }
}
