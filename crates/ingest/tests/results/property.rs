//! The parallel aggregator equals a deliberately simple reference, whatever
//! the formatting, block size and thread count.

use std::collections::HashMap;

use orientir_ingest::results::{ResultsError, ResultsOptions, aggregate_file};
use proptest::prelude::*;

const YEARS: &[&str] = &["2023", "2024", "20x4"];
const PROCS: &[&str] = &["VPR", "OGE", "EGE", "GIA"];
const SUBJECTS: &[&str] = &["ru", "math", "bio"];
const GRADES: &[&str] = &["4", "9", "11", "13"];
const SCHOOLS: &[&str] = &["S1", "S2", "S 3"];
const STUDENTS: &[&str] = &["P1", "P2", "P3", "P4", "P5", "P6"];
const SCORES: &[&str] = &["12", "12,5", "23", "30", "0.5", "x", "101"];
const MARKS: &[&str] = &["", "2", "3", "5", "7"];

#[derive(Debug, Clone)]
enum Line {
    Row([usize; 8]),
    Blank,
    Header,
    Short,
}

fn line_strategy() -> impl Strategy<Value = Line> {
    prop_oneof![
        12 => (0..YEARS.len(), 0..PROCS.len(), 0..SUBJECTS.len(), 0..GRADES.len(),
               0..SCHOOLS.len(), 0..STUDENTS.len(), 0..SCORES.len(), 0..MARKS.len())
            .prop_map(|(a, b, c, d, e, f, g, h)| Line::Row([a, b, c, d, e, f, g, h])),
        1 => Just(Line::Blank),
        1 => Just(Line::Header),
        1 => Just(Line::Short),
    ]
}

const HEADER: [&str; 8] = [
    "year",
    "procedure",
    "subject",
    "grade",
    "school_id",
    "student_id",
    "score",
    "mark",
];

fn values(idx: &[usize; 8]) -> [&'static str; 8] {
    [
        YEARS[idx[0]],
        PROCS[idx[1]],
        SUBJECTS[idx[2]],
        GRADES[idx[3]],
        SCHOOLS[idx[4]],
        STUDENTS[idx[5]],
        SCORES[idx[6]],
        MARKS[idx[7]],
    ]
}

fn render(lines: &[Line], sep: char, bom: bool, crlf: bool, quote_all: bool) -> String {
    let eol = if crlf { "\r\n" } else { "\n" };
    let field = |v: &str| -> String {
        if quote_all || v.contains(sep) {
            format!("\"{v}\"")
        } else {
            v.to_owned()
        }
    };
    let join = |vals: &[&str]| {
        vals.iter()
            .map(|v| field(v))
            .collect::<Vec<_>>()
            .join(&sep.to_string())
    };
    let mut out = String::new();
    if bom {
        out.push('\u{feff}');
    }
    out.push_str(&join(&HEADER));
    out.push_str(eol);
    for line in lines {
        match line {
            Line::Row(idx) => out.push_str(&join(&values(idx))),
            Line::Blank => {}
            Line::Header => out.push_str(&join(&HEADER)),
            Line::Short => out.push_str(&join(&["2024", "VPR"])),
        }
        out.push_str(eol);
    }
    out
}

/// (school, year, procedure, subject, grade, n, failed, marks, sum, min, max).
type RefCell = (
    String,
    i32,
    String,
    String,
    u8,
    u64,
    u64,
    [u64; 4],
    f64,
    f64,
    f64,
);

/// Reference: per line, decide validity and aggregate; duplicates keyed by
/// (year, procedure, subject, student) in a HashMap.
#[derive(Debug, Default, PartialEq)]
struct Reference {
    bad_lines: Vec<u64>,
    duplicate_lines: Vec<u64>,
    cells: Vec<RefCell>,
}

