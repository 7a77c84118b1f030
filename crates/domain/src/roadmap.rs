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

/// A school road map made from a municipal one: the chosen activities (by section and position),
/// in their sections and order, with the school's own people as responsible. Sections left with
/// no activity are dropped; numbering, periods and results are kept as the municipality wrote them.
pub fn derive_school_road_map(
    municipal: &RoadMap,
    school_name: &str,
    picks: &[(usize, usize)],
    school_people: &[String],
) -> RoadMap {
    let sections = municipal
        .sections
        .iter()
        .enumerate()
        .filter_map(|(s, section)| {
            let activities: Vec<Activity> = section
                .activities
                .iter()
                .enumerate()
                .filter(|(a, _)| picks.contains(&(s, *a)))
                .map(|(_, activity)| Activity {
                    responsible: if school_people.is_empty() {
                        activity.responsible.clone()
                    } else {
                        school_people.to_vec()
                    },
                    ..activity.clone()
                })
                .collect();
            (!activities.is_empty()).then(|| Section {
                activities,
                ..section.clone()
            })
        })
        .collect();
    RoadMap {
        title: format!(
            "Дорожная карта {school_name} (на основе муниципальной: {})",
            municipal.title
        ),
        level: Level::School,
        owner: Some(school_name.to_owned()),
        order: None,
        period: municipal.period,
        goals: municipal.goals.clone(),
        tasks: municipal.tasks.clone(),
        expected_results: municipal.expected_results.clone(),
        sections,
    }
}

#[cfg(test)]
mod derive_tests {
    use super::*;

    fn activity(title: &str, responsible: &[&str]) -> Activity {
        Activity {
            number: None,
            title: title.to_owned(),
            period: None,
            responsible: responsible.iter().map(|r| (*r).to_owned()).collect(),
            output: Some("Справка".to_owned()),
            indicator: None,
            publicity: None,
            external_help: None,
        }
    }

    fn municipal() -> RoadMap {
        RoadMap {
            title: "Муниципальная карта".to_owned(),
            level: Level::Municipal,
            owner: None,
            order: None,
            period: None,
            goals: vec!["Цель".to_owned()],
            tasks: vec![],
            expected_results: vec![],
            sections: vec![
                Section {
                    title: "Раздел 1".to_owned(),
                    tasks: vec![],
                    planned_results: vec![],
                    activities: vec![activity("А", &["МОУО"]), activity("Б", &["МОУО"])],
                },
                Section {
                    title: "Раздел 2".to_owned(),
                    tasks: vec![],
                    planned_results: vec![],
                    activities: vec![activity("В", &["Тьюторы"])],
                },
            ],
        }
    }

    #[test]
    fn chosen_activities_keep_their_sections_and_get_the_schools_people() {
        let people = vec!["Родная И.В.".to_owned()];
        let school =
            derive_school_road_map(&municipal(), "МКОУ «Ёлкинская СОШ»", &[(0, 1)], &people);
        assert_eq!(school.level, Level::School);
        assert_eq!(
            school.sections.len(),
            1,
            "a section with nothing chosen is dropped"
        );
        assert_eq!(school.sections[0].title, "Раздел 1");
        assert_eq!(school.sections[0].activities[0].title, "Б");
        assert_eq!(school.sections[0].activities[0].responsible, people);
        assert_eq!(
            school.sections[0].activities[0].output.as_deref(),
            Some("Справка")
        );
        assert!(school.title.contains("МКОУ «Ёлкинская СОШ»"));
        assert_eq!(school.goals, ["Цель"]);
    }

    #[test]
    fn without_school_people_the_municipal_responsible_stay() {
        let school = derive_school_road_map(&municipal(), "Школа", &[(1, 0)], &[]);
        assert_eq!(school.sections[0].activities[0].responsible, ["Тьюторы"]);
    }
}
