//! `ResultsOptions::cells`: only the chosen cells are aggregated, every row is still checked.

use crate::common::{HEADER, opts, rejected, run};
use orientir_ingest::results::{CellFilter, ResultsOptions};

fn only_ru_2024() -> ResultsOptions {
    ResultsOptions {
        cells: CellFilter {
            subjects: Some(["ru".to_owned()].into()),
            years: Some(2024..=2024),
        },
        ..opts()
    }
}

#[test]
fn filtered_cells_are_the_same_as_the_unfiltered_ones() {
    let text = format!(
        "{HEADER}\n\
         2024,VPR,RU,4,S1,P1,12,3\n\
         2024,VPR,math,4,S1,P1,9,2\n\
         2023,VPR,ru,4,S1,P2,8,2\n\
         2024,VPR,ru,5,S2,P3,14,4\n\
         2024,EGE,ru,11,S2,P4,23.5,\n\
         2024,EGE,inf,11,S2,P4,40,\n"
    );
    let all = run(&text, &opts()).expect("valid file");
    let some = run(&text, &only_ru_2024()).expect("valid file");
    let expected: Vec<_> = all
        .cells
        .iter()
        .filter(|c| c.subject == "ru" && c.year == 2024)
        .cloned()
        .collect();
    assert_eq!(expected.len(), 3);
    assert_eq!(some.cells, expected);
    assert_eq!(some.rows, all.rows);
}

#[test]
fn rows_outside_the_filter_are_still_checked() {
    let text = format!(
        "{HEADER}\n\
         2024,VPR,ru,4,S1,P1,12,3\n\
         2023,VPR,math,4,S1,P1,9,7\n\
         2022,VPR,bio,4,S1,P1,9,3\n\
         2022,VPR,bio,4,S1,P1,9,3\n"
    );
    let (problems, total) = rejected(&text, &only_ru_2024());
    assert_eq!(total, 2, "{problems:?}");
    assert_eq!(problems[0].0, 3);
    assert!(problems[0].1.contains("отметка 7"), "{}", problems[0].1);
    assert_eq!(problems[1].0, 5);
    assert!(problems[1].1.contains("повтор"), "{}", problems[1].1);
}
