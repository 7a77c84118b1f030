#![allow(dead_code)]

use chrono::NaiveDate;
use orientir_domain::period::{PeriodContext, Window};

pub fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
}

pub fn window(from: &str, to: &str) -> Window {
    Window::new(date(from), date(to)).expect("ordered test window")
}

pub fn document(from: &str, to: &str) -> PeriodContext {
    PeriodContext {
        document: Some(window(from, to)),
        ..PeriodContext::default()
    }
}
