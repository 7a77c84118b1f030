//! ШНСУ: schools in difficult social conditions.
//!
//! Index = Σ weight · share over the six social factors. A factor with a
//! zero weight is not used; a school with an unknown (or invalid: not in
//! 0..=1) share of a used factor is reported as lacking data and not ranked.
//! The top `ceil(n · top_share)` ranked schools are listed, with every school
//! tied with the last one at the boundary included. Independent of ШНОР.

use std::collections::HashSet;

use super::config::RuleConfig;
use super::explain;
use super::model::{SchoolContext, SocialDecision};

/// Result of the social-risk ranking.
pub(crate) struct SocialOutcome {
    /// Listed schools, sorted by id.
    pub listed: Vec<SocialDecision>,
    /// Schools without enough data, sorted by id.
    pub insufficient: Vec<String>,
}

/// Composite index of a school, or `None` when a used share is unknown.
pub(crate) fn index(school: &SchoolContext, rule: &RuleConfig) -> Option<f64> {
    let weights = rule.social_risk.weights.as_array();
    let mut sum = 0.0;
    for (weight, share) in weights.iter().zip(school.social.iter()) {
        if *weight == 0.0 {
            continue;
        }
        match share {
            Some(share) if (0.0..=1.0).contains(share) => sum += weight * share,
            _ => return None,
        }
    }
    Some(sum)
}

/// Ranks schools and lists the top share. Duplicate ids count once (the
/// first occurrence). O(n log n).
pub(crate) fn evaluate(schools: &[SchoolContext], rule: &RuleConfig) -> SocialOutcome {
    let mut seen = HashSet::new();
    let mut ranked: Vec<(f64, &str)> = Vec::new();
    let mut insufficient = Vec::new();
    for school in schools {
        if !seen.insert(school.school_id.as_str()) {
            continue;
        }
        match index(school, rule) {
            Some(value) => ranked.push((value, school.school_id.as_str())),
            None => insufficient.push(school.school_id.clone()),
        }
    }
    insufficient.sort();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));

    let total = ranked.len();
    let top = rule.top_share();
    let take = top.ceil_of(total).min(total);
    let mut listed = Vec::new();
    if take > 0 {
        let boundary = ranked[take - 1].0;
        let mut rank = 0;
        let mut previous: Option<f64> = None;
        for (position, (value, id)) in ranked.iter().enumerate() {
            if value.total_cmp(&boundary).is_lt() {
                break;
            }
            // Competition ranking: tied schools share a rank.
            if previous.is_none_or(|p| p.total_cmp(value).is_ne()) {
                rank = position + 1;
                previous = Some(*value);
            }
            let explanation = format!(
                "ШНСУ: индекс социального риска {} — место {} из {} школ с полными данными; \
                 в список входят первые {} школ ({}) и все школы с равным индексом на границе",
                explain::index_text(*value),
                rank,
                total,
                explain::share_percent(top),
                take,
            );
            listed.push(SocialDecision {
                school_id: (*id).to_string(),
                index: *value,
                rank,
                ranked_schools: total,
                explanation,
            });
        }
    }
    listed.sort_by(|a, b| a.school_id.cmp(&b.school_id));
    SocialOutcome {
        listed,
        insufficient,
    }
}
