//! Export to DOCX, import back: the structure survives.

use orientir_domain::roadmap::RoadMap;
use orientir_ingest::roadmap::{import_docx, import_text};
use orientir_report::{Approval, road_map_docx};

use crate::common::{SEEDS, seed, small_map};

/// Sections with their activities' number, title, period text and responsible list.
type Shape = Vec<(
    String,
    Vec<(Option<String>, String, Option<String>, Vec<String>)>,
)>;

fn shape(map: &RoadMap) -> Shape {
    map.sections
        .iter()
        .map(|s| {
            let activities = s
                .activities
                .iter()
                .map(|a| {
                    (
                        a.number.clone(),
                        a.title.clone(),
                        a.period.as_ref().map(|p| p.text.clone()),
                        a.responsible.clone(),
                    )
                })
                .collect();
            (s.title.clone(), activities)
        })
        .collect()
}

fn through_docx(map: &RoadMap) -> RoadMap {
    let bytes = road_map_docx(map, &Approval::default()).expect("DOCX written");
    let (back, report) = import_docx(&bytes).expect("DOCX imports");
    for warning in &report.warnings {
        eprintln!(
            "warning on re-import: {}: {}",
            warning.line, warning.message
        );
    }
    back
}

#[test]
fn seeds_round_trip() {
    for name in SEEDS {
        let Some(text) = seed(name) else {
            return;
        };
        let (map, _) = import_text(&text).expect("seed imports");
        assert!(map.activities().count() > 0, "{name}: activities");
        let back = through_docx(&map);
        let (before, after) = (shape(&map), shape(&back));
        assert_eq!(
            before.iter().map(|s| &s.0).collect::<Vec<_>>(),
            after.iter().map(|s| &s.0).collect::<Vec<_>>(),
            "{name}: section titles"
        );
        for ((title, a), (_, b)) in before.iter().zip(&after) {
            assert_eq!(a.len(), b.len(), "{name}: activities in section «{title}»");
            for (x, y) in a.iter().zip(b) {
                assert_eq!(x, y, "{name}: section «{title}»");
            }
        }
        assert_eq!(map.title, back.title, "{name}: title");
        assert_eq!(map.goals, back.goals, "{name}: goals");
        assert_eq!(map.tasks, back.tasks, "{name}: tasks");
        assert_eq!(
            map.expected_results, back.expected_results,
            "{name}: expected results"
        );
    }
}

#[test]
fn escaped_characters_round_trip_exactly() {
    let map = small_map();
    let back = through_docx(&map);
    assert_eq!(shape(&map), shape(&back));
    assert_eq!(map.title, back.title);
    assert_eq!(map.goals, back.goals);
    assert_eq!(map.tasks, back.tasks);
    for (a, b) in map.activities().zip(back.activities()) {
        assert_eq!(a.output, b.output);
        assert_eq!(a.indicator, b.indicator);
        assert_eq!(a.publicity, b.publicity);
        assert_eq!(a.external_help, b.external_help);
    }
    let order = back.order.expect("the approval block is read as an order");
    assert_eq!(order.number.as_deref(), Some("№ 01-04-181"));
    assert_eq!(order.date, map.order.and_then(|o| o.date));
}
