//! Duplicate pupil results and EGE thresholds.

use std::collections::BTreeMap;

use crate::common::{HEADER, opts, rejected, run};
use orientir_ingest::results::{Procedure, ResultsOptions};

#[test]
fn exact_duplicate_is_reported_with_the_first_line() {
    let text = format!(
        "{HEADER}\n2024,VPR,ru,4,S1,P1,12,3\n2024,VPR,math,4,S1,P1,12,3\n\n2024,VPR,ru,4,S1,P1,12,3\n"
    );
    let (problems, total) = rejected(&text, &opts());
    assert_eq!(total, 1);
    assert_eq!(problems[0].0, 5);
    assert!(
        problems[0]
            .1
            .contains("повтор результата обучающегося (ВПР 2024, ru)")
    );
    assert!(
        problems[0].1.contains("первый раз — строка 2"),
        "{}",
        problems[0].1
    );
}

#[test]
fn same_student_in_other_subject_year_or_procedure_is_not_a_duplicate() {
    let text = format!(
        "{HEADER}\n2024,VPR,ru,4,S1,P1,12,3\n2024,VPR,math,4,S1,P1,12,3\n2023,VPR,ru,4,S1,P1,12,3\n2024,OGE,ru,9,S1,P1,12,3\n2024,VPR,ru,4,S1,P2,12,3\n"
    );
    let agg = run(&text, &opts()).expect("no duplicates");
    assert_eq!(agg.duplicates, 0);
    assert_eq!(agg.rows, 5);
}

