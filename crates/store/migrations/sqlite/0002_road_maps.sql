-- Road maps: one row per road map of an owner (region, municipality or school), its versions
-- (an approved version is frozen; editing makes a new draft), sections and activities.
-- Keep in step with migrations/postgres/0002_road_maps.sql.

CREATE TABLE road_maps (
    id              INTEGER PRIMARY KEY,
    level           TEXT NOT NULL CHECK (level IN ('regional', 'municipal', 'school')),
    region_id       INTEGER REFERENCES regions (id),
    municipality_id INTEGER REFERENCES municipalities (id),
    school_id       TEXT REFERENCES schools (id),
    created_at      TEXT NOT NULL,
    CHECK ((region_id IS NOT NULL) + (municipality_id IS NOT NULL) + (school_id IS NOT NULL) = 1)
);
CREATE INDEX road_maps_by_municipality ON road_maps (municipality_id);
CREATE INDEX road_maps_by_school ON road_maps (school_id);

CREATE TABLE road_map_versions (
    id               INTEGER PRIMARY KEY,
    road_map_id      INTEGER NOT NULL REFERENCES road_maps (id),
    version          INTEGER NOT NULL CHECK (version >= 1),
    state            TEXT NOT NULL CHECK (state IN ('draft', 'approved')),
    title            TEXT NOT NULL,
    owner_text       TEXT,
    period_from      DATE,
    period_to        DATE,
    order_json       TEXT,
    goals            TEXT NOT NULL,
    tasks            TEXT NOT NULL,
    expected_results TEXT NOT NULL,
    source_name      TEXT,
    created_at       TEXT NOT NULL,
    UNIQUE (road_map_id, version)
);

CREATE TABLE road_map_sections (
    id              INTEGER PRIMARY KEY,
    version_id      INTEGER NOT NULL REFERENCES road_map_versions (id),
    position        INTEGER NOT NULL,
    title           TEXT NOT NULL,
    tasks           TEXT NOT NULL,
    planned_results TEXT NOT NULL,
    UNIQUE (version_id, position)
);

CREATE TABLE road_map_activities (
    id            INTEGER PRIMARY KEY,
    section_id    INTEGER NOT NULL REFERENCES road_map_sections (id),
    position      INTEGER NOT NULL,
    number        TEXT,
    title         TEXT NOT NULL,
    period_json   TEXT,
    responsible   TEXT NOT NULL,
    output        TEXT,
    indicator     TEXT,
    publicity     TEXT,
    external_help TEXT,
    UNIQUE (section_id, position)
);
