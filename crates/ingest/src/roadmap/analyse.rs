//! The one analysis shared by all sources: intermediate document → road map.
//!
//! 1. Tables: find each table's header and map its columns by meaning.
//! 2. Preamble: everything before the road map's title (or before the first
//!    activity table) holds the order.
//! 3. Body: headings start sections, labels open lists, table rows become
//!    activities, section rows, continuations of broken rows, or warnings.

use orientir_domain::period::{PeriodContext, PeriodKind, parse_period};

use super::document::{Block, Document, Paragraph, Row, Table};
use super::error::ImportError;
use super::header::{ColumnMap, Field, find_header, header_at, is_numbering_row};
use super::normalize::{
    collapse_ws, is_pure_number, join_continuation, norm, starts_lowercase, strip_decoration,
    strip_list_marker,
};
use super::preamble::{Line, detect_level, document_window, is_title, parse_order};
use super::responsible::split_responsible;
use super::sections::{ListKind, has_section_marker, is_section_heading, label};
use orientir_domain::roadmap::{Activity, ImportReport, RoadMap, Section};

pub(crate) fn analyse(doc: &Document) -> Result<(RoadMap, ImportReport), ImportError> {
    if !doc.has_tables() {
        return Err(ImportError::NoTables);
    }
    let maps: Vec<Option<ColumnMap>> = doc
        .blocks
        .iter()
        .map(|b| match b {
            Block::Table(t) => find_header(t),
            Block::Paragraph(_) => None,
        })
        .collect();
    let first_table = maps
        .iter()
        .position(Option::is_some)
        .ok_or(ImportError::NoActivityTable)?;
    let title_index = doc.blocks[..first_table]
        .iter()
        .position(|b| matches!(b, Block::Paragraph(p) if is_title(&p.text)));
    let preamble_end = title_index.unwrap_or(first_table);
    let preamble_lines: Vec<Line<'_>> = doc.blocks[..preamble_end]
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(p),
            Block::Table(_) => None,
        })
        .flat_map(Paragraph::lines)
        .collect();
    let preamble_text = preamble_lines
        .iter()
        .map(|(_, l)| *l)
        .collect::<Vec<_>>()
        .join("\n");
    let order = parse_order(&preamble_lines);
    let subject = preamble_lines
        .iter()
        .position(|(_, l)| {
            let n = norm(l);
            n.starts_with("об ") || n.starts_with("о ")
        })
        .map(|start| subject_text(&doc.blocks[..preamble_end], preamble_lines[start].0));

    let mut report = ImportReport::default();
    let title = match title_index.and_then(|i| match &doc.blocks[i] {
        Block::Paragraph(p) => Some(collapse_ws(&p.text)),
        Block::Table(_) => None,
    }) {
        Some(title) => title,
        None => {
            report.warn(
                first_line(&doc.blocks[first_table]),
                "не найден заголовок «Дорожная карта …» перед таблицей мероприятий",
            );
            subject.clone().unwrap_or_default()
        }
    };
    let window = document_window(&title).or_else(|| subject.as_deref().and_then(document_window));
    let ctx = PeriodContext {
        document: window,
        ..PeriodContext::default()
    };
    let level = detect_level(&title, &preamble_text);

    let mut body = Body::new(&mut report);
    let body_start = title_index.map_or(preamble_end, |i| i + 1);
    for (block, map) in doc.blocks.iter().zip(&maps).skip(body_start) {
        match block {
            Block::Paragraph(p) => body.paragraph(p),
            Block::Table(t) => body.table(t, map.as_ref()),
        }
    }
    let Body {
        goals,
        tasks,
        expected,
        sections,
        ..
    } = body;
    let sections = finish_sections(sections, &ctx, &mut report);
    let road_map = RoadMap {
        title,
        level,
        owner: order.as_ref().and_then(|o| o.issuer.clone()),
        order,
        period: window,
        goals,
        tasks,
        expected_results: expected,
        sections,
    };
    Ok((road_map, report))
}

fn first_line(block: &Block) -> usize {
    match block {
        Block::Paragraph(p) => p.line,
        Block::Table(t) => t.line,
    }
}

