//! The execution state of road maps, derived on read: every activity occurrence with its due
//! date, status, evidence count and overdue mark (never stored). The execution pages read one
//! road map; dashboards and checkpoints read many at once through `Store::execution_data`.

use std::collections::HashMap;

use chrono::NaiveDate;
use orientir_domain::monitoring::{ActivityStatus, due_dates, is_overdue};
use orientir_domain::period::{Period, PeriodContext, PeriodKind, Window};
use orientir_store::monitoring::ExecutionData;
use orientir_store::{ProgressKey, Store, StoredRoadMap};

use crate::WebError;

/// One activity occurrence as the execution pages and dashboards show it.
#[derive(Debug, Clone)]
pub struct Occurrence {
    pub key: ProgressKey,
    pub number: String,
    pub title: String,
    pub period_text: String,
    pub due: Option<NaiveDate>,
    pub status: ActivityStatus,
    pub evidence: usize,
    /// The activity names an output document: «выполнено» needs evidence.
    pub needs_evidence: bool,
    pub overdue: bool,
}

/// An activity as the expansion needs it.
pub struct ActivityFacts<'a> {
    pub key: i64,
    pub number: Option<&'a str>,
    pub title: &'a str,
    pub period: Option<&'a Period>,
    pub output: Option<&'a str>,
}

type OccurrenceId = (i64, i64, String);

/// Statuses and evidence counts of road maps, by (road map, activity key, occurrence).
#[derive(Default)]
pub struct Recorded {
    statuses: HashMap<OccurrenceId, ActivityStatus>,
    evidence: HashMap<OccurrenceId, usize>,
}

impl Recorded {
    pub fn from_data(data: &ExecutionData) -> Self {
        let mut recorded = Self::default();
        for row in &data.progress {
            if let Ok(status) = ActivityStatus::parse(&row.status) {
                let id = (row.road_map_id, row.activity_key, row.occurrence.clone());
                recorded.statuses.insert(id, status);
            }
        }
        for row in &data.evidence {
            let id = (row.road_map_id, row.activity_key, row.occurrence.clone());
            recorded
                .evidence
                .insert(id, usize::try_from(row.files).unwrap_or(0));
        }
        recorded
    }
}

/// The occurrences of one road map's activities: a recurring activity has a status per date,
/// anything else one status (due at the end of its period, if it has a date).
pub fn expand<'a>(
    road_map_id: i64,
    document: Option<Window>,
    activities: impl IntoIterator<Item = ActivityFacts<'a>>,
    recorded: &Recorded,
    today: NaiveDate,
) -> Vec<Occurrence> {
    let ctx = PeriodContext {
        document,
        ..PeriodContext::default()
    };
    let mut occurrences = Vec::new();
    for activity in activities {
        let dates = due_dates(activity.period, &ctx);
        let recurring = activity
            .period
            .is_some_and(|p| p.kind == PeriodKind::Recurring);
        let slots: Vec<(String, Option<NaiveDate>)> = if recurring && !dates.is_empty() {
            dates.iter().map(|d| (d.to_string(), Some(*d))).collect()
        } else {
            vec![(String::new(), dates.last().copied())]
        };
        for (occurrence, due) in slots {
            let id = (road_map_id, activity.key, occurrence.clone());
            let status = recorded
                .statuses
                .get(&id)
                .copied()
                .unwrap_or(ActivityStatus::Planned);
            occurrences.push(Occurrence {
                key: ProgressKey {
                    road_map_id,
                    activity_key: activity.key,
                    occurrence,
                },
                number: activity.number.unwrap_or_default().to_owned(),
                title: activity.title.to_owned(),
                period_text: activity.period.map(|p| p.text.clone()).unwrap_or_default(),
                due,
                status,
                evidence: recorded.evidence.get(&id).copied().unwrap_or(0),
                needs_evidence: activity.output.is_some_and(|o| !o.trim().is_empty()),
                overdue: due.is_some_and(|d| is_overdue(status, d, today)),
            });
        }
    }
    occurrences
}

/// The road map's latest version and its occurrences in document order.
pub struct Execution {
    pub road_map: StoredRoadMap,
    pub occurrences: Vec<Occurrence>,
    /// The road map's evidence (counted into the occurrences; listed on the activity page).
    pub evidence: Vec<orientir_store::EvidenceRow>,
}

pub async fn load(
    store: &Store,
    road_map_id: i64,
    today: NaiveDate,
) -> Result<Execution, WebError> {
    let road_map = store.road_map(road_map_id, None).await?.ok_or_else(|| {
        WebError::NotFound(format!(
            "Дорожная карта с номером {road_map_id} не найдена."
        ))
    })?;
    let evidence = store.evidence_of(road_map_id).await?;
    let data = ExecutionData {
        progress: store
            .progress_of(road_map_id)
            .await?
            .into_iter()
            .map(|row| orientir_store::monitoring::ProgressStatusRow {
                road_map_id,
                activity_key: row.activity_key,
                occurrence: row.occurrence,
                status: row.status,
            })
            .collect(),
        evidence: count_evidence(road_map_id, &evidence),
        ..ExecutionData::default()
    };
    let recorded = Recorded::from_data(&data);
    let facts = road_map
        .map
        .sections
        .iter()
        .enumerate()
        .flat_map(|(s, section)| {
            section
                .activities
                .iter()
                .enumerate()
                .map(move |(i, activity)| (s, i, activity))
        })
        .filter_map(|(s, i, activity)| {
            Some(ActivityFacts {
                key: road_map.activity_key(s, i)?,
                number: activity.number.as_deref(),
                title: &activity.title,
                period: activity.period.as_ref(),
                output: activity.output.as_deref(),
            })
        });
    let occurrences = expand(road_map_id, road_map.map.period, facts, &recorded, today);
    Ok(Execution {
        road_map,
        occurrences,
        evidence,
    })
}

fn count_evidence(
    road_map_id: i64,
    rows: &[orientir_store::EvidenceRow],
) -> Vec<orientir_store::monitoring::EvidenceCount> {
    let mut counts: HashMap<(i64, String), i64> = HashMap::new();
    for row in rows {
        *counts
            .entry((row.activity_key, row.occurrence.clone()))
            .or_default() += 1;
    }
    counts
        .into_iter()
        .map(
            |((activity_key, occurrence), files)| orientir_store::monitoring::EvidenceCount {
                road_map_id,
                activity_key,
                occurrence,
                files,
            },
        )
        .collect()
}
