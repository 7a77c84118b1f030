//! Column meaning: which table column holds the number, the activity, its
//! period, the responsible people... decided by the header's words, not by
//! position. Matching ignores case, spacing and punctuation; an exact
//! synonym beats a prefix, which beats a word stem.

use super::document::{Row, Table};
use super::normalize::{is_pure_number, norm};

/// The meaning of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Field {
    Number,
    Title,
    Period,
    Responsible,
    Output,
    Indicator,
    Publicity,
    ExternalHelp,
}

const FIELDS: [Field; 8] = [
    Field::Number,
    Field::Title,
    Field::Period,
    Field::Responsible,
    Field::Output,
    Field::Indicator,
    Field::Publicity,
    Field::ExternalHelp,
];

/// Whole-header synonyms (normalised), from DESIGN.md §6 and real tables.
fn synonyms(field: Field) -> &'static [&'static str] {
    match field {
        Field::Number => &["№", "№ п п", "п п", "n п п", "n", "no", "номер", "nn"],
        Field::Title => &[
            "мероприятия",
            "мероприятие",
            "наименование мероприятия",
            "наименование мероприятий",
            "содержание деятельности",
            "содержание мероприятия",
            "содержание мероприятий",
            "содержание работы",
            "перечень мероприятий",
            "наименование",
            "содержание",
        ],
        Field::Period => &[
            "сроки",
            "срок",
            "сроки реализации",
            "срок реализации",
            "дата реализации",
            "срок исполнения",
            "сроки исполнения",
            "сроки проведения",
            "срок проведения",
            "дата проведения",
            "сроки выполнения",
            "дата",
            "период",
            "период реализации",
        ],
        Field::Responsible => &[
            "ответственный",
            "ответственные",
            "ответственные исполнители",
            "ответственный исполнитель",
            "исполнители",
            "исполнитель",
            "ответственные лица",
            "ответственное лицо",
        ],
        Field::Output => &[
            "итоговый документ",
            "итоговые документы",
            "результат",
            "результаты",
            "планируемые результаты",
            "планируемый результат",
            "ожидаемый результат",
            "ожидаемые результаты",
            "отчетный документ",
            "форма отчетности",
        ],
        Field::Indicator => &[
            "показатель реализации",
            "показатели реализации",
            "муниципальный показатель реализации",
            "показатели",
            "показатель",
            "индикаторы",
            "индикатор",
            "целевой показатель",
        ],
        Field::Publicity => &["информационное сопровождение"],
        Field::ExternalHelp => &["внешняя помощь", "необходимость внешней помощи"],
    }
}

/// Word stems: the weakest evidence, for headers no synonym covers.
fn stems(field: Field) -> &'static [&'static str] {
    match field {
        Field::Number => &["№"],
        Field::Title => &["мероприят", "содержан", "наименован", "задач"],
        Field::Period => &["срок", "дата", "период"],
        Field::Responsible => &["ответствен", "исполнител"],
        Field::Output => &["результат", "документ", "продукт"],
        Field::Indicator => &["показател", "индикатор"],
        Field::Publicity => &["информацион", "освещен"],
        Field::ExternalHelp => &["внешн"],
    }
}

/// How strongly a header cell says `field`; 0 when it does not.
fn score(header: &str, field: Field) -> u32 {
    let mut best = 0;
    // «Задачи» names the activity column only when nothing better does.
    let task_words = ["задачи", "задача"];
    if field == Field::Title && task_words.contains(&header) {
        best = 900;
    }
    for synonym in synonyms(field) {
        let len = synonym.chars().count() as u32;
        if header == *synonym {
            best = best.max(1000);
        } else if header
            .strip_prefix(synonym)
            .is_some_and(|rest| rest.starts_with(' '))
        {
            best = best.max(500 + len);
        } else if contains_words(header, synonym) {
            best = best.max(300 + len);
        }
    }
    for (position, word) in header.split(' ').enumerate() {
        if stems(field).iter().any(|stem| word.starts_with(stem)) {
            let position = u32::try_from(position).unwrap_or(u32::MAX);
            best = best.max(100u32.saturating_sub(position.saturating_mul(10)).max(10));
        }
    }
    best
}