/// The whole paragraph holding the order's subject line («Об утверждении …»).
fn subject_text(blocks: &[Block], line: usize) -> String {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(p),
            Block::Table(_) => None,
        })
        .find(|p| p.lines().any(|(l, _)| l == line))
        .map(|p| {
            let from_subject: Vec<&str> = p
                .lines()
                .filter(|(l, _)| *l >= line)
                .map(|(_, t)| t)
                .collect();
            collapse_ws(&from_subject.join(" "))
        })
        .unwrap_or_default()
}

/// A section while it is being filled.
struct SectionDraft {
    title: String,
    line: usize,
    tasks: Vec<String>,
    planned: Vec<String>,
    activities: Vec<ActivityDraft>,
}

/// An activity's raw cell texts, kept until the table ends because rows
/// broken across pages append to them.
struct ActivityDraft {
    line: usize,
    cells: Vec<(Field, String)>,
}

impl ActivityDraft {
    fn get(&self, field: Field) -> &str {
        self.cells
            .iter()
            .find(|(f, _)| *f == field)
            .map_or("", |(_, text)| text.trim())
    }
}

/// Where the items of the open list go.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Destination {
    Goals,
    Tasks,
    Expected,
    SectionTasks(usize),
    SectionPlanned(usize),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ListMode {
    /// Nothing collected yet: the first line decides.
    Open,
    /// Items carry markers («-», «1.»); an unmarked line ends the list.
    Marked,
    /// Items are plain paragraphs (Word's automatic numbering).
    Plain,
}

struct Body<'a> {
    report: &'a mut ImportReport,
    goals: Vec<String>,
    tasks: Vec<String>,
    expected: Vec<String>,
    sections: Vec<SectionDraft>,
    /// The current section was opened by a heading between tables, so the
    /// lists that follow belong to it.
    heading_section: bool,
    list: Option<(Destination, ListMode)>,
}

impl<'a> Body<'a> {
    fn new(report: &'a mut ImportReport) -> Self {
        Self {
            report,
            goals: Vec::new(),
            tasks: Vec::new(),
            expected: Vec::new(),
            sections: Vec::new(),
            heading_section: false,
            list: None,
        }
    }

    fn start_section(&mut self, title: &str, line: usize, from_heading: bool) {
        self.sections.push(SectionDraft {
            title: collapse_ws(title),
            line,
            tasks: Vec::new(),
            planned: Vec::new(),
            activities: Vec::new(),
        });
        self.heading_section = from_heading;
        self.list = None;
    }

    fn push_item(&mut self, destination: Destination, item: &str) {
        let item = collapse_ws(item);
        if item.is_empty() {
            return;
        }
        let list = match destination {
            Destination::Goals => &mut self.goals,
            Destination::Tasks => &mut self.tasks,
            Destination::Expected => &mut self.expected,
            Destination::SectionTasks(i) => match self.sections.get_mut(i) {
                Some(s) => &mut s.tasks,
                None => &mut self.tasks,
            },
            Destination::SectionPlanned(i) => match self.sections.get_mut(i) {
                Some(s) => &mut s.planned,
                None => &mut self.expected,
            },
        };
        list.push(item);
    }

    fn destination(&self, kind: ListKind) -> Destination {
        let section = self
            .heading_section
            .then(|| self.sections.len().checked_sub(1))
            .flatten();
        match (kind, section) {
            (ListKind::Goals, _) => Destination::Goals,
            (ListKind::Tasks, Some(i)) => Destination::SectionTasks(i),
            (ListKind::Tasks, None) => Destination::Tasks,
            (ListKind::Results, Some(i)) => Destination::SectionPlanned(i),
            (ListKind::Results, None) => Destination::Expected,
        }
    }

