//! The columns of the road-map table in the DOCX appendix.

use orientir_domain::roadmap::{Activity, RoadMap};

/// One column of the activity table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Column {
    Number,
    Title,
    Period,
    Responsible,
    Output,
    Indicator,
    Publicity,
    ExternalHelp,
}

impl Column {
    /// The header cell's text.
    pub fn header(self) -> &'static str {
        match self {
            Column::Number => "№ п/п",
            Column::Title => "Мероприятие",
            Column::Period => "Сроки",
            Column::Responsible => "Ответственные",
            Column::Output => "Результат (итоговый документ)",
            Column::Indicator => "Показатель",
            Column::Publicity => "Информационное сопровождение",
            Column::ExternalHelp => "Внешняя помощь",
        }
    }

    /// Centred columns (short values); the others are left-aligned.
    pub fn centred(self) -> bool {
        matches!(self, Column::Number | Column::Period)
    }

    /// The cell's lines for `activity`; empty when the activity has no value.
    pub fn lines(self, activity: &Activity) -> Vec<String> {
        let one = |text: Option<&String>| text.map(|t| vec![t.clone()]).unwrap_or_default();
        match self {
            Column::Number => one(activity.number.as_ref()),
            Column::Title => vec![activity.title.clone()],
            Column::Period => one(activity.period.as_ref().map(|p| &p.text)),
            Column::Responsible => activity.responsible.clone(),
            Column::Output => one(activity.output.as_ref()),
            Column::Indicator => one(activity.indicator.as_ref()),
            Column::Publicity => one(activity.publicity.as_ref()),
            Column::ExternalHelp => one(activity.external_help.as_ref()),
        }
    }

    /// The columns of `map`'s table: the six standard ones, plus «Информационное
    /// сопровождение» and «Внешняя помощь» when any activity fills them.
    pub fn for_map(map: &RoadMap) -> Vec<Column> {
        let filled = |get: fn(&Activity) -> Option<&String>| {
            map.activities()
                .any(|a| get(a).is_some_and(|t| !t.trim().is_empty()))
        };
        let mut columns = vec![
            Column::Number,
            Column::Title,
            Column::Period,
            Column::Responsible,
            Column::Output,
            Column::Indicator,
        ];
        if filled(|a| a.publicity.as_ref()) {
            columns.push(Column::Publicity);
        }
        if filled(|a| a.external_help.as_ref()) {
            columns.push(Column::ExternalHelp);
        }
        columns
    }
}
