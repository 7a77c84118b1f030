//! The road map as a flat sheet: one row per activity, for sorting and filtering in Excel.

use chrono::{Datelike, NaiveDate};
use orientir_domain::period::{PeriodKind, Recurrence};
use orientir_domain::roadmap::{Activity, RoadMap};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet};

use crate::ReportError;

/// The sheet's name.
const SHEET: &str = "Дорожная карта";

/// Header texts and column widths (in characters).
const COLUMNS: [(&str, f64); 12] = [
    ("Раздел", 30.0),
    ("№", 6.0),
    ("Мероприятие", 50.0),
    ("Сроки", 22.0),
    ("Начало", 12.0),
    ("Окончание", 12.0),
    ("Вид срока", 18.0),
    ("Ответственные", 28.0),
    ("Результат", 30.0),
    ("Показатель", 30.0),
    ("Информационное сопровождение", 24.0),
    ("Внешняя помощь", 20.0),
];

/// The road map as an XLSX workbook with one sheet «Дорожная карта»: a bold, frozen header
/// with an autofilter, then one row per activity. «Начало» and «Окончание» are real dates (the
/// first window's start, the last window's end; empty when the period has no dates).
pub fn road_map_xlsx(map: &RoadMap) -> Result<Vec<u8>, ReportError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(SHEET)?;
    let text = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    let header = text.clone().set_bold().set_align(FormatAlign::Center);
    let date = text.clone().set_num_format("dd.mm.yyyy");

    for (col, (title, width)) in (0u16..).zip(COLUMNS) {
        sheet.write_string_with_format(0, col, title, &header)?;
        sheet.set_column_width(col, width)?;
    }
    let mut row = 0u32;
    for section in &map.sections {
        for activity in &section.activities {
            row += 1;
            let (start, end) = dates(activity);
            let cells = [
                Some(section.title.clone()),
                activity.number.clone(),
                Some(activity.title.clone()),
                activity.period.as_ref().map(|p| p.text.clone()),
                None,
                None,
                activity
                    .period
                    .as_ref()
                    .map(|p| kind_label(p.kind, p.recurrence.as_ref())),
                Some(activity.responsible.join("\n")),
                activity.output.clone(),
                activity.indicator.clone(),
                activity.publicity.clone(),
                activity.external_help.clone(),
            ];
            for (col, value) in (0u16..).zip(cells) {
                match value.filter(|v| !v.is_empty()) {
                    Some(value) => sheet.write_string_with_format(row, col, value, &text)?,
                    None => sheet.write_blank(row, col, &text)?,
                };
            }
            write_date(sheet, row, 4, start, &date, &text)?;
            write_date(sheet, row, 5, end, &date, &text)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    let last_col = u16::try_from(COLUMNS.len() - 1).unwrap_or(u16::MAX);
    sheet.autofilter(0, 0, row, last_col)?;
    sheet
        .set_landscape()
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0)
        .set_repeat_rows(0, 0)?;
    Ok(workbook.save_to_buffer()?)
}

/// The first window's start and the last window's end.
fn dates(activity: &Activity) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let windows = activity
        .period
        .as_ref()
        .map(|p| p.windows.as_slice())
        .unwrap_or_default();
    (
        windows.first().map(|w| w.from),
        windows.last().map(|w| w.to),
    )
}

/// A date cell; a date Excel cannot hold (before 1900) is written as text, not dropped.
fn write_date(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: Option<NaiveDate>,
    date: &Format,
    text: &Format,
) -> Result<(), ReportError> {
    let Some(value) = value else {
        sheet.write_blank(row, col, text)?;
        return Ok(());
    };
    let excel = u16::try_from(value.year()).ok().and_then(|year| {
        let month = u8::try_from(value.month()).ok()?;
        let day = u8::try_from(value.day()).ok()?;
        ExcelDateTime::from_ymd(year, month, day).ok()
    });
    match excel {
        Some(excel) => sheet.write_date_with_format(row, col, &excel, date)?,
        None => {
            sheet.write_string_with_format(row, col, value.format("%d.%m.%Y").to_string(), text)?
        }
    };
    Ok(())
}

/// «Вид срока» in Russian.
fn kind_label(kind: PeriodKind, recurrence: Option<&Recurrence>) -> String {
    match kind {
        PeriodKind::Range => "период".into(),
        PeriodKind::By => "до даты".into(),
        PeriodKind::On => "дата".into(),
        PeriodKind::During => "весь период".into(),
        PeriodKind::Recurring => match recurrence {
            Some(r) => recurrence_label(r),
            None => "регулярно".into(),
        },
        PeriodKind::OnRequest => "по запросу".into(),
        PeriodKind::PerPlan => "по плану".into(),
        PeriodKind::Unresolved => "не распознан".into(),
    }
}

fn recurrence_label(recurrence: &Recurrence) -> String {
    match recurrence {
        Recurrence::Weekly(days) if days.is_empty() => "еженедельно".into(),
        Recurrence::Weekly(days) => {
            let names: Vec<&str> = days
                .iter()
                .map(|d| {
                    ["пн", "вт", "ср", "чт", "пт", "сб", "вс"]
                        [d.num_days_from_monday() as usize % 7]
                })
                .collect();
            format!("еженедельно ({})", names.join(", "))
        }
        Recurrence::Monthly => "ежемесячно".into(),
        Recurrence::Quarterly => "ежеквартально".into(),
        Recurrence::PerTerm => "по итогам четверти".into(),
        Recurrence::TwiceAYear => "дважды в год".into(),
        Recurrence::Yearly => "ежегодно".into(),
    }
}
