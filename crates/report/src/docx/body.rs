//! `word/document.xml`: the approval block, the title, the lists and the activity table.

use orientir_domain::roadmap::RoadMap;

use super::xml::Xml;
use crate::columns::Column;
use crate::{Approval, ReportError};

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// Landscape A4 in twentieths of a point.
const PAGE_WIDTH: u32 = 16838;
const PAGE_HEIGHT: u32 = 11906;
/// 2 cm.
const MARGIN: u32 = 1134;
const TEXT_WIDTH: u32 = PAGE_WIDTH - 2 * MARGIN;
/// The «№ п/п» column: fits the header on one line.
const NUMBER_WIDTH: u32 = 850;
/// Where the approval block starts: its right-hand 7.7 cm.
const APPROVAL_INDENT: u32 = TEXT_WIDTH - 4365;
/// Left and right padding inside table cells (0.15 cm).
const CELL_PADDING: &str = "85";
const CELL_PADDING_TWIPS: u32 = 85;

/// How a paragraph looks.
#[derive(Clone, Copy, Default)]
struct Look {
    align: Option<&'static str>,
    bold: bool,
    indent_left: u32,
    hanging: u32,
    space_after: u32,
    keep_next: bool,
}

pub(crate) fn document_xml(map: &RoadMap, approval: &Approval) -> Result<Vec<u8>, ReportError> {
    let mut xml = Xml::new()?;
    xml.open("w:document", &[("xmlns:w", W_NS), ("xmlns:r", R_NS)])?;
    xml.open("w:body", &[])?;

    let approval = approval.or_order(map.order.as_ref());
    let lines = approval.lines();
    for line in &lines {
        let look = Look {
            indent_left: APPROVAL_INDENT,
            ..Look::default()
        };
        paragraph(&mut xml, look, &[line.as_str()])?;
    }
    if !lines.is_empty() {
        paragraph(&mut xml, Look::default(), &[])?;
    }

    let title = Look {
        align: Some("center"),
        bold: true,
        space_after: 240,
        keep_next: true,
        ..Look::default()
    };
    paragraph(&mut xml, title, &[map.title.as_str()])?;

    list(&mut xml, "Цели:", &map.goals)?;
    list(&mut xml, "Задачи:", &map.tasks)?;
    list(&mut xml, "Ожидаемые результаты:", &map.expected_results)?;
    for section in &map.sections {
        let name = section.title.trim();
        let (tasks, results) = if name.is_empty() {
            (
                "Задачи раздела:".to_string(),
                "Планируемые результаты раздела:".to_string(),
            )
        } else {
            (
                format!("Задачи раздела «{name}»:"),
                format!("Планируемые результаты раздела «{name}»:"),
            )
        };
        list(&mut xml, &tasks, &section.tasks)?;
        list(&mut xml, &results, &section.planned_results)?;
    }

    table(&mut xml, map)?;
    // Word wants a paragraph between a table and the end of the body.
    paragraph(&mut xml, Look::default(), &[])?;
    section_properties(&mut xml)?;

    xml.close("w:body")?;
    xml.close("w:document")?;
    Ok(xml.finish())
}

/// A bold label and its items numbered «1.», «2.», … with a hanging indent; nothing when
/// `items` is empty.
fn list(xml: &mut Xml, label: &str, items: &[String]) -> Result<(), ReportError> {
    if items.is_empty() {
        return Ok(());
    }
    let heading = Look {
        bold: true,
        keep_next: true,
        ..Look::default()
    };
    paragraph(xml, heading, &[label])?;
    for (i, item) in items.iter().enumerate() {
        let look = Look {
            align: Some("both"),
            indent_left: 426,
            hanging: 426,
            space_after: if i + 1 == items.len() { 240 } else { 0 },
            ..Look::default()
        };
        let text = format!("{}.\t{}", i + 1, item);
        paragraph(xml, look, &[text.as_str()])?;
    }
    Ok(())
}

