//! Road maps as stored: rows and their assembly back into the domain's `RoadMap`.
//! Lists, periods and the order are kept as JSON text, identical on both backends.

use chrono::{DateTime, NaiveDate, Utc};
use orientir_domain::period::{Period, Window};
use orientir_domain::registry::{SchoolId, Scope};
use orientir_domain::roadmap::{Activity, Level, Order, RoadMap, Section};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::StoreError;

/// The owner of a road map as the three nullable columns, exactly one set.
pub struct OwnerColumns<'a> {
    pub region_id: Option<i64>,
    pub municipality_id: Option<i64>,
    pub school_id: Option<&'a str>,
}

impl OwnerColumns<'_> {
    /// «муниципалитет 3» — for messages.
    pub fn describe(&self) -> String {
        match (self.region_id, self.municipality_id, self.school_id) {
            (Some(id), _, _) => format!("регион {id}"),
            (_, Some(id), _) => format!("муниципалитет {id}"),
            (_, _, Some(id)) => format!("школа {id}"),
            _ => "владелец не указан".to_owned(),
        }
    }
}

impl<'a> From<&'a Scope> for OwnerColumns<'a> {
    fn from(scope: &'a Scope) -> Self {
        match scope {
            Scope::Region(id) => Self {
                region_id: Some(*id),
                municipality_id: None,
                school_id: None,
            },
            Scope::Municipality(id) => Self {
                region_id: None,
                municipality_id: Some(*id),
                school_id: None,
            },
            Scope::School(id) => Self {
                region_id: None,
                municipality_id: None,
                school_id: Some(id.as_str()),
            },
        }
    }
}

/// Which road map and version a save produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoadMapRef {
    pub id: i64,
    pub version: i64,
}

/// Draft (editable) or approved (frozen) version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionState {
    Draft,
    Approved,
}

pub fn parse_state(code: &str) -> Result<VersionState, StoreError> {
    VersionState::parse(code)
}

impl VersionState {
    fn parse(code: &str) -> Result<Self, StoreError> {
        match code {
            "draft" => Ok(Self::Draft),
            "approved" => Ok(Self::Approved),
            other => Err(StoreError::Corrupt(format!("состояние версии «{other}»"))),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "черновик",
            Self::Approved => "утверждена",
        }
    }
}

/// A road map in an owner's list: its latest version.
#[derive(Debug, Clone, PartialEq)]
pub struct RoadMapSummary {
    pub id: i64,
    pub level: Level,
    pub version: i64,
    pub state: VersionState,
    pub title: String,
    pub activities: i64,
}

/// One stored version of a road map, whole.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRoadMap {
    pub id: i64,
    pub owner: Scope,
    pub version: i64,
    pub state: VersionState,
    pub source_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub map: RoadMap,
    /// The stable key of each activity, section by section, parallel to `map.sections`: an
    /// activity keeps its key across versions, so execution records follow it.
    pub activity_keys: Vec<Vec<i64>>,
}

impl StoredRoadMap {
    /// The key of the activity at (section, index), as shown.
    pub fn activity_key(&self, section: usize, index: usize) -> Option<i64> {
        self.activity_keys.get(section)?.get(index).copied()
    }

    /// Where the activity with a key stands: (section, index).
    pub fn position_of(&self, key: i64) -> Option<(usize, usize)> {
        self.activity_keys
            .iter()
            .enumerate()
            .find_map(|(s, keys)| keys.iter().position(|k| *k == key).map(|i| (s, i)))
    }
}

pub fn level_code(level: Level) -> &'static str {
    match level {
        Level::Regional => "regional",
        Level::Municipal => "municipal",
        Level::School => "school",
    }
}

fn parse_level(code: &str) -> Result<Level, StoreError> {
    match code {
        "regional" => Ok(Level::Regional),
        "municipal" => Ok(Level::Municipal),
        "school" => Ok(Level::School),
        other => Err(StoreError::Corrupt(format!(
            "уровень дорожной карты «{other}»"
        ))),
    }
}

pub fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(format!("JSON: {e}")))
}

fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("JSON «{text}»: {e}")))
}

#[derive(Debug, sqlx::FromRow)]
pub struct RawRoadMapSummary {
    pub id: i64,
    pub level: String,
    pub version: i64,
    pub state: String,
    pub title: String,
    pub activities: i64,
}

impl TryFrom<RawRoadMapSummary> for RoadMapSummary {
    type Error = StoreError;

