import ArgumentParser
import SyncServer

/// The deliberate bugs the fault-injection server can be built with; `none` is the faithful
/// reference server. Each fault's file says which requirement it violates and how.
enum Fault: String, CaseIterable, Sendable, ExpressibleByArgument {
    case none
    case duplicateAppliedTwice = "duplicate-applied-twice"
    case seqGapAccepted = "seq-gap-accepted"
    case wrongConflictWinner = "wrong-conflict-winner"
    case corruptChunkAccepted = "corrupt-chunk-accepted"
    case tenantLeak = "tenant-leak"
    case lostRealtimeChange = "lost-realtime-change"
    case replayNotMarked = "replay-not-marked"
    case ackIgnored = "ack-ignored"
    case pullSkipsChange = "pull-skips-change"
    case expiredTokenAccepted = "expired-token-accepted"
    case wrongErrorStatus = "wrong-error-status"
    case cursorNotTenantChecked = "cursor-not-tenant-checked"
    case operatorRoleNotChecked = "operator-role-not-checked"
    case syncedCountOff = "synced-count-off"
    case hasMoreNeverSet = "has-more-never-set"
    case pullLimitIgnored = "pull-limit-ignored"
    case policyNotStored = "policy-not-stored"
    case reviewResolvableTwice = "review-resolvable-twice"
    case resetKeepsRecords = "reset-keeps-records"
    case clockNotMoved = "clock-not-moved"
    case keyReuseReapplied = "key-reuse-reapplied"
    case auditNotWritten = "audit-not-written"
    case versionSkipsOne = "version-skips-one"
    case deletedKeepsFields = "deleted-keeps-fields"
    case updatedAtFromClient = "updated-at-from-client"
    case lastSeqNotAnnounced = "last-seq-not-announced"
    case retryAfterDropped = "retry-after-dropped"
    case problemAsPlainJSON = "problem-as-plain-json"
    case missingDigestAccepted = "missing-digest-accepted"
    case rangeIgnored = "range-ignored"
    case metricsNeedToken = "metrics-need-token"

    /// The requirements of `Spec/requirements.yaml` the fault violates.
    var requirements: [String] {
        switch self {
        case .none: []
        case .duplicateAppliedTwice: ["SEQ-2"]
        case .seqGapAccepted: ["SEQ-3"]
        case .wrongConflictWinner: ["CONF-3", "CONF-4"]
        case .corruptChunkAccepted: ["UPL-4"]
        case .tenantLeak: ["TEN-1"]
        case .lostRealtimeChange: ["RT-1"]
        case .replayNotMarked: ["IDEM-4"]
        case .ackIgnored: ["ACK-1", "ACK-3"]
        case .pullSkipsChange: ["PULL-2"]
        case .expiredTokenAccepted: ["AUTH-4"]
        case .wrongErrorStatus: ["ERR-7"]
        case .cursorNotTenantChecked: ["TEN-2", "PULL-5"]
        case .operatorRoleNotChecked: ["AUTH-6"]
        case .syncedCountOff: ["RES-3"]
        case .hasMoreNeverSet: ["PULL-3"]
        case .pullLimitIgnored: ["PULL-3"]
        case .policyNotStored: ["POL-1", "POL-3"]
        case .reviewResolvableTwice: ["CONF-12"]
        case .resetKeepsRecords: ["TEST-3"]
        case .clockNotMoved: ["TEST-5"]
        case .keyReuseReapplied: ["IDEM-5"]
        case .auditNotWritten: ["CONF-13"]
        case .versionSkipsOne: ["REC-2"]
        case .deletedKeepsFields: ["REC-6"]
        case .updatedAtFromClient: ["REC-4"]
        case .lastSeqNotAnnounced: ["SEQ-5"]
        case .retryAfterDropped: ["ERR-3"]
        case .problemAsPlainJSON: ["ERR-1"]
        case .missingDigestAccepted: ["UPL-4"]
        case .rangeIgnored: ["UPL-13"]
        case .metricsNeedToken: ["HEALTH-6"]
        }
    }

    /// How the server is assembled with this fault; `auth` is the server's token configuration.
    func customization(auth: AuthConfiguration) async throws -> ServerCustomization {
        switch self {
        case .none: ServerCustomization()
        case .duplicateAppliedTwice: DuplicateAppliedTwice.customization
        case .seqGapAccepted: SeqGapAccepted.customization
        case .wrongConflictWinner: WrongConflictWinner.customization
        case .corruptChunkAccepted: CorruptChunkAccepted.customization
        case .tenantLeak: TenantLeak.customization
        case .lostRealtimeChange: LostRealtimeChange.customization
        case .replayNotMarked: ReplayNotMarked.customization
        case .ackIgnored: AckIgnored.customization
        case .pullSkipsChange: PullSkipsChange.customization
        case .expiredTokenAccepted: try await ExpiredTokenAccepted.customization(auth: auth)
        case .wrongErrorStatus: WrongErrorStatus.customization
        case .cursorNotTenantChecked: CursorNotTenantChecked.customization
        case .operatorRoleNotChecked: OperatorRoleNotChecked.customization
        case .syncedCountOff: SyncedCountOff.customization
        case .hasMoreNeverSet: HasMoreNeverSet.customization
        case .pullLimitIgnored: PullLimitIgnored.customization
        case .policyNotStored: PolicyNotStored.customization
        case .reviewResolvableTwice: ReviewResolvableTwice.customization
        case .resetKeepsRecords: ResetKeepsRecords.customization
        case .clockNotMoved: ClockNotMoved.customization
        case .keyReuseReapplied: KeyReuseReapplied.customization
        case .auditNotWritten: AuditNotWritten.customization
        case .versionSkipsOne: VersionSkipsOne.customization
        case .deletedKeepsFields: DeletedKeepsFields.customization
        case .updatedAtFromClient: UpdatedAtFromClient.customization
        case .lastSeqNotAnnounced: LastSeqNotAnnounced.customization
        case .retryAfterDropped: RetryAfterDropped.customization
        case .problemAsPlainJSON: ProblemAsPlainJSON.customization
        case .missingDigestAccepted: MissingDigestAccepted.customization
        case .rangeIgnored: RangeIgnored.customization
        case .metricsNeedToken: MetricsNeedToken.customization
        }
    }
}
