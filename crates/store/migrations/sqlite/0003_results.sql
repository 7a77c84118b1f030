-- Assessment results (ВПР, ОГЭ, ЕГЭ) as aggregates only: one row per (school, year, procedure,
-- subject, grade) with counts and the score distribution. No pupil-level data is stored
-- (DESIGN.md §4.2): pupil rows are aggregated while the file is read.
-- Keep in step with migrations/postgres/0003_results.sql.

-- One import of a results file: what was read and how many cells it wrote.
CREATE TABLE result_imports (
    id           INTEGER PRIMARY KEY,
    file_name    TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('student', 'aggregated')),
    rows_read    INTEGER NOT NULL CHECK (rows_read >= 0),
    cells        INTEGER NOT NULL CHECK (cells >= 0),
    skipped_rows INTEGER NOT NULL CHECK (skipped_rows >= 0),
    created_at   TEXT NOT NULL
);

-- A later import of the same (school, year, procedure, subject, grade) replaces the cell and
-- points it at that import; cells the later file does not name stay as they were.
CREATE TABLE result_cells (
    id           INTEGER PRIMARY KEY,
    school_id    TEXT NOT NULL REFERENCES schools (id),
    year         INTEGER NOT NULL,
    procedure    TEXT NOT NULL CHECK (procedure IN ('VPR', 'OGE', 'EGE')),
    subject      TEXT NOT NULL,
    grade        INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 11),
    participants INTEGER NOT NULL CHECK (participants >= 0),
    failed       INTEGER NOT NULL CHECK (failed BETWEEN 0 AND participants),
    mark2        INTEGER NOT NULL CHECK (mark2 >= 0),
    mark3        INTEGER NOT NULL CHECK (mark3 >= 0),
    mark4        INTEGER NOT NULL CHECK (mark4 >= 0),
    mark5        INTEGER NOT NULL CHECK (mark5 >= 0),
    score_sum    REAL,
    score_min    REAL,
    score_max    REAL,
    import_id    INTEGER NOT NULL REFERENCES result_imports (id),
    imported_at  TEXT NOT NULL,
    UNIQUE (school_id, year, procedure, subject, grade)
);
CREATE INDEX result_cells_by_year ON result_cells (year, school_id);
CREATE INDEX result_cells_by_import ON result_cells (import_id);
