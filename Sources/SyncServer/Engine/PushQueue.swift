import Synchronization

/// Pushes waiting to be committed in groups (group commit): while a group's transaction runs,
/// the pushes that arrive meanwhile gather here, and the next group takes them all at once, up
/// to a size limit. A tenant is in at most one running group, and its pushes are taken in the
/// order they arrived, so one tenant's commits keep their order. At most `concurrency` groups
/// run at a time.
final class PushQueue: Sendable {
    /// One push and who waits for its outcome.
    struct Job: Sendable {
        let batch: PushBatch
        let sessionId: String?
        let continuation: CheckedContinuation<Result<PushBatch.Outcome, any Error>, Never>
    }

    private struct State {
        var waiting: [Job] = []
        var running = 0
        /// Tenants in a running group.
        var busy: Set<String> = []
    }

    private let state = Mutex(State())
    private let concurrency: Int
    /// A group takes at most this many pushes...
    static let maximumPushes = 64
    /// ... and, after its first push, at most this many mutations in all.
    static let maximumMutations = 1_000

    init(concurrency: Int) {
        self.concurrency = max(1, concurrency)
    }

    /// Adds a push; returns the group a new runner should start with, when one may start.
    func enqueue(_ job: Job) -> [Job]? {
        state.withLock { state in
            state.waiting.append(job)
            guard state.running < concurrency else { return nil }
            let group = Self.take(&state)
            guard !group.isEmpty else { return nil }
            state.running += 1
            return group
        }
    }

    /// Called by a runner when `group` is done: the next group it runs, or `nil` when nothing can
    /// be taken now (the runner then ends).
    func next(after group: [Job]) -> [Job]? {
        state.withLock { state in
            for job in group { state.busy.remove(job.batch.tenant) }
            let next = Self.take(&state)
            guard !next.isEmpty else {
                state.running -= 1
                return nil
            }
            return next
        }
    }

    /// Takes the waiting pushes of tenants not in a running group, in arrival order, until a
    /// limit is reached; a tenant with a push left waiting has its later pushes left too.
    private static func take(_ state: inout State) -> [Job] {
        var group: [Job] = []
        var left: [Job] = []
        var held = state.busy
        var mutations = 0
        var taken: Set<String> = []
        for job in state.waiting {
            let tenant = job.batch.tenant
            let count = job.batch.mutations.count
            let fits = group.count < maximumPushes && (group.isEmpty || mutations + count <= maximumMutations)
            guard fits, !held.contains(tenant) else {
                left.append(job)
                held.insert(tenant)
                continue
            }
            group.append(job)
            taken.insert(tenant)
            mutations += count
        }
        state.waiting = left
        state.busy.formUnion(taken)
        return group
    }
}
