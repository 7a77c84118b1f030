//! Execution of many schools at once, from one `ExecutionData` read: every school's occurrences
//! and its figures (due by today, filled, overdue, waiting for review).

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use orientir_domain::monitoring::{ActivityStatus, DueItem, Filling, filling};
use orientir_domain::period::{Period, Window};
use orientir_store::monitoring::ExecutionData;

use crate::pages::execution::model::{ActivityFacts, Occurrence, Recorded, expand};

/// One school and its occurrences over all its road maps.
pub struct SchoolProgress {
    pub school_id: String,
    pub school_name: String,
    pub municipality_id: i64,
    pub municipality_name: String,
    pub occurrences: Vec<Occurrence>,
}

impl SchoolProgress {
    /// Filling at a date: due by then and done/accepted with evidence, over all due by then.
    pub fn filling_at(&self, date: NaiveDate) -> Filling {
        let items: Vec<DueItem> = self
            .occurrences
            .iter()
            .filter_map(|o| {
                Some(DueItem {
                    due: o.due?,
                    status: o.status,
                    has_evidence: o.evidence > 0,
                })
            })
            .collect();
        filling(&items, date)
    }

    pub fn overdue(&self) -> usize {
        self.occurrences.iter().filter(|o| o.overdue).count()
    }

    pub fn awaiting_review(&self) -> usize {
        self.occurrences
            .iter()
            .filter(|o| o.status == ActivityStatus::Done)
            .count()
    }

    /// Occurrences due within `days` from `today` (today included) and not yet completed.
    pub fn upcoming(&self, today: NaiveDate, days: i64) -> impl Iterator<Item = &Occurrence> {
        let until = today + Duration::days(days);
        self.occurrences.iter().filter(move |o| {
            !o.status.is_completed() && o.due.is_some_and(|d| d >= today && d <= until)
        })
    }
}

/// Groups the data by school (in the store's order: municipality, then school name).
pub fn by_school(data: &ExecutionData, today: NaiveDate) -> Vec<SchoolProgress> {
    let recorded = Recorded::from_data(data);
    let mut periods: BTreeMap<(i64, i64), Option<Period>> = BTreeMap::new();
    for a in &data.activities {
        let period = a
            .period_json
            .as_deref()
            .and_then(|json| serde_json::from_str::<Period>(json).ok());
        periods.insert((a.road_map_id, a.activity_key), period);
    }
    let mut schools: Vec<SchoolProgress> = Vec::new();
    for head in &data.road_maps {
        let document = match (head.period_from, head.period_to) {
            (Some(from), Some(to)) => Window::new(from, to),
            _ => None,
        };
        let facts = data
            .activities
            .iter()
            .filter(|a| a.road_map_id == head.road_map_id)
            .map(|a| ActivityFacts {
                key: a.activity_key,
                number: a.number.as_deref(),
                title: &a.title,
                period: periods
                    .get(&(a.road_map_id, a.activity_key))
                    .and_then(Option::as_ref),
                output: a.output.as_deref(),
            });
        let occurrences = expand(head.road_map_id, document, facts, &recorded, today);
        match schools.last_mut() {
            Some(last) if last.school_id == head.school_id => last.occurrences.extend(occurrences),
            _ => schools.push(SchoolProgress {
                school_id: head.school_id.clone(),
                school_name: head.school_name.clone(),
                municipality_id: head.municipality_id,
                municipality_name: head.municipality_name.clone(),
                occurrences,
            }),
        }
    }
    schools
}