    fn paragraph(&mut self, p: &Paragraph) {
        let whole = collapse_ws(&p.text);
        let first_is_label = p.lines().next().is_some_and(|(_, l)| label(l).is_some());
        let in_marked_list =
            matches!(self.list, Some((_, ListMode::Marked))) && strip_list_marker(&whole).is_some();
        if !first_is_label && !in_marked_list && is_section_heading(&whole, p.emphasis) {
            self.start_section(&whole, p.line, true);
            return;
        }
        for (_, line) in p.lines() {
            let (clean, _) = strip_decoration(line);
            if let Some((kind, rest)) = label(&clean) {
                let destination = self.destination(kind);
                let mode = if rest.is_empty() {
                    ListMode::Open
                } else {
                    self.push_item(destination, &rest);
                    ListMode::Marked
                };
                self.list = Some((destination, mode));
                continue;
            }
            let Some((destination, mode)) = self.list else {
                continue;
            };
            match (strip_list_marker(&clean), mode) {
                (Some(item), ListMode::Open | ListMode::Marked) => {
                    self.push_item(destination, item);
                    self.list = Some((destination, ListMode::Marked));
                }
                (None, ListMode::Open | ListMode::Plain) if !p.emphasis => {
                    self.push_item(destination, &clean);
                    self.list = Some((destination, ListMode::Plain));
                }
                _ => self.list = None,
            }
        }
    }

    fn table(&mut self, table: &Table, map: Option<&ColumnMap>) {
        self.list = None;
        let Some(map) = map else {
            self.report.warn(
                table.line,
                format!(
                    "таблица из {} строк пропущена: в заголовке нет столбца «Мероприятия»",
                    table.rows.len()
                ),
            );
            return;
        };
        for row in table
            .rows
            .iter()
            .take(map.header_row)
            .filter(|r| !r.is_empty())
        {
            self.report.warn(
                row.line,
                format!("строка до заголовка таблицы пропущена: «{}»", row_text(row)),
            );
        }
        let mut map = map.clone();
        self.warn_unknown_columns(table, &map);
        let mut pending_break = false;
        let mut last: Option<(usize, usize)> = None;
        for (index, row) in table.rows.iter().enumerate().skip(map.header_row + 1) {
            if row.is_empty() || map.is_repeated_header(row) || is_numbering_row(row) {
                pending_break = true;
                continue;
            }
            // A different header: another table glued to this one.
            if let Some(next) = header_at(table, index) {
                map = next;
                self.warn_unknown_columns(table, &map);
                pending_break = false;
                last = None;
                continue;
            }
            let after_break = row.after_break || pending_break;
            pending_break = false;
            last = self.row(row, &map, after_break, last);
        }
    }

    fn warn_unknown_columns(&mut self, table: &Table, map: &ColumnMap) {
        let line = table
            .rows
            .get(map.header_row)
            .map_or(table.line, |r| r.line);
        for (_, header) in &map.unknown {
            self.report.warn(
                line,
                format!(
                    "столбец «{}» не распознан, его ячейки не импортированы",
                    collapse_ws(header)
                ),
            );
        }
    }

    /// Places one row; returns the activity a following row may continue.
    fn row(
        &mut self,
        row: &Row,
        map: &ColumnMap,
        after_break: bool,
        last: Option<(usize, usize)>,
    ) -> Option<(usize, usize)> {
        let number_col = map.column(Field::Number);
        let title_col = map.column(Field::Title);
        let text_of = |col: Option<usize>| col.map_or("", |c| row.cell(c).trim());
        let number = text_of(number_col);
        let title = text_of(title_col);
        let filled: Vec<usize> = (0..row.cells.len())
            .filter(|i| !row.cell(*i).trim().is_empty())
            .collect();
        for i in filled.iter().filter(|i| **i >= map.columns.len()) {
            self.report.warn(
                row.line,
                format!(
                    "ячейка вне столбцов таблицы пропущена: «{}»",
                    collapse_ws(row.cell(*i))
                ),
            );
        }
        let previous_title = last
            .and_then(|(s, a)| self.sections.get(s)?.activities.get(a))
            .map_or("", |a| a.get(Field::Title));
        let broken_word = previous_title.ends_with('-');

        let single = (filled.len() == 1).then(|| filled[0]);
        let lone_first_cell =
            single.filter(|i| Some(*i) == number_col || Some(*i) == title_col || *i <= 1);
        if let Some(cell) = lone_first_cell.or(if row.spanning {
            filled.first().copied()
        } else {
            None
        }) {
            let text = row.cell(cell).trim();
            if is_pure_number(text) {
                self.report.warn(
                    row.line,
                    format!("строка только с номером «{text}» пропущена"),
                );
                return last;
            }
            let in_title = Some(cell) == title_col && !row.spanning;
            let continues = last.is_some()
                && in_title
                && ((after_break && !has_section_marker(text))
                    || starts_lowercase(text)
                    || broken_word);
            if continues {
                self.continue_activity(last, row, map);
                return last;
            }
            self.start_section(text, row.line, false);
            return None;
        }

        let continues = number.is_empty()
            && last.is_some()
            && (after_break || title.is_empty() || starts_lowercase(title) || broken_word);
        if continues {
            self.continue_activity(last, row, map);
            return last;
        }
        if number.is_empty() && title.is_empty() {
            self.report.warn(
                row.line,
                format!(
                    "строка без номера и мероприятия пропущена: «{}»",
                    row_text(row)
                ),
            );
            return last;
        }
        if self.sections.is_empty() {
            self.start_section("", row.line, false);
        }
        let cells = map
            .columns
            .iter()
            .enumerate()
            .filter_map(|(i, f)| f.map(|f| (f, row.cell(i).to_string())))
            .collect();
        let section = self.sections.len() - 1;
        let activities = &mut self.sections[section].activities;
        activities.push(ActivityDraft {
            line: row.line,
            cells,
        });
        self.list = None;
        Some((section, activities.len() - 1))
    }

