#!/usr/bin/env python3
"""The ШНОР rule of DESIGN.md §4.4 (shipped defaults) in SQL for DuckDB.

A reference implementation for benchmarking `orientir identify` against a general-purpose
analytical engine. It reads the same student-level results.csv
(`year,procedure,subject,grade,school_id,student_id,score,mark`) and schools.csv, and writes
the same CSV `school_id,reason`, sorted by school_id, so the two outputs can be compared byte
for byte.

The rule with its defaults:
  - a result fails when the VPR/OGE mark is 2, or the EGE score is below 24 (ru) / 27 (math);
  - a cell is (school, year, procedure, subject) with grades pooled;
  - a cell fails when participants >= 5 and failed / participants >= 0.30, compared exactly
    in integers: failed * 100 >= 30 * participants;
  - a procedure fails in a year when any of its subject cells fails;
  - a school is ШНОР for Y when (a) >= 2 distinct procedures fail in Y (`two_procedures`),
    or else (b) the same procedure fails in Y-1 and in Y (`two_years`);
  - only schools listed in schools.csv are counted (others are reported on stderr).

Usage: duckdb_identify.py --schools schools.csv --results results.csv --year 2024 --out out.csv
"""

import argparse
import sys
import time

import duckdb

SUBJECTS = ("ru", "math")
EGE_MIN = {"ru": 24, "math": 27}
SHARE_PERCENT = 30  # share = 0.30, as an exact integer percentage
MIN_PARTICIPANTS = 5

RESULT_COLUMNS = {
    "year": "INTEGER",
    "procedure": "VARCHAR",
    "subject": "VARCHAR",
    "grade": "INTEGER",
    "school_id": "VARCHAR",
    "student_id": "VARCHAR",
    "score": "DOUBLE",
    "mark": "INTEGER",
}


def sql_struct(columns):
    """A DuckDB struct literal {'name': 'TYPE', ...} for read_csv(columns = ...)."""
    return "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in columns.items()) + "}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", required=True)
    parser.add_argument("--results", required=True)
    parser.add_argument("--year", required=True, type=int)
    parser.add_argument("--out", required=True)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    started = time.perf_counter()
    con = duckdb.connect()
    con.execute(f"SET threads = {int(args.threads)}")
    con.execute("SET enable_progress_bar = false")
    # The output is sorted explicitly; insertion order need not be kept while scanning.
    con.execute("SET preserve_insertion_order = false")

    params = {
        "schools": args.schools,
        "results": args.results,
        "year": args.year,
        "previous": args.year - 1,
    }

    # Rule cells of the two years the rule looks at, grades pooled.
    con.execute(
        f"""
        CREATE TEMP TABLE cells AS
        WITH rows AS (
            SELECT
                year,
                upper(procedure) AS procedure,
                lower(subject) AS subject,
                school_id,
                score,
                mark
            FROM read_csv(
                $results,
                header = true,
                delim = ',',
                quote = '"',
                auto_detect = false,
                columns = {sql_struct(RESULT_COLUMNS)}
            )
            WHERE year IN ($previous, $year)
        )
        SELECT
            school_id,
            year,
            procedure,
            subject,
            count(*) AS participants,
            count_if(
                CASE
                    WHEN procedure IN ('VPR', 'OGE') THEN mark = 2
                    WHEN procedure = 'EGE' AND subject = 'ru' THEN score < {EGE_MIN['ru']}
                    WHEN procedure = 'EGE' AND subject = 'math' THEN score < {EGE_MIN['math']}
                    ELSE false
                END
            ) AS failed
        FROM rows
        WHERE subject IN {SUBJECTS!r}
        GROUP BY school_id, year, procedure, subject
        """,
        {k: params[k] for k in ("results", "year", "previous")},
    )

    # Known schools: rows of other schools are not counted.
    con.execute(
        """
        CREATE TEMP TABLE known AS
        SELECT DISTINCT trim(school_id) AS school_id
        FROM read_csv($schools, header = true, delim = ',', quote = '"', all_varchar = true)
        """,
        {"schools": params["schools"]},
    )
    unknown = con.execute(
        "SELECT count(DISTINCT school_id) FROM cells ANTI JOIN known USING (school_id)"
    ).fetchone()[0]
    if unknown:
        print(f"schools missing from {args.schools}, not counted: {unknown}", file=sys.stderr)

    rows = con.execute(
        f"""
        WITH failing_units AS (
            -- A procedure fails in a year when any of its subject cells fails.
            SELECT DISTINCT school_id, year, procedure
            FROM cells SEMI JOIN known USING (school_id)
            WHERE participants >= {MIN_PARTICIPANTS}
              AND failed * 100 >= {SHARE_PERCENT} * participants
        ),
        in_year AS (
            -- Clause (a): the number of distinct procedures failing in Y.
            SELECT school_id, count(*) AS units
            FROM failing_units
            WHERE year = $year
            GROUP BY school_id
        ),
        both_years AS (
            -- Clause (b): the same procedure fails in Y-1 and in Y.
            SELECT DISTINCT cur.school_id
            FROM failing_units cur
            JOIN failing_units prev USING (school_id, procedure)
            WHERE cur.year = $year AND prev.year = $previous
        )
        SELECT
            school_id,
            CASE WHEN in_year.units >= 2 THEN 'two_procedures' ELSE 'two_years' END AS reason
        FROM in_year
        LEFT JOIN both_years USING (school_id)
        WHERE in_year.units >= 2 OR both_years.school_id IS NOT NULL
        ORDER BY school_id
        """,
        {"year": params["year"], "previous": params["previous"]},
    ).fetchall()

    with open(args.out, "w", encoding="utf-8", newline="\n") as out:
        out.write("school_id,reason\n")
        for school_id, reason in rows:
            out.write(f"{school_id},{reason}\n")
    elapsed = time.perf_counter() - started
    print(
        f"ШНОР в {args.year}: {len(rows)} школ (DuckDB {duckdb.__version__}); "
        f"query_seconds={elapsed:.3f}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
