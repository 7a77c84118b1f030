//! ЕГЭ failures recounted from a cell's score distribution, so that cells stored once can be
//! judged by any rule's minimum scores (`[ege_min_score]`).

use super::config::RuleConfig;

/// How many pupils of a ЕГЭ score distribution fail the minimum score `min`: those whose score is
/// below it; a score exactly at the minimum passes. A subject without a minimum (`min` = `None`)
/// never fails — the semantics of [`super::fails`].
///
/// `scores` are (score, pupils) pairs as a cell keeps them (ascending, distinct scores); their
/// order does not change the count. The sum saturates rather than wraps.
pub fn failed_below(scores: &[(f64, u64)], min: Option<f64>) -> u64 {
    let Some(min) = min else {
        return 0;
    };
    scores
        .iter()
        .filter(|(score, _)| *score < min)
        .fold(0u64, |sum, (_, pupils)| sum.saturating_add(*pupils))
}

impl RuleConfig {
    /// Pupils of a ЕГЭ cell in `subject` with the distribution `scores` who fail this rule's
    /// minimum score for the subject ([`failed_below`]).
    pub fn ege_failed(&self, subject: &str, scores: &[(f64, u64)]) -> u64 {
        failed_below(scores, self.ege_min_score.get(subject).copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCORES: [(f64, u64); 5] = [(10.0, 1), (23.5, 2), (24.0, 4), (26.9, 3), (80.0, 12)];

    #[test]
    fn below_the_minimum_fails_and_exactly_at_it_passes() {
        assert_eq!(failed_below(&SCORES, Some(24.0)), 3);
        assert_eq!(failed_below(&SCORES, Some(24.000_001)), 7);
        assert_eq!(failed_below(&SCORES, Some(27.0)), 10);
        assert_eq!(failed_below(&SCORES, Some(10.0)), 0);
        assert_eq!(failed_below(&SCORES, Some(100.0)), 22);
        assert_eq!(failed_below(&SCORES, Some(0.0)), 0);
    }

    #[test]
    fn no_minimum_never_fails() {
        assert_eq!(failed_below(&SCORES, None), 0);
        assert_eq!(failed_below(&[], Some(24.0)), 0);
    }

    #[test]
    fn the_rule_picks_the_subjects_minimum() {
        let rule = RuleConfig::default();
        assert_eq!(rule.ege_failed("ru", &SCORES), 3);
        assert_eq!(rule.ege_failed("math", &SCORES), 10);
        assert_eq!(rule.ege_failed("bio", &SCORES), 0);
    }

    #[test]
    fn counts_saturate() {
        assert_eq!(
            failed_below(&[(1.0, u64::MAX), (2.0, 5)], Some(50.0)),
            u64::MAX
        );
    }
}
