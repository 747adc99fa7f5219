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
        }
    }
}