/// One paragraph; `lines` are separated by line breaks (`w:br`), tabs become `w:tab`.
fn paragraph(xml: &mut Xml, look: Look, lines: &[&str]) -> Result<(), ReportError> {
    xml.open("w:p", &[])?;
    let has_props = look.align.is_some()
        || look.indent_left > 0
        || look.space_after > 0
        || look.keep_next
        || look.bold;
    if has_props {
        xml.open("w:pPr", &[])?;
        if look.keep_next {
            xml.empty("w:keepNext", &[])?;
        }
        if look.space_after > 0 {
            xml.empty("w:spacing", &[("w:after", &look.space_after.to_string())])?;
        }
        if look.indent_left > 0 {
            let left = look.indent_left.to_string();
            let hanging = look.hanging.to_string();
            let mut attributes = vec![("w:left", left.as_str())];
            if look.hanging > 0 {
                attributes.push(("w:hanging", hanging.as_str()));
            }
            xml.empty("w:ind", &attributes)?;
        }
        if let Some(align) = look.align {
            xml.val("w:jc", align)?;
        }
        if look.bold {
            xml.open("w:rPr", &[])?;
            xml.empty("w:b", &[])?;
            xml.empty("w:bCs", &[])?;
            xml.close("w:rPr")?;
        }
        xml.close("w:pPr")?;
    }
    let pieces: Vec<&str> = lines.iter().flat_map(|l| l.split('\n')).collect();
    if !pieces.is_empty() {
        xml.open("w:r", &[])?;
        if look.bold {
            xml.open("w:rPr", &[])?;
            xml.empty("w:b", &[])?;
            xml.empty("w:bCs", &[])?;
            xml.close("w:rPr")?;
        }
        for (i, line) in pieces.iter().enumerate() {
            if i > 0 {
                xml.empty("w:br", &[])?;
            }
            for (j, part) in line.trim_end_matches('\r').split('\t').enumerate() {
                if j > 0 {
                    xml.empty("w:tab", &[])?;
                }
                if !part.is_empty() {
                    xml.element("w:t", &[("xml:space", "preserve")], part)?;
                }
            }
        }
        xml.close("w:r")?;
    }
    xml.close("w:p")
}

/// Approximate widths of a Times New Roman 12 character, in twips: bold (headers) and regular.
const BOLD_CHAR: u32 = 150;
const REGULAR_CHAR: u32 = 125;
/// A word wider than this (a web address, «общеобразовательных») may break: it does not widen
/// its column more.
const WORD_CAP: u32 = 1900;
/// The activity column keeps at least a quarter of the width.
const TITLE_MIN: u32 = TEXT_WIDTH / 4;

/// The narrowest a column may be: its header's longest word and its content's longest word
/// fit on a line. The number column is fixed.
fn floor(column: Column, map: &RoadMap) -> u32 {
    if column == Column::Number {
        return NUMBER_WIDTH;
    }
    let padding = 2 * CELL_PADDING_TWIPS;
    let longest = |text: &str| {
        text.split_whitespace()
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(0)
    };
    let header = longest(column.header()) as u32 * BOLD_CHAR;
    let content = map
        .activities()
        .flat_map(|a| column.lines(a))
        .map(|line| longest(&line) as u32 * REGULAR_CHAR)
        .max()
        .unwrap_or(0)
        .min(WORD_CAP);
    let floor = header.max(content) + padding;
    if column == Column::Title {
        floor.max(TITLE_MIN)
    } else {
        floor
    }
}

/// How much text a column holds per activity (characters), at least 1.
fn demand(column: Column, map: &RoadMap) -> u32 {
    let count = map.activities().count().max(1);
    let chars: usize = map
        .activities()
        .flat_map(|a| column.lines(a))
        .map(|line| line.chars().count())
        .sum();
    u32::try_from(chars / count).unwrap_or(u32::MAX).max(1)
}

