//! ЕГЭ failures recounted from a stored score distribution: the same count as judging every pupil
//! ([`fails`] through [`cell_from_pupils`]), for the shipped minimum scores and any other.

use orientir_domain::identify::{Procedure, RuleConfig, cell_from_pupils, failed_below};
use proptest::prelude::*;

use crate::common::Y;

/// A cell's distribution as an import keeps it: distinct scores ascending, each with its pupils.
fn distribution(scores: &[f64]) -> Vec<(f64, u64)> {
    let mut sorted = scores.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mut out: Vec<(f64, u64)> = Vec::new();
    for score in sorted {
        match out.last_mut() {
            Some((last, pupils)) if *last == score => *pupils += 1,
            _ => out.push((score, 1)),
        }
    }
    out
}

/// ЕГЭ test scores 0..100 in half points, so that many pupils share a score and the shipped
/// minimums (24, 27) and the half point below them occur.
fn scores() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec((0u32..=200).prop_map(|half| f64::from(half) / 2.0), 0..60)
}

proptest! {
    #[test]
    fn with_the_shipped_minimums_the_recount_is_the_imports_count(
        pupils in scores(),
        subject in prop::sample::select(vec!["ru", "math", "bio"]),
    ) {
        let rule = RuleConfig::default();
        let rows: Vec<(Option<u8>, Option<f64>)> = pupils.iter().map(|s| (None, Some(*s))).collect();
        let imported = cell_from_pupils("a", Y, Procedure::Ege, subject, 11, &rows, &rule);
        let recounted = failed_below(
            &distribution(&pupils),
            rule.ege_min_score.get(subject).copied(),
        );
        prop_assert_eq!(recounted, u64::from(imported.failed));
        prop_assert_eq!(rule.ege_failed(subject, &distribution(&pupils)), recounted);
    }

    #[test]
    fn every_pupil_below_the_minimum_is_counted_once(
        pupils in scores(),
        min_half in 0u32..=202,
    ) {
        let min = f64::from(min_half) / 2.0;
        let below = pupils.iter().filter(|s| **s < min).count() as u64;
        let dist = distribution(&pupils);
        prop_assert_eq!(failed_below(&dist, Some(min)), below);
        // Failed and passed pupils make up the cell.
        let passed: u64 = dist.iter().filter(|(s, _)| *s >= min).map(|(_, n)| n).sum();
        prop_assert_eq!(below + passed, pupils.len() as u64);
        // A custom rule counts the same as judging each pupil with it.
        let mut rule = RuleConfig::default();
        rule.ege_min_score.insert("ru".into(), min);
        let rows: Vec<(Option<u8>, Option<f64>)> = pupils.iter().map(|s| (None, Some(*s))).collect();
        let judged = cell_from_pupils("a", Y, Procedure::Ege, "ru", 11, &rows, &rule);
        prop_assert_eq!(u64::from(judged.failed), below);
        // Without a minimum no pupil fails.
        prop_assert_eq!(failed_below(&dist, None), 0);
    }

    #[test]
    fn a_score_exactly_at_the_minimum_passes(pupils in scores(), at in 0u32..=200) {
        let min = f64::from(at) / 2.0;
        let mut with_min = pupils.clone();
        with_min.push(min);
        with_min.push(min);
        let dist = distribution(&with_min);
        let strictly_below = pupils.iter().filter(|s| **s < min).count() as u64;
        prop_assert_eq!(failed_below(&dist, Some(min)), strictly_below);
        // Raised by a hair, the minimum catches the pupils at the old minimum too.
        let at_min = with_min.iter().filter(|s| **s == min).count() as u64;
        prop_assert_eq!(failed_below(&dist, Some(min + 0.25)), strictly_below + at_min);
    }
}

#[test]
fn the_shipped_minimums_at_their_edges() {
    let dist = distribution(&[23.5, 24.0, 24.0, 26.5, 27.0, 90.0]);
    let rule = RuleConfig::default();
    assert_eq!(rule.ege_failed("ru", &dist), 1, "24 passes Russian");
    assert_eq!(rule.ege_failed("math", &dist), 4, "27 passes maths");
    assert_eq!(rule.ege_failed("phys", &dist), 0, "no minimum, no failure");
}