    fn continue_activity(&mut self, last: Option<(usize, usize)>, row: &Row, map: &ColumnMap) {
        let Some(activity) =
            last.and_then(|(s, a)| self.sections.get_mut(s)?.activities.get_mut(a))
        else {
            return;
        };
        for (i, field) in map.columns.iter().enumerate() {
            let (Some(field), text) = (field, row.cell(i)) else {
                continue;
            };
            if text.trim().is_empty() {
                continue;
            }
            match activity.cells.iter_mut().find(|(f, _)| f == field) {
                Some((_, existing)) => *existing = join_continuation(existing, text),
                None => activity.cells.push((*field, text.to_string())),
            }
        }
    }
}

/// The non-empty cells of a row, for messages.
fn row_text(row: &Row) -> String {
    row.cells
        .iter()
        .map(|c| collapse_ws(c))
        .filter(|c| !c.is_empty())
        .collect::<Vec<_>>()
        .join(" | ")
}

fn finish_sections(
    drafts: Vec<SectionDraft>,
    ctx: &PeriodContext,
    report: &mut ImportReport,
) -> Vec<Section> {
    let mut sections = Vec::new();
    for draft in drafts {
        if draft.activities.is_empty() && draft.tasks.is_empty() && draft.planned.is_empty() {
            report.warn(
                draft.line,
                format!("раздел «{}» без мероприятий пропущен", draft.title),
            );
            continue;
        }
        let activities = draft
            .activities
            .iter()
            .map(|a| finish_activity(a, ctx, report))
            .collect();
        sections.push(Section {
            title: draft.title,
            tasks: draft.tasks,
            planned_results: draft.planned,
            activities,
        });
    }
    sections
}

fn finish_activity(
    draft: &ActivityDraft,
    ctx: &PeriodContext,
    report: &mut ImportReport,
) -> Activity {
    // A lone dash is how tables say «nothing here».
    let text = |field| {
        let text = collapse_ws(draft.get(field));
        let placeholder = text.chars().all(|c| matches!(c, '-' | '–' | '—'));
        (!placeholder).then_some(text)
    };
    let number = text(Field::Number);
    let title = text(Field::Title).unwrap_or_default();
    if title.is_empty() {
        report.warn(
            draft.line,
            format!(
                "мероприятие {} без названия",
                number.as_deref().unwrap_or("без номера")
            ),
        );
    }
    let period = text(Field::Period).map(|p| parse_period(&p, ctx));
    if let Some(period) = period.as_ref().filter(|p| p.kind == PeriodKind::Unresolved) {
        report.warn(
            draft.line,
            format!("срок «{}» не распознан, сохранён как текст", period.text),
        );
    }
    Activity {
        number,
        title,
        period,
        responsible: split_responsible(draft.get(Field::Responsible)),
        output: text(Field::Output),
        indicator: text(Field::Indicator),
        publicity: text(Field::Publicity),
        external_help: text(Field::ExternalHelp),
    }
}
