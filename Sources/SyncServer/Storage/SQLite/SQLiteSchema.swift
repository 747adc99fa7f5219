/// The schema of the SQLite store, as numbered migrations. Append new migrations; never edit one
/// that has shipped.
///
/// The SQL stays portable: plain INTEGER, TEXT and BLOB columns, JSON kept as TEXT and never
/// looked into by SQL, booleans as 0/1, upserts as `INSERT ... ON CONFLICT`, so a PostgreSQL
/// store can keep the same tables and semantics. The one SQLite spelling is `INTEGER PRIMARY KEY
/// AUTOINCREMENT` (PostgreSQL: an identity column), chosen because SQLite then never hands out
/// a key again, even after the rows holding the highest keys are deleted.
package enum SQLiteSchema {
    /// Every migration, in version order.
    package static let migrations: [StoreMigration] = [initial, health, uploads, auditDetails, secrets, tenantClocks]

    /// Version 1: every table of the store.
    package static let initial = StoreMigration(version: 1, name: "initial schema", statements: [
        // The current state of every record, tombstones included (REC-1..6).
        """
        CREATE TABLE records (
            tenant TEXT NOT NULL,
            collection TEXT NOT NULL,
            id TEXT NOT NULL,
            fields TEXT NOT NULL,
            version INTEGER NOT NULL,
            field_versions TEXT NOT NULL,
            updated_at INTEGER NOT NULL,
            client_time INTEGER NOT NULL,
            deleted INTEGER NOT NULL,
            last_device TEXT,
            PRIMARY KEY (tenant, collection, id)
        )
        """,
        // Every committed change (PULL-1). Positions increase across tenants and are never reused,
        // so a cursor from before a reset can never point into newer history. Cursors are sealed
        // (`CursorCodec`), so that one tenant cannot count another's commits.
        """
        CREATE TABLE change_log (
            position INTEGER PRIMARY KEY AUTOINCREMENT,
            tenant TEXT NOT NULL,
            collection TEXT NOT NULL,
            record_id TEXT NOT NULL,
            op TEXT NOT NULL,
            record TEXT NOT NULL,
            origin_device TEXT
        )
        """,
        "CREATE INDEX change_log_tenant_position ON change_log (tenant, position)",
        // Highest processed sequence number (SEQ-1, kept forever) and acknowledged position (ACK-1).
        """
        CREATE TABLE devices (
            tenant TEXT NOT NULL,
            device TEXT NOT NULL,
            last_seq INTEGER NOT NULL,
            acked_position INTEGER,
            PRIMARY KEY (tenant, device)
        )
        """,
        // The outcome of every processed mutation, for duplicates (SEQ-2), kept forever.
        """
        CREATE TABLE mutation_results (
            tenant TEXT NOT NULL,
            device TEXT NOT NULL,
            seq INTEGER NOT NULL,
            result TEXT NOT NULL,
            PRIMARY KEY (tenant, device, seq)
        )
        """,
        // Completed batches by idempotency key (IDEM-2..5), purged by age.
        """
        CREATE TABLE idempotency (
            tenant TEXT NOT NULL,
            device TEXT NOT NULL,
            key TEXT NOT NULL,
            payload_hash TEXT NOT NULL,
            result TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (tenant, device, key)
        )
        """,
        "CREATE INDEX idempotency_created_at ON idempotency (created_at)",
        // Every conflict and how it was resolved.
        """
        CREATE TABLE conflict_audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            tenant TEXT NOT NULL,
            collection TEXT NOT NULL,
            record_id TEXT NOT NULL,
            device TEXT,
            seq INTEGER,
            strategy TEXT NOT NULL,
            base_version INTEGER NOT NULL,
            server_version INTEGER NOT NULL,
            outcome TEXT NOT NULL,
            winner TEXT NOT NULL,
            mutation TEXT,
            created_at INTEGER NOT NULL
        )
        """,
        "CREATE INDEX conflict_audit_tenant_id ON conflict_audit (tenant, id)",
        // The manual review queue; `ordinal` keeps creation order across updates of an item.
        """
        CREATE TABLE reviews (
            ordinal INTEGER PRIMARY KEY AUTOINCREMENT,
            tenant TEXT NOT NULL,
            id TEXT NOT NULL,
            collection TEXT NOT NULL,
            status TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            item TEXT NOT NULL,
            UNIQUE (tenant, id)
        )
        """,
        "CREATE INDEX reviews_tenant_ordinal ON reviews (tenant, ordinal)",
        "CREATE INDEX reviews_tenant_status_ordinal ON reviews (tenant, status, ordinal)",
        // Conflict policies, one document per tenant.
        """
        CREATE TABLE policies (
            tenant TEXT NOT NULL PRIMARY KEY,
            policies TEXT NOT NULL
        )
        """,
    ])

    /// Version 2: device health and tenant analytics (HEALTH-1..5).
    package static let health = StoreMigration(version: 2, name: "device health and analytics", statements: [
        // Per device: the latest user, sync time and `hello` client (ClientInfo JSON, or NULL).
        """
        CREATE TABLE device_health (
            tenant TEXT NOT NULL,
            device TEXT NOT NULL,
            user_id TEXT NOT NULL,
            last_sync_at INTEGER,
            client TEXT,
            PRIMARY KEY (tenant, device)
        )
        """,
        // Every sync of a device in its last 24 hours, for the trailing window (HEALTH-2).
        """
        CREATE TABLE device_syncs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            tenant TEXT NOT NULL,
            device TEXT NOT NULL,
            at INTEGER NOT NULL,
            failed INTEGER NOT NULL
        )
        """,
        "CREATE INDEX device_syncs_tenant_device_at ON device_syncs (tenant, device, at)",
        // Counters of each tenant hour with activity (HEALTH-3).
        """
        CREATE TABLE tenant_hours (
            tenant TEXT NOT NULL,
            hour_start INTEGER NOT NULL,
            syncs INTEGER NOT NULL,
            failed_syncs INTEGER NOT NULL,
            mutations INTEGER NOT NULL,
            conflicts INTEGER NOT NULL,
            uploads_finalized INTEGER NOT NULL,
            uploads_abandoned INTEGER NOT NULL,
            PRIMARY KEY (tenant, hour_start)
        )
        """,
        // Push latency histogram of each tenant hour in 1 ms buckets, for exact percentiles.
        """
        CREATE TABLE tenant_hour_latency (
            tenant TEXT NOT NULL,
            hour_start INTEGER NOT NULL,
            latency_ms INTEGER NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (tenant, hour_start, latency_ms)
        )
        """,
    ])

    /// Version 3: resumable uploads (UPL-*). The bytes live on disk under server-generated names;
    /// these tables hold what is known about them, written only once the bytes are durable.
    package static let uploads = StoreMigration(version: 3, name: "uploads", statements: [
        // Upload sessions; `upload_id` is random and unique across tenants, and every query also
        // filters by tenant. Finalized sessions stay for repeated finalizes (UPL-8).
        """
        CREATE TABLE upload_sessions (
            upload_id TEXT NOT NULL PRIMARY KEY,
            tenant TEXT NOT NULL,
            device TEXT NOT NULL,
            name TEXT NOT NULL,
            size INTEGER NOT NULL,
            content_type TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            chunk_size INTEGER NOT NULL,
            state TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            file_id TEXT
        )
        """,
        "CREATE INDEX upload_sessions_tenant_device_state ON upload_sessions (tenant, device, state)",
        "CREATE INDEX upload_sessions_state_expires_at ON upload_sessions (state, expires_at)",
        // Verified chunks of open sessions; `blob` is the server-generated name of the chunk's file.
        """
        CREATE TABLE upload_chunks (
            upload_id TEXT NOT NULL,
            chunk_index INTEGER NOT NULL,
            tenant TEXT NOT NULL,
            size INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            blob TEXT NOT NULL,
            PRIMARY KEY (upload_id, chunk_index)
        )
        """,
        // Finalized files in permanent storage.
        """
        CREATE TABLE files (
            file_id TEXT NOT NULL PRIMARY KEY,
            tenant TEXT NOT NULL,
            upload_id TEXT NOT NULL,
            name TEXT NOT NULL,
            size INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            content_type TEXT NOT NULL,
            created_at INTEGER NOT NULL
        )
        """,
        "CREATE INDEX files_tenant ON files (tenant)",
    ])

    /// Version 4: what the audit log needs to be read over the wire (CONF-13, `listAuditLog`):
    /// the server record before, the version an entry wrote, the review it created or resolved,
    /// and the resolving operator and choice. Older rows keep NULL there; entries are read in
    /// `id` order, per record too.
    package static let auditDetails = StoreMigration(version: 4, name: "audit log details", statements: [
        "ALTER TABLE conflict_audit ADD COLUMN server_record TEXT",
        "ALTER TABLE conflict_audit ADD COLUMN resulting_version INTEGER",
        "ALTER TABLE conflict_audit ADD COLUMN review_id TEXT",
        "ALTER TABLE conflict_audit ADD COLUMN operator TEXT",
        "ALTER TABLE conflict_audit ADD COLUMN choice TEXT",
        "CREATE INDEX conflict_audit_tenant_collection_record_id ON conflict_audit (tenant, collection, record_id, id)",
    ])

    /// Version 5: the server's own secrets, such as the key cursors are sealed with (hex text,
    /// created by the store on first use, never per tenant and never reset).
    package static let secrets = StoreMigration(version: 5, name: "server secrets", statements: [
        """
        CREATE TABLE server_secrets (
            name TEXT NOT NULL PRIMARY KEY,
            secret TEXT NOT NULL
        )
        """,
    ])

    /// Version 6: the tenant clocks of test control (TEST-5), kept across restarts.
    package static let tenantClocks = StoreMigration(version: 6, name: "tenant clocks", statements: [
        """
        CREATE TABLE tenant_clocks (
            tenant TEXT NOT NULL PRIMARY KEY,
            offset_ms INTEGER NOT NULL
        )
        """,
    ])
}
