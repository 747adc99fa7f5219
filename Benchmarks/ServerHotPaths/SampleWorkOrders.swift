import SyncProtocol
import SyncServer

/// The records every benchmark works on: work orders of a field-service app, each with the
/// kinds of values the spec allows in `fields` (strings, integers, a fraction, a flag, a list
/// and nested objects), about 500 bytes of canonical JSON each, like a real app's records
/// rather than `{"title": "hi"}`.
enum SampleWorkOrders {
    static let tenant = "acme"
    static let device = "phone-7f3a"
    static let otherDevice = "tablet-19c2"
    static let collection = "work_orders"
    /// The server's time in every sample, ms since the epoch (2026-01-01).
    static let now: Int64 = 1_767_225_600_000
    /// The priority order the `preserve_escalation` policy gives the collection.
    static let priorities = ["low", "medium", "high", "critical"]

    /// A ULID-shaped record id, distinct per index.
    static func recordId(_ index: Int) -> String {
        "01JH3K8Z4Q6V0T2M9X5B7C" + String(1000 + index)
    }

    /// Every field of work order `index`, as a create carries them.
    static func fields(_ index: Int) -> JSONObject {
        [
            "title": .string("Replace pressure valve on pump \(index)"),
            "status": "open",
            "priority": "medium",
            "site_id": .string("site-\(4000 + index)"),
            "estimate_minutes": .int(45 + Int64(index)),
            "cost_eur": .double(129.5 + Double(index)),
            "billable": true,
            "tags": ["hydraulics", "needs-review", "north-yard"],
            "assignee": ["id": .string("usr_\(300 + index)"), "name": "Dana Whitfield", "team": "field-ops"],
            "location": ["lat": 52.5162, "lon": 13.3777, "floor": 2],
            "notes": "Intermittent pressure drop after 10 pm; bring a spare gasket kit and the calibrated gauge.",
        ]
    }

    /// The few fields an update of work order `index` changes.
    static func changedFields(_ index: Int) -> JSONObject {
        [
            "status": "in_progress",
            "priority": "critical",
            "notes": .string("Valve \(index) seized; ordered part 7731-B, technician on site until 16:00."),
        ]
    }

    /// Work order `index` as stored after five versions: created at 1, `notes` last changed at
    /// 3, and since then `status` (at 4) and `priority` (at 5) changed by another device, so an
    /// update based on version 3 conflicts with it.
    static func stored(_ index: Int) -> StoredRecord {
        var fields = fields(index)
        fields["status"] = "scheduled"
        fields["priority"] = "high"
        var fieldVersions = fields.mapValues { _ in Int64(1) }
        fieldVersions["notes"] = 3
        fieldVersions["status"] = 4
        fieldVersions["priority"] = 5
        return StoredRecord(tenant: tenant, collection: collection, id: recordId(index), fields: fields, version: 5,
                            fieldVersions: fieldVersions, updatedAt: now - 30_000, clientTime: now - 30_000,
                            deleted: false, lastDevice: otherDevice)
    }
}