#[test]
fn with_skip_the_first_occurrence_counts_once() {
    // The repeat lands in another school and grade, with another score, so
    // the cell it would have touched must be recomputed (or dropped).
    let text = format!(
        "{HEADER}\n2024,VPR,ru,4,S1,P1,12,3\n2024,VPR,ru,4,S1,P2,20,5\n2024,VPR,ru,4,S1,P1,12,3\n2024,VPR,ru,5,S2,P1,2,2\n2024,VPR,ru,5,S2,P7,9,3\n2024,VPR,ru,6,S3,P1,1,2\n"
    );
    let skip = ResultsOptions {
        skip_bad_rows: true,
        threads: 3,
        block_size: 16,
        ..opts()
    };
    let agg = run(&text, &skip).expect("skipped");
    assert_eq!(agg.duplicates, 3);
    assert_eq!(agg.skipped_total, 3);
    assert_eq!(
        agg.skipped.iter().map(|p| p.line).collect::<Vec<_>>(),
        vec![4, 5, 7]
    );
    let summary: Vec<_> = agg
        .cells
        .iter()
        .map(|c| {
            (
                c.school_id.as_str(),
                c.grade,
                c.participants,
                c.failed,
                c.score_min,
                c.score_max,
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("S1", 4, 2, 0, Some(12.0), Some(20.0)),
            ("S2", 5, 1, 0, Some(9.0), Some(9.0))
        ]
    );
}

#[test]
fn many_duplicates_across_blocks_and_threads() {
    let mut text = format!("{HEADER}\n");
    for i in 0..300 {
        text.push_str(&format!(
            "2024,EGE,ru,11,S{},P{i},{},\n",
            i % 7,
            20 + i % 50
        ));
    }
    let original = text.clone();
    for i in 0..300 {
        text.push_str(&format!(
            "2024,EGE,ru,11,S{},P{i},{},\n",
            i % 7,
            20 + i % 50
        ));
    }
    for threads in [1, 2, 4] {
        let skip = ResultsOptions {
            skip_bad_rows: true,
            threads,
            block_size: 100,
            ..opts()
        };
        let agg = run(&text, &skip).expect("skipped");
        assert_eq!(agg.duplicates, 300);
        assert_eq!(agg.skipped.first().map(|p| p.line), Some(302));
        let clean = run(&original, &opts()).expect("clean");
        assert_eq!(agg.cells, clean.cells);
        let (problems, total) = rejected(
            &text,
            &ResultsOptions {
                threads,
                block_size: 100,
                ..opts()
            },
        );
        assert_eq!(total, 300);
        assert!(problems[0].1.ends_with("строка 2"), "{}", problems[0].1);
    }
}

fn ege_cell(score: &str, subject: &str, opts: &ResultsOptions) -> (u64, u64) {
    let text = format!("{HEADER}\n2024,EGE,{subject},11,S1,P1,{score},\n");
    let agg = run(&text, opts).expect("valid");
    assert_eq!(agg.cells[0].procedure, Procedure::Ege);
    (agg.cells[0].participants, agg.cells[0].failed)
}

#[test]
fn ege_thresholds() {
    let o = opts();
    assert_eq!(ege_cell("23", "ru", &o), (1, 1));
    assert_eq!(ege_cell("24", "ru", &o), (1, 0));
    assert_eq!(ege_cell("\"23,5\"", "ru", &o), (1, 1));
    assert_eq!(ege_cell("26", "math", &o), (1, 1));
    assert_eq!(ege_cell("27", "math", &o), (1, 0));
    assert_eq!(ege_cell("0", "bio", &o), (1, 0), "no minimum → never fails");
    let changed = ResultsOptions {
        ege_min: BTreeMap::from([("RU".to_owned(), 36.0), ("bio".to_owned(), 36.0)]),
        ..opts()
    };
    assert_eq!(ege_cell("30", "ru", &changed), (1, 1));
    assert_eq!(ege_cell("35", "bio", &changed), (1, 1));
    assert_eq!(ege_cell("0", "math", &changed), (1, 0));
}

#[test]
fn ege_scores_are_kept_per_cell_when_asked_for_and_exclude_skipped_repeats() {
    // S1 ru: 23.5, 24, 24, 90 (and a repeat of P2 that must not count twice);
    // S1 math: 10; the ВПР cell gets no scores.
    let text = format!(
        "{HEADER}\n2024,EGE,ru,11,S1,P1,24,\n2024,EGE,ru,11,S1,P2,\"23,5\",\n2024,VPR,ru,4,S1,P3,12,3\n\
         2024,EGE,ru,11,S1,P4,90,\n2024,EGE,math,11,S1,P1,10,\n2024,EGE,ru,11,S1,P5,24,\n2024,EGE,ru,11,S1,P2,23.5,\n"
    );
    let plain = run(
        &text,
        &ResultsOptions {
            skip_bad_rows: true,
            ..opts()
        },
    )
    .expect("valid");
    assert!(
        plain.cells.iter().all(|c| c.ege_scores.is_none()),
        "off by default"
    );
    for threads in [1, 3] {
        let asked = ResultsOptions {
            skip_bad_rows: true,
            ege_scores: true,
            threads,
            block_size: 16,
            ..opts()
        };
        let agg = run(&text, &asked).expect("valid");
        assert_eq!(agg.duplicates, 1);
        let scores = |procedure, subject: &str| {
            agg.cells
                .iter()
                .find(|c| c.procedure == procedure && c.subject == subject)
                .map(|c| c.ege_scores.clone())
        };
        assert_eq!(
            scores(Procedure::Ege, "ru"),
            Some(Some(vec![(23.5, 1), (24.0, 2), (90.0, 1)])),
            "threads {threads}"
        );
        assert_eq!(scores(Procedure::Ege, "math"), Some(Some(vec![(10.0, 1)])));
        assert_eq!(scores(Procedure::Vpr, "ru"), Some(None));
    }
}

#[test]
fn vpr_and_oge_fail_on_mark_two() {
    let text = format!("{HEADER}\n2024,OGE,ru,9,S1,P1,30,2\n2024,OGE,ru,9,S1,P2,3,3\n");
    let agg = run(&text, &opts()).expect("valid");
    let c = &agg.cells[0];
    assert_eq!((c.participants, c.failed, c.mark2, c.mark3), (2, 1, 1, 1));
}

#[test]
fn progress_reports_all_bytes() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};
    let mut text = format!("{HEADER}\n");
    for i in 0..1000 {
        text.push_str(&format!("2024,VPR,ru,4,S1,P{i},12,3\n"));
    }
    let seen = Arc::new(AtomicU64::new(0));
    let s2 = seen.clone();
    let o = ResultsOptions {
        block_size: 512,
        progress: Some(Box::new(move |done, total| {
            assert!(done <= total);
            s2.fetch_max(done, Ordering::Relaxed);
        })),
        ..opts()
    };
    run(&text, &o).expect("valid");
    assert_eq!(
        seen.load(Ordering::Relaxed),
        (text.len() - HEADER.len() - 1) as u64
    );
}
