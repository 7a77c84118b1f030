//! The imported road map, as the interchange JSON of DESIGN.md §4.5.

use crate::period::{Period, Window};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A whole road map: heading, approving order, lists and sections.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoadMap {
    pub title: String,
    pub level: Level,
    pub owner: Option<String>,
    pub order: Option<Order>,
    /// The period the road map covers (school or calendar year).
    pub period: Option<Window>,
    pub goals: Vec<String>,
    pub tasks: Vec<String>,
    pub expected_results: Vec<String>,
    pub sections: Vec<Section>,
}

impl RoadMap {
    /// All activities of all sections, in document order.
    pub fn activities(&self) -> impl Iterator<Item = &Activity> {
        self.sections.iter().flat_map(|s| s.activities.iter())
    }
}

/// Who the road map belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Regional,
    Municipal,
    School,
}

/// The order (приказ) that approves the road map.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Order {
    /// The body issuing the order: the lines above «ПРИКАЗ».
    pub issuer: Option<String>,
    /// As written, with the sign: «№ 01-04-181».
    pub number: Option<String>,
    pub date: Option<NaiveDate>,
    pub place: Option<String>,
    pub signatory: Option<String>,
    /// Items of «ПРИКАЗЫВАЮ:» that make someone responsible.
    pub appointments: Vec<String>,
}

/// A section (раздел, трек, направление) of the road map.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// Empty for activities that come before any section heading.
    pub title: String,
    pub tasks: Vec<String>,
    pub planned_results: Vec<String>,
    pub activities: Vec<Activity>,
}

/// One row of the activity table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    /// The number as written («1», «1.1», «14»).
    pub number: Option<String>,
    pub title: String,
    pub period: Option<Period>,
    pub responsible: Vec<String>,
    pub output: Option<String>,
    pub indicator: Option<String>,
    pub publicity: Option<String>,
    pub external_help: Option<String>,
}

/// What the importer could not place; nothing is dropped silently.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub warnings: Vec<Warning>,
}

/// One problem, at a line of a text file (or, for HTML and DOCX, at the
/// ordinal of the paragraph or table row in the document, counting from 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub line: usize,
    pub message: String,
}

impl ImportReport {
    pub fn warn(&mut self, line: usize, message: impl Into<String>) {
        self.warnings.push(Warning {
            line,
            message: message.into(),
        });
    }
}
