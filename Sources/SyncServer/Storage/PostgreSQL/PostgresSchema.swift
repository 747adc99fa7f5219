/// The schema of the PostgreSQL store, as numbered migrations. Append new migrations; never edit
/// one that has shipped.
///
/// The tables and columns are those of the SQLite store (`SQLiteSchema`, up to its version 5), so
/// `StoreQueries` runs on both: every integer is BIGINT, JSON is TEXT that SQL never looks into,
/// booleans are 0 or 1. Generated keys are identity columns, which, like SQLite's
/// `AUTOINCREMENT`, never hand a key out twice.
///
/// Change-log positions come from one sequence shared by all tenants; a writer takes its
/// tenant's advisory lock before it appends and holds it until it commits, so within a tenant
/// positions become visible in increasing order (see `PostgresSyncStore.write`).
package enum PostgresSchema {
    /// Every migration, in version order.
    package static let migrations: [StoreMigration] = [initial, reservedPositions, tenantClocks]

    /// Version 1: every table of the store.
    package static let initial = StoreMigration(version: 1, name: "initial schema", statements: [
        """
        CREATE TABLE records (
            tenant TEXT NOT NULL,
            collection TEXT NOT NULL,
            id TEXT NOT NULL,
            fields TEXT NOT NULL,
            version BIGINT NOT NULL,
            field_versions TEXT NOT NULL,
            updated_at BIGINT NOT NULL,
            client_time BIGINT NOT NULL,
            deleted BIGINT NOT NULL,
            last_device TEXT,
            PRIMARY KEY (tenant, collection, id)
        )
        """,
        """
        CREATE TABLE change_log (
            position BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            tenant TEXT NOT NULL,
            collection TEXT NOT NULL,
            record_id TEXT NOT NULL,
            op TEXT NOT NULL,
            record TEXT NOT NULL,
            origin_device TEXT
        )
        """,
        "CREATE INDEX change_log_tenant_position ON change_log (tenant, position)",
        """
        CREATE TABLE devices (
            tenant TEXT NOT NULL,
            device TEXT NOT NULL,
            last_seq BIGINT NOT NULL,
            acked_position BIGINT,
            PRIMARY KEY (tenant, device)
        )
        """,
        """
        CREATE TABLE mutation_results (
            tenant TEXT NOT NULL,
            device TEXT NOT NULL,
            seq BIGINT NOT NULL,
            result TEXT NOT NULL,
            PRIMARY KEY (tenant, device, seq)
        )
        """,
        """
        CREATE TABLE idempotency (
            tenant TEXT NOT NULL,
            device TEXT NOT NULL,
            key TEXT NOT NULL,
            payload_hash TEXT NOT NULL,
            result TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            PRIMARY KEY (tenant, device, key)
        )
        """,
        "CREATE INDEX idempotency_created_at ON idempotency (created_at)",
        """
        CREATE TABLE conflict_audit (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            tenant TEXT NOT NULL,
            collection TEXT NOT NULL,
            record_id TEXT NOT NULL,
            device TEXT,
            seq BIGINT,
            strategy TEXT NOT NULL,
            base_version BIGINT NOT NULL,
            server_version BIGINT NOT NULL,
            outcome TEXT NOT NULL,
            winner TEXT NOT NULL,
            mutation TEXT,
            created_at BIGINT NOT NULL,
            server_record TEXT,
            resulting_version BIGINT,
            review_id TEXT,
            operator TEXT,
            choice TEXT
        )
        """,
        "CREATE INDEX conflict_audit_tenant_id ON conflict_audit (tenant, id)",
        "CREATE INDEX conflict_audit_tenant_collection_record_id ON conflict_audit (tenant, collection, record_id, id)",
        """
        CREATE TABLE reviews (
            ordinal BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            tenant TEXT NOT NULL,
            id TEXT NOT NULL,
            collection TEXT NOT NULL,
            status TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            item TEXT NOT NULL,
            UNIQUE (tenant, id)
        )
        """,
        "CREATE INDEX reviews_tenant_ordinal ON reviews (tenant, ordinal)",
        "CREATE INDEX reviews_tenant_status_ordinal ON reviews (tenant, status, ordinal)",
        """
        CREATE TABLE policies (
            tenant TEXT NOT NULL PRIMARY KEY,
            policies TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE device_health (
            tenant TEXT NOT NULL,
            device TEXT NOT NULL,
            user_id TEXT NOT NULL,
            last_sync_at BIGINT,
            client TEXT,
            PRIMARY KEY (tenant, device)
        )
        """,
        """
        CREATE TABLE device_syncs (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            tenant TEXT NOT NULL,
            device TEXT NOT NULL,
            at BIGINT NOT NULL,
            failed BIGINT NOT NULL
        )
        """,
        "CREATE INDEX device_syncs_tenant_device_at ON device_syncs (tenant, device, at)",
        "CREATE INDEX device_syncs_at ON device_syncs (at)",
        """
        CREATE TABLE tenant_hours (
            tenant TEXT NOT NULL,
            hour_start BIGINT NOT NULL,
            syncs BIGINT NOT NULL,
            failed_syncs BIGINT NOT NULL,
            mutations BIGINT NOT NULL,
            conflicts BIGINT NOT NULL,
            uploads_finalized BIGINT NOT NULL,
            uploads_abandoned BIGINT NOT NULL,
            PRIMARY KEY (tenant, hour_start)
        )
        """,
        """
        CREATE TABLE tenant_hour_latency (
            tenant TEXT NOT NULL,
            hour_start BIGINT NOT NULL,
            latency_ms BIGINT NOT NULL,
            count BIGINT NOT NULL,
            PRIMARY KEY (tenant, hour_start, latency_ms)
        )
        """,
        """
        CREATE TABLE upload_sessions (
            upload_id TEXT NOT NULL PRIMARY KEY,
            tenant TEXT NOT NULL,
            device TEXT NOT NULL,
            name TEXT NOT NULL,
            size BIGINT NOT NULL,
            content_type TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            chunk_size BIGINT NOT NULL,
            state TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL,
            file_id TEXT
        )
        """,
        "CREATE INDEX upload_sessions_tenant_device_state ON upload_sessions (tenant, device, state)",
        "CREATE INDEX upload_sessions_state_expires_at ON upload_sessions (state, expires_at)",
        """
        CREATE TABLE upload_chunks (
            upload_id TEXT NOT NULL,
            chunk_index BIGINT NOT NULL,
            tenant TEXT NOT NULL,
            size BIGINT NOT NULL,
            sha256 TEXT NOT NULL,
            blob TEXT NOT NULL,
            PRIMARY KEY (upload_id, chunk_index)
        )
        """,
        """
        CREATE TABLE files (
            file_id TEXT NOT NULL PRIMARY KEY,
            tenant TEXT NOT NULL,
            upload_id TEXT NOT NULL,
            name TEXT NOT NULL,
            size BIGINT NOT NULL,
            sha256 TEXT NOT NULL,
            content_type TEXT NOT NULL,
            created_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX files_tenant ON files (tenant)",
        """
        CREATE TABLE server_secrets (
            name TEXT NOT NULL PRIMARY KEY,
            secret TEXT NOT NULL
        )
        """,
    ])

    /// Version 2: group transactions reserve change-log positions from the identity sequence
    /// (`nextval`) and insert them, which an identity `GENERATED ALWAYS` refuses.
    package static let reservedPositions = StoreMigration(version: 2, name: "change-log positions given by writers", statements: [
        "ALTER TABLE change_log ALTER COLUMN position SET GENERATED BY DEFAULT",
    ])

    /// Version 3: the tenant clocks of test control (TEST-5), shared by every node.
    package static let tenantClocks = StoreMigration(version: 3, name: "tenant clocks", statements: [
        """
        CREATE TABLE tenant_clocks (
            tenant TEXT NOT NULL PRIMARY KEY,
            offset_ms BIGINT NOT NULL
        )
        """,
    ])
}