/// Column widths filling the text width: every column gets its floor, the space left is shared
/// in proportion to how much text each column holds, so rows come out about equally tall in
/// every column. The number column stays fixed.
fn widths(columns: &[Column], map: &RoadMap) -> Vec<u32> {
    let mut floors: Vec<u32> = columns.iter().map(|c| floor(*c, map)).collect();
    // Too many wide columns: every floor but the number's shrinks in proportion.
    let floors_sum: u32 = floors.iter().sum();
    if floors_sum > TEXT_WIDTH {
        let flexible = floors_sum - NUMBER_WIDTH;
        let room = TEXT_WIDTH - NUMBER_WIDTH;
        for (floor, column) in floors.iter_mut().zip(columns) {
            if *column != Column::Number {
                *floor = u32::try_from(u64::from(*floor) * u64::from(room) / u64::from(flexible))
                    .unwrap_or(*floor);
            }
        }
    }
    let demands: Vec<u32> = columns
        .iter()
        .map(|c| {
            if *c == Column::Number {
                0
            } else {
                demand(*c, map)
            }
        })
        .collect();
    let mut widths = floors.clone();
    // Water-filling: columns whose proportional share is below their floor keep the floor;
    // the others share what remains.
    let mut fixed: Vec<bool> = columns.iter().map(|c| *c == Column::Number).collect();
    loop {
        let taken: u32 = (0..columns.len())
            .filter(|i| fixed[*i])
            .map(|i| floors[i])
            .sum();
        let free = TEXT_WIDTH.saturating_sub(taken);
        let total: u64 = (0..columns.len())
            .filter(|i| !fixed[*i])
            .map(|i| u64::from(demands[i]))
            .sum::<u64>()
            .max(1);
        let mut changed = false;
        let open: Vec<usize> = (0..columns.len()).filter(|i| !fixed[*i]).collect();
        for i in open {
            let share = u64::from(free) * u64::from(demands[i]) / total;
            let share = u32::try_from(share).unwrap_or(u32::MAX);
            if share < floors[i] {
                fixed[i] = true;
                widths[i] = floors[i];
                changed = true;
            } else {
                widths[i] = share;
            }
        }
        if !changed {
            break;
        }
    }
    // Rounding leftovers (or an overflow of floors) go to the widest column.
    let used: u32 = widths.iter().sum();
    if let Some(widest) = widths.iter_mut().max() {
        if used <= TEXT_WIDTH {
            *widest += TEXT_WIDTH - used;
        } else {
            *widest = widest.saturating_sub(used - TEXT_WIDTH);
        }
    }
    widths
}

fn table(xml: &mut Xml, map: &RoadMap) -> Result<(), ReportError> {
    let columns = Column::for_map(map);
    let widths = widths(&columns, map);
    xml.open("w:tbl", &[])?;
    xml.open("w:tblPr", &[])?;
    xml.empty(
        "w:tblW",
        &[("w:w", &TEXT_WIDTH.to_string()), ("w:type", "dxa")],
    )?;
    xml.open("w:tblBorders", &[])?;
    for side in [
        "w:top",
        "w:left",
        "w:bottom",
        "w:right",
        "w:insideH",
        "w:insideV",
    ] {
        xml.empty(
            side,
            &[
                ("w:val", "single"),
                ("w:sz", "4"),
                ("w:space", "0"),
                ("w:color", "auto"),
            ],
        )?;
    }
    xml.close("w:tblBorders")?;
    xml.empty("w:tblLayout", &[("w:type", "fixed")])?;
    xml.open("w:tblCellMar", &[])?;
    xml.empty("w:left", &[("w:w", CELL_PADDING), ("w:type", "dxa")])?;
    xml.empty("w:right", &[("w:w", CELL_PADDING), ("w:type", "dxa")])?;
    xml.close("w:tblCellMar")?;
    xml.empty(
        "w:tblLook",
        &[
            ("w:val", "04A0"),
            ("w:firstRow", "1"),
            ("w:lastRow", "0"),
            ("w:firstColumn", "0"),
            ("w:lastColumn", "0"),
            ("w:noHBand", "1"),
            ("w:noVBand", "1"),
        ],
    )?;
    xml.close("w:tblPr")?;
    xml.open("w:tblGrid", &[])?;
    for width in &widths {
        xml.empty("w:gridCol", &[("w:w", &width.to_string())])?;
    }
    xml.close("w:tblGrid")?;

    // The header, repeated at the top of every page.
    xml.open("w:tr", &[])?;
    row_properties(xml, true)?;
    for (column, width) in columns.iter().zip(&widths) {
        let look = Look {
            align: Some("center"),
            bold: true,
            ..Look::default()
        };
        cell(xml, *width, None, true, look, &[column.header()])?;
    }
    xml.close("w:tr")?;

    for section in &map.sections {
        if !section.title.trim().is_empty() {
            xml.open("w:tr", &[])?;
            row_properties(xml, false)?;
            let look = Look {
                bold: true,
                keep_next: true,
                ..Look::default()
            };
            cell(
                xml,
                TEXT_WIDTH,
                Some(columns.len()),
                false,
                look,
                &[section.title.as_str()],
            )?;
            xml.close("w:tr")?;
        }
        for activity in &section.activities {
            xml.open("w:tr", &[])?;
            row_properties(xml, false)?;
            for (column, width) in columns.iter().zip(&widths) {
                let lines = column.lines(activity);
                let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
                let look = Look {
                    align: column.centred().then_some("center"),
                    ..Look::default()
                };
                cell(xml, *width, None, false, look, &lines)?;
            }
            xml.close("w:tr")?;
        }
    }
    xml.close("w:tbl")
}

