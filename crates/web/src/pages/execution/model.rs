//! The execution state of a road map, derived on read: every activity occurrence with its due
//! date, status, evidence count and overdue mark (never stored). Pages and dashboards share it.

use std::collections::HashMap;

use chrono::NaiveDate;
use orientir_domain::monitoring::{ActivityStatus, due_dates, is_overdue};
use orientir_domain::period::{PeriodContext, PeriodKind};
use orientir_store::{ProgressKey, Store, StoredRoadMap};

use crate::WebError;

/// One activity occurrence as the execution pages show it.
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

/// The road map's latest version and its occurrences in document order.
pub struct Execution {
    pub road_map: StoredRoadMap,
    pub occurrences: Vec<Occurrence>,
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
    let statuses: HashMap<(i64, String), ActivityStatus> = store
        .progress_of(road_map_id)
        .await?
        .into_iter()
        .filter_map(|row| {
            let status = ActivityStatus::parse(&row.status).ok()?;
            Some(((row.activity_key, row.occurrence), status))
        })
        .collect();
    let mut evidence: HashMap<(i64, String), usize> = HashMap::new();
    for row in store.evidence_of(road_map_id).await? {
        *evidence
            .entry((row.activity_key, row.occurrence))
            .or_default() += 1;
    }
    let ctx = PeriodContext {
        document: road_map.map.period,
        ..PeriodContext::default()
    };
    let mut occurrences = Vec::new();
    for (section_index, section) in road_map.map.sections.iter().enumerate() {
        for (index, activity) in section.activities.iter().enumerate() {
            let Some(activity_key) = road_map.activity_key(section_index, index) else {
                continue;
            };
            let dates = due_dates(activity.period.as_ref(), &ctx);
            let recurring = activity
                .period
                .as_ref()
                .is_some_and(|p| p.kind == PeriodKind::Recurring);
            // A recurring activity has a status per date; anything else has one status.
            let slots: Vec<(String, Option<NaiveDate>)> = if recurring && !dates.is_empty() {
                dates.iter().map(|d| (d.to_string(), Some(*d))).collect()
            } else {
                vec![(String::new(), dates.last().copied())]
            };
            for (occurrence, due) in slots {
                let lookup = (activity_key, occurrence.clone());
                let status = statuses
                    .get(&lookup)
                    .copied()
                    .unwrap_or(ActivityStatus::Planned);
                occurrences.push(Occurrence {
                    key: ProgressKey {
                        road_map_id,
                        activity_key,
                        occurrence,
                    },
                    number: activity.number.clone().unwrap_or_default(),
                    title: activity.title.clone(),
                    period_text: activity
                        .period
                        .as_ref()
                        .map(|p| p.text.clone())
                        .unwrap_or_default(),
                    due,
                    status,
                    evidence: evidence.get(&lookup).copied().unwrap_or(0),
                    needs_evidence: activity
                        .output
                        .as_ref()
                        .is_some_and(|o| !o.trim().is_empty()),
                    overdue: due.is_some_and(|d| is_overdue(status, d, today)),
                });
            }
        }
    }
    Ok(Execution {
        road_map,
        occurrences,
    })
}
