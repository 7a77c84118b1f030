-- Registry: regions, municipalities, schools, school years, status history, people and roles.
-- Keep in step with migrations/postgres/0001_registry.sql: the same tables, columns and rules.

CREATE TABLE regions (
    id       INTEGER PRIMARY KEY,
    name     TEXT NOT NULL UNIQUE,
    sort_key TEXT NOT NULL
);

CREATE TABLE municipalities (
    id        INTEGER PRIMARY KEY,
    region_id INTEGER NOT NULL REFERENCES regions (id),
    name      TEXT NOT NULL,
    sort_key  TEXT NOT NULL,
    UNIQUE (region_id, name)
);

CREATE TABLE schools (
    id                TEXT PRIMARY KEY,
    municipality_id   INTEGER NOT NULL REFERENCES municipalities (id),
    name              TEXT NOT NULL,
    sort_key          TEXT NOT NULL,
    locality          TEXT NOT NULL CHECK (locality IN ('city', 'village')),
    kind              TEXT NOT NULL,
    students          INTEGER NOT NULL CHECK (students >= 0),
    low_income        REAL CHECK (low_income BETWEEN 0 AND 1),
    single_parent     REAL CHECK (single_parent BETWEEN 0 AND 1),
    non_native        REAL CHECK (non_native BETWEEN 0 AND 1),
    disability        REAL CHECK (disability BETWEEN 0 AND 1),
    parents_higher_ed REAL CHECK (parents_higher_ed BETWEEN 0 AND 1),
    on_register       REAL CHECK (on_register BETWEEN 0 AND 1),
    updated_at        TEXT NOT NULL
);
CREATE INDEX schools_by_municipality ON schools (municipality_id, sort_key);

-- A school year is named by the year it starts: 2024 is 2024/2025.
CREATE TABLE school_years (
    id     INTEGER PRIMARY KEY,
    starts DATE NOT NULL,
    ends   DATE NOT NULL
);

-- Append-only: the status in force is the latest record for (school, year, status).
CREATE TABLE school_statuses (
    id           INTEGER PRIMARY KEY,
    school_id    TEXT NOT NULL REFERENCES schools (id),
    school_year  INTEGER NOT NULL REFERENCES school_years (id),
    status       TEXT NOT NULL CHECK (status IN ('low_results', 'social_risk', 'declining', 'mentor')),
    decision     TEXT NOT NULL CHECK (decision IN ('assigned', 'removed')),
    source_kind  TEXT NOT NULL CHECK (source_kind IN ('rule_run', 'manual')),
    rule_version TEXT,
    order_number TEXT,
    order_date   DATE,
    note         TEXT,
    recorded_at  TEXT NOT NULL,
    CHECK ((source_kind = 'rule_run' AND rule_version IS NOT NULL)
        OR (source_kind = 'manual' AND order_number IS NOT NULL))
);
CREATE INDEX school_statuses_by_key ON school_statuses (school_year, school_id, status, id);
CREATE INDEX school_statuses_by_school ON school_statuses (school_id, id);

CREATE TRIGGER school_statuses_append_only_update BEFORE UPDATE ON school_statuses
BEGIN
    SELECT RAISE(ABORT, 'school_statuses is append-only');
END;
CREATE TRIGGER school_statuses_append_only_delete BEFORE DELETE ON school_statuses
BEGIN
    SELECT RAISE(ABORT, 'school_statuses is append-only');
END;

CREATE VIEW current_statuses AS
SELECT s.school_id, s.school_year, s.status
FROM school_statuses s
WHERE s.decision = 'assigned'
  AND s.id = (SELECT MAX(t.id) FROM school_statuses t
              WHERE t.school_id = s.school_id AND t.school_year = s.school_year AND t.status = s.status);

CREATE TABLE people (
    id        INTEGER PRIMARY KEY,
    full_name TEXT NOT NULL,
    sort_key  TEXT NOT NULL,
    position  TEXT,
    email     TEXT
);

CREATE TABLE role_assignments (
    id              INTEGER PRIMARY KEY,
    person_id       INTEGER NOT NULL REFERENCES people (id),
    role            TEXT NOT NULL CHECK (role IN ('regional_coordinator', 'municipal_coordinator',
                                                  'curator', 'school_lead', 'reviewer', 'observer')),
    region_id       INTEGER REFERENCES regions (id),
    municipality_id INTEGER REFERENCES municipalities (id),
    school_id       TEXT REFERENCES schools (id),
    CHECK ((region_id IS NOT NULL) + (municipality_id IS NOT NULL) + (school_id IS NOT NULL) = 1)
);
CREATE INDEX role_assignments_by_school ON role_assignments (school_id);