/// Rows never break across pages; the header row repeats on every page.
fn row_properties(xml: &mut Xml, header: bool) -> Result<(), ReportError> {
    xml.open("w:trPr", &[])?;
    xml.empty("w:cantSplit", &[])?;
    if header {
        xml.empty("w:tblHeader", &[])?;
    }
    xml.close("w:trPr")
}

fn cell(
    xml: &mut Xml,
    width: u32,
    span: Option<usize>,
    centre_vertically: bool,
    look: Look,
    lines: &[&str],
) -> Result<(), ReportError> {
    xml.open("w:tc", &[])?;
    xml.open("w:tcPr", &[])?;
    xml.empty("w:tcW", &[("w:w", &width.to_string()), ("w:type", "dxa")])?;
    if let Some(span) = span {
        xml.val("w:gridSpan", &span.to_string())?;
    }
    if centre_vertically {
        xml.val("w:vAlign", "center")?;
    }
    xml.close("w:tcPr")?;
    paragraph(xml, look, lines)?;
    xml.close("w:tc")
}

fn section_properties(xml: &mut Xml) -> Result<(), ReportError> {
    let margin = MARGIN.to_string();
    xml.open("w:sectPr", &[])?;
    xml.empty(
        "w:pgSz",
        &[
            ("w:w", &PAGE_WIDTH.to_string()),
            ("w:h", &PAGE_HEIGHT.to_string()),
            ("w:orient", "landscape"),
        ],
    )?;
    xml.empty(
        "w:pgMar",
        &[
            ("w:top", &margin),
            ("w:right", &margin),
            ("w:bottom", &margin),
            ("w:left", &margin),
            ("w:header", "709"),
            ("w:footer", "709"),
            ("w:gutter", "0"),
        ],
    )?;
    xml.close("w:sectPr")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_fill_the_text_width() {
        use orientir_domain::roadmap::{Activity, Level, Section};
        let activity = Activity {
            number: Some("1".into()),
            title: "Анализ результатов ОГЭ и ЕГЭ по математике и русскому языку".into(),
            period: None,
            responsible: vec!["Руководители ОУ".into()],
            output: None,
            indicator: None,
            publicity: Some("Сайт".into()),
            external_help: Some("Нет".into()),
        };
        let map = RoadMap {
            title: String::new(),
            level: Level::School,
            owner: None,
            order: None,
            period: None,
            goals: Vec::new(),
            tasks: Vec::new(),
            expected_results: Vec::new(),
            sections: vec![Section {
                activities: vec![activity],
                ..Section::default()
            }],
        };
        let columns = Column::for_map(&map);
        assert_eq!(columns.len(), 8);
        let widths = widths(&columns, &map);
        assert_eq!(widths.iter().sum::<u32>(), TEXT_WIDTH);
        assert_eq!(widths[0], NUMBER_WIDTH);
        for (column, width) in columns.iter().zip(&widths) {
            assert!(*width >= floor(*column, &map), "{column:?}: {width}");
        }
        assert!(widths[1] >= TITLE_MIN);
        let title = widths[1];
        assert!(
            widths.iter().all(|w| *w <= title),
            "the activity is widest: {widths:?}"
        );
    }
}
