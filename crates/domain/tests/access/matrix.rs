//! The full matrix role × resource × action × place, allowed and denied cells alike.
//!
//! Each cell lists the actions allowed there: R read, W write, V review, A approve; «-» none.
//! Homes: the regional coordinator holds region 1; the municipal coordinator, reviewer and observer
//! municipality 10; the school lead school s11; the curator municipality 10 and an assignment to s11.

use crate::common::{
    curator, m10, m20, municipal, observer, r1, r2, regional, reviewer, s11, s12, s21, s31,
    school_lead,
};
use orientir_domain::access::{Action, Place, Principal, Resource, allows};

use Resource::{
    Audit, Checkpoint, Comment, Curation, Evidence, Identification, Overview, Progress, RoadMap,
    Users,
};

/// The columns of every row.
fn places() -> [(&'static str, Place); 8] {
    [
        ("s11", s11()),
        ("s12", s12()),
        ("s21", s21()),
        ("m10", m10()),
        ("m20", m20()),
        ("r1", r1()),
        ("s31", s31()),
        ("r2", r2()),
    ]
}

type Row = (Resource, [&'static str; 8]);

#[rustfmt::skip]
const REGIONAL: &[Row] = &[
    //                s11     s12     s21     m10     m20     r1      s31  r2
    (Overview,       ["RWVA", "RWVA", "RWVA", "RWVA", "RWVA", "RWVA", "-", "-"]),
    (RoadMap,        ["RWVA", "RWVA", "RWVA", "RWVA", "RWVA", "RWVA", "-", "-"]),
    (Progress,       ["RWVA", "RWVA", "RWVA", "RWVA", "RWVA", "RWVA", "-", "-"]),
    (Evidence,       ["RWVA", "RWVA", "RWVA", "RWVA", "RWVA", "RWVA", "-", "-"]),
    (Comment,        ["RWVA", "RWVA", "RWVA", "RWVA", "RWVA", "RWVA", "-", "-"]),
    (Curation,       ["RWVA", "RWVA", "RWVA", "RWVA", "RWVA", "RWVA", "-", "-"]),
    (Checkpoint,     ["RWVA", "RWVA", "RWVA", "RWVA", "RWVA", "RWVA", "-", "-"]),
    (Identification, ["RWVA", "RWVA", "RWVA", "RWVA", "RWVA", "RWVA", "-", "-"]),
    (Users,          ["RWVA", "RWVA", "RWVA", "RWVA", "RWVA", "RWVA", "-", "-"]),
    (Audit,          ["RWVA", "RWVA", "RWVA", "RWVA", "RWVA", "RWVA", "-", "-"]),
];

#[rustfmt::skip]
const MUNICIPAL: &[Row] = &[
    //                s11     s12     s21  m10     m20  r1   s31  r2
    (Overview,       ["RWVA", "RWVA", "-", "RWVA", "-", "-", "-", "-"]),
    (RoadMap,        ["RWVA", "RWVA", "-", "RWVA", "-", "R", "-", "-"]),
    (Progress,       ["RWVA", "RWVA", "-", "RWVA", "-", "-", "-", "-"]),
    (Evidence,       ["RWVA", "RWVA", "-", "RWVA", "-", "-", "-", "-"]),
    (Comment,        ["RWVA", "RWVA", "-", "RWVA", "-", "-", "-", "-"]),
    (Curation,       ["RWVA", "RWVA", "-", "RWVA", "-", "-", "-", "-"]),
    (Checkpoint,     ["RWVA", "RWVA", "-", "RWVA", "-", "-", "-", "-"]),
    (Identification, ["R",    "R",    "-", "R",    "-", "-", "-", "-"]),
    (Users,          ["-",    "-",    "-", "-",    "-", "-", "-", "-"]),
    (Audit,          ["R",    "R",    "-", "R",    "-", "-", "-", "-"]),
];

#[rustfmt::skip]
const CURATOR: &[Row] = &[
    //                s11    s12  s21  m10  m20  r1   s31  r2
    (Overview,       ["R",   "-", "-", "-", "-", "-", "-", "-"]),
    (RoadMap,        ["RW",  "-", "-", "R", "-", "R", "-", "-"]),
    (Progress,       ["RWV", "-", "-", "-", "-", "-", "-", "-"]),
    (Evidence,       ["RW",  "-", "-", "-", "-", "-", "-", "-"]),
    (Comment,        ["RW",  "-", "-", "-", "-", "-", "-", "-"]),
    (Curation,       ["RW",  "-", "-", "-", "-", "-", "-", "-"]),
    (Checkpoint,     ["R",   "-", "-", "-", "-", "-", "-", "-"]),
    (Identification, ["R",   "-", "-", "-", "-", "-", "-", "-"]),
    (Users,          ["-",   "-", "-", "-", "-", "-", "-", "-"]),
    (Audit,          ["R",   "-", "-", "-", "-", "-", "-", "-"]),
];

#[rustfmt::skip]
const SCHOOL_LEAD: &[Row] = &[
    //                s11   s12  s21  m10  m20  r1   s31  r2
    (Overview,       ["R",  "-", "-", "-", "-", "-", "-", "-"]),
    (RoadMap,        ["RW", "-", "-", "R", "-", "R", "-", "-"]),
    (Progress,       ["RW", "-", "-", "-", "-", "-", "-", "-"]),
    (Evidence,       ["RW", "-", "-", "-", "-", "-", "-", "-"]),
    (Comment,        ["RW", "-", "-", "-", "-", "-", "-", "-"]),
    (Curation,       ["R",  "-", "-", "-", "-", "-", "-", "-"]),
    (Checkpoint,     ["R",  "-", "-", "-", "-", "-", "-", "-"]),
    (Identification, ["R",  "-", "-", "-", "-", "-", "-", "-"]),
    (Users,          ["-",  "-", "-", "-", "-", "-", "-", "-"]),
    (Audit,          ["R",  "-", "-", "-", "-", "-", "-", "-"]),
];

#[rustfmt::skip]
const REVIEWER: &[Row] = &[
    //                s11   s12   s21  m10   m20  r1   s31  r2
    (Overview,       ["R",  "R",  "-", "R",  "-", "-", "-", "-"]),
    (RoadMap,        ["R",  "R",  "-", "R",  "-", "R", "-", "-"]),
    (Progress,       ["R",  "R",  "-", "R",  "-", "-", "-", "-"]),
    (Evidence,       ["R",  "R",  "-", "R",  "-", "-", "-", "-"]),
    (Comment,        ["RW", "RW", "-", "RW", "-", "-", "-", "-"]),
    (Curation,       ["-",  "-",  "-", "-",  "-", "-", "-", "-"]),
    (Checkpoint,     ["R",  "R",  "-", "R",  "-", "-", "-", "-"]),
    (Identification, ["-",  "-",  "-", "-",  "-", "-", "-", "-"]),
    (Users,          ["-",  "-",  "-", "-",  "-", "-", "-", "-"]),
    (Audit,          ["-",  "-",  "-", "-",  "-", "-", "-", "-"]),
];

#[rustfmt::skip]
const OBSERVER: &[Row] = &[
    //                s11  s12  s21  m10  m20  r1   s31  r2
    (Overview,       ["R", "R", "-", "R", "-", "-", "-", "-"]),
    (RoadMap,        ["R", "R", "-", "R", "-", "R", "-", "-"]),
    (Progress,       ["R", "R", "-", "R", "-", "-", "-", "-"]),
    (Evidence,       ["R", "R", "-", "R", "-", "-", "-", "-"]),
    (Comment,        ["R", "R", "-", "R", "-", "-", "-", "-"]),
    (Curation,       ["R", "R", "-", "R", "-", "-", "-", "-"]),
    (Checkpoint,     ["R", "R", "-", "R", "-", "-", "-", "-"]),
    (Identification, ["R", "R", "-", "R", "-", "-", "-", "-"]),
    (Users,          ["-", "-", "-", "-", "-", "-", "-", "-"]),
    (Audit,          ["-", "-", "-", "-", "-", "-", "-", "-"]),
];

fn letter(action: Action) -> char {
    match action {
        Action::Read => 'R',
        Action::Write => 'W',
        Action::Review => 'V',
        Action::Approve => 'A',
    }
}

/// Checks every cell of `rows` (all resources, all places, all actions) and returns the mismatches.
fn mismatches(who: &str, principal: &Principal, rows: &[Row]) -> Vec<String> {
    let resources: Vec<Resource> = rows.iter().map(|(resource, _)| *resource).collect();
    assert_eq!(
        resources,
        Resource::ALL,
        "{who}: one row per resource, in order"
    );
    let mut wrong = Vec::new();
    for (resource, cells) in rows {
        for ((name, place), cell) in places().iter().zip(cells) {
            for action in Action::ALL {
                let expected = cell.contains(letter(action));
                if allows(principal, action, *resource, place) != expected {
                    wrong.push(format!(
                        "{who}: {action:?} {resource:?} at {name}: expected {expected}"
                    ));
                }
            }
        }
    }
    wrong
}

#[test]
fn every_role_matches_its_row_of_the_matrix() {
    let mut wrong = Vec::new();
    wrong.extend(mismatches("regional", &regional(), REGIONAL));
    wrong.extend(mismatches("municipal", &municipal(), MUNICIPAL));
    wrong.extend(mismatches("curator", &curator(), CURATOR));
    wrong.extend(mismatches("school lead", &school_lead(), SCHOOL_LEAD));
    wrong.extend(mismatches("reviewer", &reviewer(), REVIEWER));
    wrong.extend(mismatches("observer", &observer(), OBSERVER));
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_matrix_has_both_allowed_and_denied_cells_for_every_role() {
    for (who, rows) in [
        ("regional", REGIONAL),
        ("municipal", MUNICIPAL),
        ("curator", CURATOR),
        ("school lead", SCHOOL_LEAD),
        ("reviewer", REVIEWER),
        ("observer", OBSERVER),
    ] {
        let cells: Vec<&str> = rows
            .iter()
            .flat_map(|(_, cells)| cells.iter().copied())
            .collect();
        assert!(
            cells.iter().any(|cell| *cell != "-"),
            "{who}: something allowed"
        );
        assert!(cells.contains(&"-"), "{who}: something denied");
    }
}