    fn try_from(raw: RawRoadMapSummary) -> Result<Self, StoreError> {
        Ok(Self {
            id: raw.id,
            level: parse_level(&raw.level)?,
            version: raw.version,
            state: VersionState::parse(&raw.state)?,
            title: raw.title,
            activities: raw.activities,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub struct RawRoadMapVersion {
    pub version_id: i64,
    pub id: i64,
    pub level: String,
    pub region_id: Option<i64>,
    pub municipality_id: Option<i64>,
    pub school_id: Option<String>,
    pub version: i64,
    pub state: String,
    pub title: String,
    pub owner_text: Option<String>,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    pub order_json: Option<String>,
    pub goals: String,
    pub tasks: String,
    pub expected_results: String,
    pub source_name: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, sqlx::FromRow)]
pub struct RawSection {
    pub id: i64,
    pub title: String,
    pub tasks: String,
    pub planned_results: String,
}

#[derive(Debug, sqlx::FromRow)]
pub struct RawActivity {
    pub section_id: i64,
    pub activity_key: i64,
    pub number: Option<String>,
    pub title: String,
    pub period_json: Option<String>,
    pub responsible: String,
    pub output: Option<String>,
    pub indicator: Option<String>,
    pub publicity: Option<String>,
    pub external_help: Option<String>,
}

/// Puts a version, its sections (in order) and activities (in order) back together.
pub fn assemble(
    raw: RawRoadMapVersion,
    sections: Vec<RawSection>,
    activities: Vec<RawActivity>,
) -> Result<StoredRoadMap, StoreError> {
    let owner = match (raw.region_id, raw.municipality_id, raw.school_id.as_deref()) {
        (Some(id), _, _) => Scope::Region(id),
        (_, Some(id), _) => Scope::Municipality(id),
        (_, _, Some(id)) => Scope::School(
            SchoolId::parse(id).map_err(|_| StoreError::Corrupt(format!("код школы «{id}»")))?,
        ),
        _ => {
            return Err(StoreError::Corrupt(
                "дорожная карта без владельца".to_owned(),
            ));
        }
    };
    let mut activities = activities.into_iter().peekable();
    let mut assembled = Vec::with_capacity(sections.len());
    let mut activity_keys = Vec::with_capacity(sections.len());
    for section in sections {
        let mut own = Vec::new();
        let mut keys = Vec::new();
        while let Some(activity) = activities.next_if(|a| a.section_id == section.id) {
            keys.push(activity.activity_key);
            own.push(Activity {
                number: activity.number,
                title: activity.title,
                period: activity
                    .period_json
                    .as_deref()
                    .map(from_json::<Period>)
                    .transpose()?,
                responsible: from_json(&activity.responsible)?,
                output: activity.output,
                indicator: activity.indicator,
                publicity: activity.publicity,
                external_help: activity.external_help,
            });
        }
        activity_keys.push(keys);
        assembled.push(Section {
            title: section.title,
            tasks: from_json(&section.tasks)?,
            planned_results: from_json(&section.planned_results)?,
            activities: own,
        });
    }
    let period = match (raw.period_from, raw.period_to) {
        (Some(from), Some(to)) => Window::new(from, to),
        _ => None,
    };
    Ok(StoredRoadMap {
        id: raw.id,
        owner,
        version: raw.version,
        state: VersionState::parse(&raw.state)?,
        source_name: raw.source_name,
        created_at: raw.created_at,
        map: RoadMap {
            title: raw.title,
            level: parse_level(&raw.level)?,
            owner: raw.owner_text,
            order: raw
                .order_json
                .as_deref()
                .map(from_json::<Order>)
                .transpose()?,
            period,
            goals: from_json(&raw.goals)?,
            tasks: from_json(&raw.tasks)?,
            expected_results: from_json(&raw.expected_results)?,
            sections: assembled,
        },
        activity_keys,
    })
}

/// A change to the activities of a road map's latest version. Positions count from 0 in the order
/// shown. An approved version is never changed: the edit goes into a new draft copied from it.
#[derive(Debug, Clone, PartialEq)]
pub enum ActivityEdit {
    Update {
        section: usize,
        index: usize,
        activity: Activity,
    },
    Add {
        section: usize,
        activity: Activity,
    },
    Delete {
        section: usize,
        index: usize,
    },
    Move {
        section: usize,
        index: usize,
        up: bool,
    },
}

impl ActivityEdit {
    pub fn section(&self) -> usize {
        match self {
            Self::Update { section, .. }
            | Self::Add { section, .. }
            | Self::Delete { section, .. }
            | Self::Move { section, .. } => *section,
        }
    }
}
