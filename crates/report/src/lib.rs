//! DOCX/XLSX writers (and later PDF, SVG charts). Pure functions from domain values to bytes;
//! no database, no HTTP.
//!
//! - [`road_map_docx`]: a road map as the appendix to an order (landscape A4, «УТВЕРЖДЕНА …»
//!   block, title, lists, one table whose header repeats on every page).
//! - [`road_map_xlsx`]: a road map as a flat sheet, one row per activity, for filtering.
//!
//! Texts are written as the road map holds them (numbers, periods, «ё», quotes, non-breaking
//! spaces); only characters XML cannot hold are dropped.

mod columns;
mod docx;
mod error;
mod tables;
mod xlsx;

use chrono::NaiveDate;
use orientir_domain::roadmap::Order;

pub use docx::road_map_docx;
pub use error::ReportError;
pub use tables::{SheetTable, tables_xlsx};
pub use xlsx::road_map_xlsx;

/// What the «УТВЕРЖДЕНА приказом … от … № …» block says. Every field set here overrides the
/// road map's own order (`RoadMap::order`); a field known to neither is left out of the block.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Approval {
    /// The body issuing the order, as it should read after «приказом» (e.g. in the genitive:
    /// «управления образования администрации района»).
    pub issuer: Option<String>,
    /// The order's number, with or without the sign «№».
    pub number: Option<String>,
    pub date: Option<NaiveDate>,
}

impl Approval {
    /// This approval with the gaps filled from `order`.
    pub(crate) fn or_order(&self, order: Option<&Order>) -> Approval {
        let pick = |own: &Option<String>, theirs: Option<&String>| {
            own.as_deref()
                .or(theirs.map(String::as_str))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        Approval {
            issuer: pick(&self.issuer, order.and_then(|o| o.issuer.as_ref())),
            number: pick(&self.number, order.and_then(|o| o.number.as_ref())),
            date: self.date.or(order.and_then(|o| o.date)),
        }
    }

    /// The lines of the block; empty when nothing is known.
    pub(crate) fn lines(&self) -> Vec<String> {
        if self.issuer.is_none() && self.number.is_none() && self.date.is_none() {
            return Vec::new();
        }
        let mut order = vec!["приказом".to_string()];
        order.extend(self.issuer.clone());
        let mut details = Vec::new();
        if let Some(date) = self.date {
            details.push(format!("от {}", date.format("%d.%m.%Y")));
        }
        if let Some(number) = &self.number {
            let bare = number.trim_start_matches(['№', ' ', '\u{a0}']).trim();
            let bare = if bare.is_empty() { number.trim() } else { bare };
            details.push(format!("№\u{a0}{bare}"));
        }
        let mut lines = vec!["УТВЕРЖДЕНА".to_string()];
        if self.issuer.is_some() {
            lines.push(order.join(" "));
            if !details.is_empty() {
                lines.push(details.join(" "));
            }
        } else {
            order.extend(details);
            lines.push(order.join(" "));
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn approval_lines() {
        let order = Order {
            issuer: Some("управления образования".into()),
            number: Some("№ 01-04-181".into()),
            date: NaiveDate::from_ymd_opt(2022, 7, 1),
            ..Order::default()
        };
        assert_eq!(
            Approval::default().or_order(Some(&order)).lines(),
            vec![
                "УТВЕРЖДЕНА",
                "приказом управления образования",
                "от 01.07.2022 №\u{a0}01-04-181"
            ]
        );
        let own = Approval {
            number: Some("83".into()),
            ..Approval::default()
        };
        assert_eq!(
            own.or_order(None).lines(),
            vec!["УТВЕРЖДЕНА", "приказом №\u{a0}83"]
        );
        assert!(Approval::default().or_order(None).lines().is_empty());
    }
}