fn reference(lines: &[Line]) -> Reference {
    let mut r = Reference::default();
    let mut seen: HashMap<(String, String, String, String), u64> = HashMap::new();
    type Acc = (u64, u64, [u64; 4], f64, f64, f64);
    let mut cells: HashMap<(String, i32, String, String, u8), Acc> = HashMap::new();
    for (i, line) in lines.iter().enumerate() {
        let no = i as u64 + 2;
        let idx = match line {
            Line::Blank | Line::Header => continue,
            Line::Short => {
                r.bad_lines.push(no);
                continue;
            }
            Line::Row(idx) => idx,
        };
        let [
            year,
            procedure,
            subject,
            grade,
            school,
            student,
            score,
            mark,
        ] = values(idx);
        let score_val: Option<f64> = score.replace(',', ".").parse().ok();
        let grade_val: Option<u8> = grade.parse().ok().filter(|g| (4..=11).contains(g));
        let valid = year.parse::<i32>().is_ok()
            && procedure != "GIA"
            && grade_val.is_some()
            && score_val.is_some()
            && match procedure {
                "EGE" => mark.is_empty() && score_val.is_some_and(|s| s <= 100.0),
                _ => matches!(mark, "2" | "3" | "4" | "5"),
            };
        if !valid {
            r.bad_lines.push(no);
            continue;
        }
        let key = (
            year.to_owned(),
            procedure.to_owned(),
            subject.to_owned(),
            student.to_owned(),
        );
        if seen.contains_key(&key) {
            r.duplicate_lines.push(no);
            continue;
        }
        seen.insert(key, no);
        let s = score_val.unwrap_or(0.0);
        let failed = match procedure {
            "EGE" => match subject {
                "ru" => s < 24.0,
                "math" => s < 27.0,
                _ => false,
            },
            _ => mark == "2",
        };
        let acc = cells
            .entry((
                school.to_owned(),
                year.parse().unwrap_or(0),
                procedure.to_owned(),
                subject.to_owned(),
                grade_val.unwrap_or(0),
            ))
            .or_insert((0, 0, [0; 4], 0.0, f64::INFINITY, f64::NEG_INFINITY));
        acc.0 += 1;
        acc.1 += u64::from(failed);
        if let Ok(m @ 2..=5) = mark.parse::<usize>() {
            acc.2[m - 2] += 1;
        }
        acc.3 += s;
        acc.4 = acc.4.min(s);
        acc.5 = acc.5.max(s);
    }
    let order = |p: &str| match p {
        "VPR" => 0,
        "OGE" => 1,
        _ => 2,
    };
    let mut cells: Vec<_> = cells.into_iter().collect();
    cells.sort_by(|a, b| {
        (&a.0.0, a.0.1, order(&a.0.2), &a.0.3, a.0.4).cmp(&(
            &b.0.0,
            b.0.1,
            order(&b.0.2),
            &b.0.3,
            b.0.4,
        ))
    });
    r.cells = cells
        .into_iter()
        .map(|((school, year, procedure, subject, grade), a)| {
            (
                school, year, procedure, subject, grade, a.0, a.1, a.2, a.3, a.4, a.5,
            )
        })
        .collect();
    r
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, ..ProptestConfig::default() })]

    #[test]
    fn parallel_equals_reference(
        lines in prop::collection::vec(line_strategy(), 1..120),
        sep in prop_oneof![Just(','), Just(';')],
        bom in any::<bool>(),
        crlf in any::<bool>(),
        quote_all in any::<bool>(),
        block_size in prop_oneof![1usize..64, 64usize..4096],
        threads in 1usize..5,
    ) {
        let text = render(&lines, sep, bom, crlf, quote_all);
        let expected = reference(&lines);
        let (_dir, path) = crate::common::write_file(text.as_bytes());

        let skip = ResultsOptions { skip_bad_rows: true, block_size, threads, ..ResultsOptions::default() };
        let strict = ResultsOptions { block_size, threads, ..ResultsOptions::default() };
        let mut all_problem_lines: Vec<u64> = expected.bad_lines.iter().chain(&expected.duplicate_lines).copied().collect();
        all_problem_lines.sort_unstable();

        match aggregate_file(&path, &skip) {
            Ok(agg) => {
                let got: Vec<_> = agg.cells.iter().map(|c| (
                    c.school_id.clone(), c.year, c.procedure.code().to_owned(), c.subject.clone(), c.grade,
                    c.participants, c.failed, [c.mark2, c.mark3, c.mark4, c.mark5],
                    c.score_sum.unwrap_or(f64::NAN), c.score_min.unwrap_or(f64::NAN), c.score_max.unwrap_or(f64::NAN),
                )).collect();
                prop_assert_eq!(&got, &expected.cells);
                prop_assert_eq!(agg.duplicates, expected.duplicate_lines.len() as u64);
                let lines: Vec<u64> = agg.skipped.iter().map(|p| p.line).collect();
                prop_assert_eq!(&lines, &all_problem_lines);
            }
            Err(ResultsError::Empty { .. }) => {
                prop_assert!(lines.iter().all(|l| matches!(l, Line::Blank | Line::Header)));
            }
            Err(e) => prop_assert!(false, "unexpected error {}", e),
        }

        match aggregate_file(&path, &strict) {
            Ok(_) => prop_assert!(all_problem_lines.is_empty()),
            Err(ResultsError::Rejected { problems, total, .. }) => {
                prop_assert_eq!(total, all_problem_lines.len() as u64);
                let lines: Vec<u64> = problems.iter().map(|p| p.line).collect();
                prop_assert_eq!(&lines, &all_problem_lines);
            }
            Err(ResultsError::Empty { .. }) => {}
            Err(e) => prop_assert!(false, "unexpected error {}", e),
        }
    }
}
