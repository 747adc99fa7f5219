import Benchmark
import SyncProtocol
import SyncServer

/// `ConflictResolver.resolve` for ten updates of one push, each against its stored work order:
/// once without conflict (the update is based on the stored version), then, based on an older
/// version, under each strategy (CONF-3 to CONF-9). `preserve_escalation` merges field by
/// field: the client's `notes` win (the server has not changed them since), its `priority`
/// wins by the escalation order, its `status` loses. Under `most_recent_wins` every other
/// update is the newer one. Baseline: the least any resolver that writes does, the client's
/// fields copied over a copy of the stored ones.
enum ConflictResolutionBenchmarks {
    static func register() {
        let stored = (0..<10).map(SampleWorkOrders.stored)
        let conflicting = (0..<10).map { index in
            let clientTime = SampleWorkOrders.now + (index.isMultiple(of: 2) ? -10_000 : -120_000)
            return Mutation(seq: Int64(201 + index), collection: SampleWorkOrders.collection, recordId: SampleWorkOrders.recordId(index),
                            op: .update, baseVersion: 3, fields: SampleWorkOrders.changedFields(index), clientTime: clientTime)
        }
        let current = conflicting.map { mutation in
            var mutation = mutation
            mutation.baseVersion = 5
            return mutation
        }
        let group = HotPathGroup("Resolve", baseline: "FieldCopy") {
            for (mutation, record) in zip(conflicting, stored) {
                var fields = record.fields
                for (name, value) in mutation.fields ?? [:] {
                    fields[name] = value
                }
                blackHole(fields)
            }
        }
        func resolving(_ mutations: [Mutation], _ strategy: ConflictStrategy, expect status: Set<MutationStatus>) -> () -> Void {
            let policy = CollectionPolicy(strategy: strategy, escalation: ["priority": SampleWorkOrders.priorities])
            let resolver = ConflictResolver(policy: policy, now: SampleWorkOrders.now, device: SampleWorkOrders.device)
            let outcomes = Set(zip(mutations, stored).map { resolver.resolve($0, tenant: SampleWorkOrders.tenant, existing: $1).status })
            guard outcomes == status else { fatalError("\(strategy.rawValue): expected \(status), resolved \(outcomes)") }
            return {
                for (mutation, record) in zip(mutations, stored) {
                    blackHole(resolver.resolve(mutation, tenant: SampleWorkOrders.tenant, existing: record))
                }
            }
        }
        group.subject("NoConflict", resolving(current, .serverWins, expect: [.applied]))
        group.subject(ConflictStrategy.clientWins.rawValue, resolving(conflicting, .clientWins, expect: [.conflictResolved]))
        group.subject(ConflictStrategy.serverWins.rawValue, resolving(conflicting, .serverWins, expect: [.conflictResolved]))
        group.subject(ConflictStrategy.mostRecentWins.rawValue, resolving(conflicting, .mostRecentWins, expect: [.conflictResolved]))
        group.subject(ConflictStrategy.preserveEscalation.rawValue, resolving(conflicting, .preserveEscalation, expect: [.merged]))
        group.subject(ConflictStrategy.manual.rawValue, resolving(conflicting, .manual, expect: [.queuedForReview]))
    }
}
