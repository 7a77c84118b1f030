#![allow(dead_code)]

use chrono::NaiveDate;
use orientir_domain::monitoring::{ActivityStatus, DueItem};

pub fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
}

pub fn item(due: &str, status: ActivityStatus, has_evidence: bool) -> DueItem {
    DueItem {
        due: date(due),
        status,
        has_evidence,
    }
}
