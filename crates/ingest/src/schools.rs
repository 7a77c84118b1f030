//! The schools registry file (DESIGN.md §4.1): CSV (`,` `;` or tab, BOM, CRLF, UTF-8 or Windows-1251)
//! or XLSX with the same header.

use std::collections::HashMap;
use std::path::Path;

use orientir_domain::registry::{
    Locality, SchoolId, SchoolKind, SchoolRecord, SocialContext, parse_enrolment, parse_share,
};

use crate::table::{Row, read_table};
use crate::{IngestError, Problem};

const REQUIRED: [&str; 7] = [
    "school_id",
    "name",
    "region",
    "municipality",
    "locality",
    "kind",
    "students",
];

/// Reads every school of the file, or every problem of it: a file with any bad row is rejected whole.
pub fn read_schools(path: &Path) -> Result<Vec<SchoolRecord>, IngestError> {
    let table = read_table(path)?;
    let columns = Columns::locate(&table.header).map_err(|missing| IngestError::Rejected {
        path: path.to_owned(),
        problems: vec![Problem {
            line: table.header_line,
            column: None,
            message: format!(
                "в заголовке нет обязательных столбцов: {}; ожидается заголовок {}",
                missing.join(", "),
                REQUIRED.join(",")
            ),
        }],
    })?;

    let mut schools = Vec::with_capacity(table.rows.len());
    let mut problems = Vec::new();
    // Keyed by the id as written, so a duplicate is found even when its first row is also bad.
    let mut first_line_of: HashMap<&str, u64> = HashMap::new();
    for row in &table.rows {
        let duplicate = columns
            .raw_id(row)
            .and_then(|id| match first_line_of.get(id) {
                Some(&first) => Some(Problem {
                    line: row.line,
                    column: Some("school_id".to_owned()),
                    message: format!("код школы {id} повторяется: он уже был в строке {first}"),
                }),
                None => {
                    first_line_of.insert(id, row.line);
                    None
                }
            });
        match (columns.school(row, table.header.len()), duplicate) {
            (Ok(school), None) => schools.push(school),
            (Ok(_), Some(duplicate)) => problems.push(duplicate),
            (Err(row_problems), duplicate) => {
                problems.extend(row_problems);
                problems.extend(duplicate);
            }
        }
    }
    if problems.is_empty() {
        Ok(schools)
    } else {
        Err(IngestError::Rejected {
            path: path.to_owned(),
            problems,
        })
    }
}

/// Positions of the known columns in this file's header.
struct Columns {
    required: [usize; 7],
    social: Vec<(&'static str, usize)>,
}

impl Columns {
    fn locate(header: &[String]) -> Result<Self, Vec<&'static str>> {
        let find = |name: &str| {
            header
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
        };
        let mut required = [0; 7];
        let mut missing = Vec::new();
        for (slot, name) in required.iter_mut().zip(REQUIRED) {
            match find(name) {
                Some(i) => *slot = i,
                None => missing.push(name),
            }
        }
        if !missing.is_empty() {
            return Err(missing);
        }
        let social = SocialContext::COLUMNS
            .into_iter()
            .filter_map(|name| find(name).map(|i| (name, i)))
            .collect();
        Ok(Self { required, social })
    }

    /// The school id cell as written, when present and not empty.
    fn raw_id<'r>(&self, row: &'r Row) -> Option<&'r str> {
        row.cells
            .get(self.required[0])
            .map(|id| id.trim())
            .filter(|id| !id.is_empty())
    }

    fn school(&self, row: &Row, width: usize) -> Result<SchoolRecord, Vec<Problem>> {
        if row.cells.len() != width {
            return Err(vec![Problem {
                line: row.line,
                column: None,
                message: format!("ожидалось полей: {width}, в строке: {}", row.cells.len()),
            }]);
        }
        let cell = |i: usize| row.cells[self.required[i]].trim();
        let mut check = RowCheck {
            line: row.line,
            problems: Vec::new(),
        };
        let id = check.take("school_id", SchoolId::parse(cell(0)));
        let name = check.take("name", non_empty(cell(1)));
        let region = check.take("region", non_empty(cell(2)));
        let municipality = check.take("municipality", non_empty(cell(3)));
        let locality = check.take("locality", Locality::parse(cell(4)));
        let kind = check.take("kind", SchoolKind::parse(cell(5)));
        let students = check.take("students", parse_enrolment(cell(6)));
        let mut social = SocialContext::default();
        for &(column, i) in &self.social {
            let raw = row.cells[i].trim();
            if !raw.is_empty() {
                let share = parse_share(column, raw).and_then(|share| social.set(column, share));
                check.take(column, share);
            }
        }
        match (id, name, region, municipality, locality, kind, students) {
            (
                Some(id),
                Some(name),
                Some(region),
                Some(municipality),
                Some(locality),
                Some(kind),
                Some(students),
            ) if check.problems.is_empty() => Ok(SchoolRecord {
                id,
                name,
                region,
                municipality,
                locality,
                kind,
                students,
                social,
            }),
            _ => Err(check.problems),
        }
    }
}

/// Collects the problems of one row, so that every bad cell of it is reported, not only the first.
struct RowCheck {
    line: u64,
    problems: Vec<Problem>,
}

impl RowCheck {
    fn take<T, E: std::fmt::Display>(&mut self, column: &str, result: Result<T, E>) -> Option<T> {
        result
            .map_err(|err| {
                self.problems.push(Problem {
                    line: self.line,
                    column: Some(column.to_owned()),
                    message: err.to_string(),
                })
            })
            .ok()
    }
}

fn non_empty(value: &str) -> Result<String, &'static str> {
    if value.is_empty() {
        Err("пустое значение")
    } else {
        Ok(value.to_owned())
    }
}
