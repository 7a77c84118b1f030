//! Builders shared by the tests.

use orientir_domain::identify::{
    Cell, Decision, Identification, Procedure, Reason, RuleConfig, SchoolContext, identify,
};

pub const Y: i32 = 2024;

pub fn cell(
    school: &str,
    year: i32,
    procedure: Procedure,
    subject: &str,
    grade: u8,
    participants: u32,
    failed: u32,
) -> Cell {
    Cell {
        school_id: school.to_string(),
        year,
        procedure,
        subject: subject.to_string(),
        grade,
        participants,
        failed,
    }
}

/// ВПР, русский язык, 5 класс.
pub fn vpr(school: &str, year: i32, participants: u32, failed: u32) -> Cell {
    cell(school, year, Procedure::Vpr, "ru", 5, participants, failed)
}

/// ОГЭ, математика, 9 класс.
pub fn oge(school: &str, year: i32, participants: u32, failed: u32) -> Cell {
    cell(
        school,
        year,
        Procedure::Oge,
        "math",
        9,
        participants,
        failed,
    )
}

/// ЕГЭ, русский язык, 11 класс.
pub fn ege(school: &str, year: i32, participants: u32, failed: u32) -> Cell {
    cell(school, year, Procedure::Ege, "ru", 11, participants, failed)
}

pub fn school(id: &str) -> SchoolContext {
    SchoolContext {
        school_id: id.to_string(),
        social: [Some(0.1); 6],
    }
}

pub fn schools(ids: &[&str]) -> Vec<SchoolContext> {
    ids.iter().map(|id| school(id)).collect()
}

pub fn run(cells: &[Cell], ids: &[&str], rule: &RuleConfig) -> Identification {
    identify(cells, &schools(ids), Y, rule)
}

pub fn ids(decisions: &[Decision]) -> Vec<&str> {
    decisions.iter().map(|d| d.school_id.as_str()).collect()
}

pub fn with_reasons(decisions: &[Decision]) -> Vec<(&str, Reason)> {
    decisions
        .iter()
        .map(|d| (d.school_id.as_str(), d.reason))
        .collect()
}
