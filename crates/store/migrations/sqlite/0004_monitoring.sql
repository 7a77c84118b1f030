-- Accounts and access, execution monitoring, curators and mentors, checkpoints, audit log.
-- Keep in step with migrations/postgres/0004_monitoring.sql.

-- An activity keeps its identity across road-map versions: a copied row points at the row it was
-- first written as, so statuses, evidence and comments follow the activity, not the version.
ALTER TABLE road_map_activities ADD COLUMN origin_id INTEGER;

CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    login               TEXT NOT NULL UNIQUE,
    person_id           INTEGER NOT NULL REFERENCES people (id),
    password_hash       TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    password_changed_at TEXT NOT NULL,
    disabled            BOOLEAN NOT NULL DEFAULT FALSE
);

-- Only a SHA-256 of the session token is kept: a copy of the database cannot be replayed as cookies.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    revoked_at   TEXT
);

CREATE TABLE login_failures (
    id     INTEGER PRIMARY KEY,
    login  TEXT NOT NULL,
    failed_at TEXT NOT NULL
);
CREATE INDEX login_failures_by_login ON login_failures (login, failed_at);

-- Append-only: who changed what, when, before → after (JSON).
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    user_id     INTEGER REFERENCES users (id),
    actor       TEXT NOT NULL,
    object_kind TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    action      TEXT NOT NULL,
    before_json TEXT,
    after_json  TEXT
);
CREATE INDEX audit_log_by_object ON audit_log (object_kind, object_id, id);
CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TABLE curator_assignments (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES people (id),
    school_id   TEXT NOT NULL REFERENCES schools (id),
    assigned_at TEXT NOT NULL,
    UNIQUE (person_id, school_id)
);
CREATE INDEX curator_assignments_by_school ON curator_assignments (school_id);

-- A соглашение pairs a supported school with a mentor school; its joint plan is a road map.
CREATE TABLE agreements (
    id               INTEGER PRIMARY KEY,
    school_id        TEXT NOT NULL REFERENCES schools (id),
    mentor_school_id TEXT NOT NULL REFERENCES schools (id),
    number           TEXT NOT NULL,
    signed_on        DATE NOT NULL,
    valid_from       DATE NOT NULL,
    valid_to         DATE NOT NULL,
    road_map_id      INTEGER REFERENCES road_maps (id),
    created_at       TEXT NOT NULL,
    CHECK (school_id <> mentor_school_id),
    CHECK (valid_from <= valid_to)
);
CREATE INDEX agreements_by_school ON agreements (school_id);

CREATE TABLE visits (
    id                INTEGER PRIMARY KEY,
    school_id         TEXT NOT NULL REFERENCES schools (id),
    curator_person_id INTEGER NOT NULL REFERENCES people (id),
    planned_on        DATE NOT NULL,
    visited_on        DATE,
    purpose           TEXT NOT NULL,
    notes             TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL
);
CREATE INDEX visits_by_school ON visits (school_id, planned_on);

-- Execution: one status per activity and occurrence ('' for a one-off activity, else the ISO date
-- of the occurrence). "Overdue" is derived from the period when read, never stored.
CREATE TABLE activity_progress (
    id           INTEGER PRIMARY KEY,
    road_map_id  INTEGER NOT NULL REFERENCES road_maps (id),
    activity_key INTEGER NOT NULL,
    occurrence   TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL CHECK (status IN ('planned', 'in_progress', 'done', 'accepted',
                                                 'returned')),
    updated_at   TEXT NOT NULL,
    updated_by   INTEGER REFERENCES users (id),
    UNIQUE (road_map_id, activity_key, occurrence)
);

CREATE TABLE evidence (
    id           INTEGER PRIMARY KEY,
    road_map_id  INTEGER NOT NULL REFERENCES road_maps (id),
    activity_key INTEGER NOT NULL,
    occurrence   TEXT NOT NULL DEFAULT '',
    kind         TEXT NOT NULL CHECK (kind IN ('file', 'link')),
    file_name    TEXT,
    content_type TEXT,
    size_bytes   INTEGER,
    sha256       TEXT,
    content      BLOB,
    url          TEXT,
    uploaded_by  INTEGER REFERENCES users (id),
    uploaded_at  TEXT NOT NULL,
    CHECK ((kind = 'file' AND content IS NOT NULL AND sha256 IS NOT NULL)
        OR (kind = 'link' AND url IS NOT NULL))
);
CREATE INDEX evidence_by_activity ON evidence (road_map_id, activity_key, occurrence);

CREATE TABLE activity_comments (
    id           INTEGER PRIMARY KEY,
    road_map_id  INTEGER NOT NULL REFERENCES road_maps (id),
    activity_key INTEGER NOT NULL,
    occurrence   TEXT NOT NULL DEFAULT '',
    author_id    INTEGER REFERENCES users (id),
    body         TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX activity_comments_by_activity ON activity_comments (road_map_id, activity_key, id);

-- Monitoring dates (срезы) of a municipality; every computation is kept, the first one is the record.
CREATE TABLE checkpoints (
    id              INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities (id),
    due_on          DATE NOT NULL,
    title           TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    UNIQUE (municipality_id, due_on)
);

CREATE TABLE checkpoint_snapshots (
    id            INTEGER PRIMARY KEY,
    checkpoint_id INTEGER NOT NULL REFERENCES checkpoints (id),
    computed_at   TEXT NOT NULL
);
CREATE INDEX checkpoint_snapshots_by_checkpoint ON checkpoint_snapshots (checkpoint_id, id);

CREATE TABLE checkpoint_results (
    snapshot_id INTEGER NOT NULL REFERENCES checkpoint_snapshots (id),
    school_id   TEXT NOT NULL REFERENCES schools (id),
    done        INTEGER NOT NULL,
    due         INTEGER NOT NULL,
    PRIMARY KEY (snapshot_id, school_id)
);