/// `needle` occurs in `haystack` as whole words (both normalised).
fn contains_words(haystack: &str, needle: &str) -> bool {
    haystack.match_indices(needle).any(|(start, _)| {
        let before = haystack
            .get(..start)
            .is_none_or(|b| b.is_empty() || b.ends_with(' '));
        let after = haystack
            .get(start + needle.len()..)
            .is_none_or(|a| a.is_empty() || a.starts_with(' '));
        before && after
    })
}

/// The best meaning of one header cell with its score.
fn classify(cell: &str) -> Option<(Field, u32)> {
    if cell.len() > 400 {
        return None;
    }
    let header = norm(cell);
    if header.is_empty() || header.chars().count() > 80 {
        return None;
    }
    FIELDS
        .iter()
        .map(|f| (*f, score(&header, *f)))
        .filter(|(_, s)| *s > 0)
        .max_by_key(|(_, s)| *s)
}

/// The header of an activity table and what each column means.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ColumnMap {
    /// Index of the header row in the table.
    pub header_row: usize,
    /// Meaning of each column; `None` for columns not understood.
    pub columns: Vec<Option<Field>>,
    /// Header texts of the columns not understood (for warnings).
    pub unknown: Vec<(usize, String)>,
    header_norm: Vec<String>,
    /// The weakest score among the mapped columns.
    weakest: u32,
    /// A cell of the header row is a bare number (a data row, then).
    has_number_cell: bool,
}

impl ColumnMap {
    pub fn column(&self, field: Field) -> Option<usize> {
        self.columns.iter().position(|c| *c == Some(field))
    }

    /// The header repeated after a page break.
    pub fn is_repeated_header(&self, row: &Row) -> bool {
        let matching = self
            .header_norm
            .iter()
            .enumerate()
            .filter(|(i, h)| {
                let cell = row.cell(*i);
                // Only short cells can repeat a header; skip normalising the rest.
                !h.is_empty() && cell.len() <= 2 * h.len() + 16 && norm(cell) == **h
            })
            .count();
        matching >= 2
            || (matching == 1 && self.header_norm.iter().filter(|h| !h.is_empty()).count() == 1)
    }
}

/// Finds the header among the first rows of `table`: the first row naming
/// an activity column and at least one more known column.
pub(crate) fn find_header(table: &Table) -> Option<ColumnMap> {
    table
        .rows
        .iter()
        .take(5)
        .enumerate()
        .find_map(|(index, row)| map_row(table, index, row))
}

/// The column map when row `index` of `table` is, beyond doubt, a header
/// (used inside a table: every column named by a synonym, no numbers).
pub(crate) fn header_at(table: &Table, index: usize) -> Option<ColumnMap> {
    let row = table.rows.get(index)?;
    if row.cells.iter().any(|c| is_pure_number(c)) {
        return None;
    }
    let map = map_row(table, index, row)?;
    let mapped = map.columns.iter().flatten().count();
    (mapped >= 2 && map.weakest >= 300 && map.unknown.len() <= 1 && !map.has_number_cell)
        .then_some(map)
}

fn map_row(table: &Table, index: usize, row: &Row) -> Option<ColumnMap> {
    let classified: Vec<Option<(Field, u32)>> = row.cells.iter().map(|c| classify(c)).collect();
    let title_score = classified
        .iter()
        .flatten()
        .filter(|(f, _)| *f == Field::Title)
        .map(|(_, s)| *s)
        .max()?;
    let others = classified
        .iter()
        .flatten()
        .filter(|(f, s)| *f != Field::Title && *s >= 60)
        .count();
    if others == 0 && title_score < 300 {
        return None;
    }
    // Each field goes to its strongest column; weaker rivals stay unknown.
    let mut columns = vec![None; row.cells.len()];
    for field in FIELDS {
        let best = classified
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.filter(|(f, _)| *f == field).map(|(_, s)| (i, s)))
            .max_by_key(|(i, s)| (*s, std::cmp::Reverse(*i)));
        if let Some((column, _)) = best {
            columns[column] = Some(field);
        }
    }
    if !columns.contains(&Some(Field::Number)) {
        guess_number_column(table, index, &mut columns);
    }
    let unknown = row
        .cells
        .iter()
        .enumerate()
        .filter(|(i, c)| columns[*i].is_none() && !c.trim().is_empty())
        .map(|(i, c)| (i, c.trim().to_string()))
        .collect();
    let weakest = columns
        .iter()
        .zip(&classified)
        .filter_map(|(column, class)| column.and(*class).map(|(_, s)| s))
        .min()
        .unwrap_or(0);
    Some(ColumnMap {
        header_row: index,
        columns,
        unknown,
        header_norm: row.cells.iter().map(|c| norm(c)).collect(),
        weakest,
        has_number_cell: row.cells.iter().any(|c| is_pure_number(c)),
    })
}

