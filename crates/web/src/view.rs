//! Small view values shared by the pages: options of a select, status badges, links with queries.

use orientir_domain::registry::{SchoolYear, StatusKind};

/// One `<option>` of a filter.
pub struct SelectOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl SelectOption {
    pub fn new(value: impl Into<String>, label: impl Into<String>, selected: bool) -> Self {
        Self {
            value: value.into(),
            label: label.into(),
            selected,
        }
    }
}

/// The years a user can pick, latest first.
pub fn year_options(years: &[SchoolYear], chosen: Option<SchoolYear>) -> Vec<SelectOption> {
    years
        .iter()
        .map(|&y| {
            SelectOption::new(
                y.start_year().to_string(),
                format!("{} учебный год", y.label()),
                Some(y) == chosen,
            )
        })
        .collect()
}

/// A status shown as a coloured label; the full wording is in `title` for those who hover.
pub struct Badge {
    pub code: &'static str,
    pub label: &'static str,
    pub title: &'static str,
}

impl From<StatusKind> for Badge {
    fn from(status: StatusKind) -> Self {
        Self {
            code: status.code(),
            label: status.label(),
            title: status.description(),
        }
    }
}

/// A road map in an owner's list.
pub struct RoadMapLink {
    pub title: String,
    pub href: String,
    pub meta: String,
}

impl From<orientir_store::RoadMapSummary> for RoadMapLink {
    fn from(summary: orientir_store::RoadMapSummary) -> Self {
        Self {
            href: format!("/road-maps/{}", summary.id),
            meta: format!(
                "версия {}, {}; мероприятий: {}",
                summary.version,
                summary.state.label(),
                summary.activities
            ),
            title: summary.title,
        }
    }
}

/// `path?query` from pairs, skipping empty values; values are URL-encoded.
pub fn href(path: &str, pairs: &[(&str, Option<String>)]) -> String {
    let present: Vec<(&str, &str)> = pairs
        .iter()
        .filter_map(|(k, v)| v.as_deref().filter(|v| !v.is_empty()).map(|v| (*k, v)))
        .collect();
    match serde_urlencoded::to_string(&present) {
        Ok(query) if !query.is_empty() => format!("{path}?{query}"),
        _ => path.to_owned(),
    }
}

/// A share 0..1 as «23 %», or «нет данных».
pub fn percent(share: Option<f64>) -> String {
    match share {
        Some(v) => format!("{}\u{a0}%", (v * 100.0).round()),
        None => "нет данных".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn href_encodes_and_skips_empty() {
        assert_eq!(
            href(
                "/m/1",
                &[
                    ("kind", Some("СОШ".into())),
                    ("status", None),
                    ("year", Some(String::new()))
                ]
            ),
            "/m/1?kind=%D0%A1%D0%9E%D0%A8"
        );
        assert_eq!(href("/m/1", &[]), "/m/1");
    }

    #[test]
    fn percent_is_rounded() {
        assert_eq!(percent(Some(0.234)), "23\u{a0}%");
        assert_eq!(percent(None), "нет данных");
    }
}