/// An unnamed first column whose cells are mostly numbers is the number.
fn guess_number_column(table: &Table, header_row: usize, columns: &mut [Option<Field>]) {
    if columns.first() != Some(&None) {
        return;
    }
    let values: Vec<&str> = table
        .rows
        .iter()
        .skip(header_row + 1)
        .map(|r| r.cell(0).trim())
        .filter(|c| !c.is_empty())
        .collect();
    let numbers = values.iter().filter(|v| is_pure_number(v)).count();
    if !values.is_empty() && numbers * 2 > values.len() {
        columns[0] = Some(Field::Number);
    }
}

/// A row holding only the column ordinals «1 2 3 4 5» under the header.
pub(crate) fn is_numbering_row(row: &Row) -> bool {
    let values: Vec<&str> = row
        .cells
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    values.len() >= 3
        && values
            .iter()
            .enumerate()
            .all(|(i, v)| v.trim_end_matches('.').parse::<usize>().ok() == Some(i + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(headers: &[&str]) -> Vec<Option<Field>> {
        let table = Table {
            rows: vec![Row {
                cells: headers.iter().map(|s| s.to_string()).collect(),
                ..Row::default()
            }],
            line: 1,
        };
        find_header(&table).map(|m| m.columns).unwrap_or_default()
    }

    #[test]
    fn synonyms_from_the_design() {
        use Field::*;
        assert_eq!(
            fields(&[
                "№",
                "Мероприятия",
                "Итоговый документ",
                "Сроки",
                "Ответственный"
            ]),
            vec![
                Some(Number),
                Some(Title),
                Some(Output),
                Some(Period),
                Some(Responsible)
            ]
        );
        assert_eq!(
            fields(&[
                "№ п/п",
                "Задачи",
                "Сроки реализации",
                "Ответственные исполнители",
                "Показатель реализации",
                "Информационное сопровождение проекта"
            ]),
            vec![
                Some(Number),
                Some(Title),
                Some(Period),
                Some(Responsible),
                Some(Indicator),
                Some(Publicity)
            ]
        );
        assert_eq!(
            fields(&[
                "№ п/п",
                "Мероприятия",
                "Дата реализации",
                "Муниципальный показатель реализации"
            ]),
            vec![Some(Number), Some(Title), Some(Period), Some(Indicator)]
        );
        assert_eq!(
            fields(&[
                "СРОК ИСПОЛНЕНИЯ",
                "Наименование мероприятия",
                "Исполнители",
                "Внешняя помощь",
                "Планируемые результаты"
            ]),
            vec![
                Some(Period),
                Some(Title),
                Some(Responsible),
                Some(ExternalHelp),
                Some(Output)
            ]
        );
        assert_eq!(
            fields(&[
                "Содержание деятельности",
                "Ожидаемый результат",
                "Показатели",
                "Срок"
            ]),
            vec![Some(Title), Some(Output), Some(Indicator), Some(Period)]
        );
    }

    #[test]
    fn tasks_lose_to_activities_and_unknown_columns_are_listed() {
        let table = Table {
            rows: vec![Row {
                cells: vec!["Задачи".into(), "Мероприятия".into(), "Примечание".into()],
                ..Row::default()
            }],
            line: 1,
        };
        let map = find_header(&table).expect("header");
        assert_eq!(map.columns, vec![None, Some(Field::Title), None]);
        assert_eq!(
            map.unknown,
            vec![(0, "Задачи".to_string()), (2, "Примечание".to_string())]
        );
    }

    #[test]
    fn data_rows_are_not_headers() {
        assert!(fields(&["1", "Анализ результатов ОГЭ", "Справка", "Июнь"]).is_empty());
        assert!(is_numbering_row(&Row {
            cells: vec!["1".into(), "2".into(), "3".into(), "4".into()],
            ..Row::default()
        }));
    }
}
