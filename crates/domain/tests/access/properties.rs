//! Properties of the check over arbitrary grants and places.

use crate::common::{grant, principal, school_id};
use orientir_domain::access::{Action, Grant, Place, Resource, allows};
use orientir_domain::registry::Role;
use proptest::prelude::*;
use proptest::sample::select;

/// Places of a small world: regions 1–3, municipalities 1–3, schools a–c.
fn place() -> impl Strategy<Value = Place> {
    (
        1..=3i64,
        0..=3i64,
        proptest::option::of(select(&["a", "b", "c"][..])),
    )
        .prop_map(
            |(region, municipality, school)| match (municipality, school) {
                (0, _) => Place::region(region),
                (m, None) => Place::municipality(region, m),
                (m, Some(s)) => Place::school(region, m, school_id(s)),
            },
        )
}

fn any_grant() -> impl Strategy<Value = Grant> {
    (select(&Role::ALL[..]), place()).prop_map(|(role, place)| grant(role, place))
}

fn action() -> impl Strategy<Value = Action> {
    select(&Action::ALL[..])
}

fn resource() -> impl Strategy<Value = Resource> {
    select(&Resource::ALL[..])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn adding_a_grant_never_removes_a_permission(
        grants in proptest::collection::vec(any_grant(), 0..4),
        extra in any_grant(),
        action in action(),
        resource in resource(),
        place in place(),
    ) {
        let before = principal(grants.clone());
        let mut after = principal(grants);
        after.grants.push(extra);
        prop_assert!(!allows(&before, action, resource, &place) || allows(&after, action, resource, &place));
    }

    #[test]
    fn no_grant_reaches_into_another_region(
        grants in proptest::collection::vec(any_grant(), 1..4),
        place in place(),
    ) {
        let foreign: Vec<Grant> = grants
            .into_iter()
            .filter(|grant| grant.place.region_id() != place.region_id())
            .collect();
        let foreigner = principal(foreign.clone());
        for grant in &foreign {
            prop_assert!(!grant.place.contains(&place));
        }
        for action in Action::ALL {
            for resource in Resource::ALL {
                prop_assert!(!allows(&foreigner, action, resource, &place));
            }
        }
    }

    #[test]
    fn a_permission_comes_from_a_grant_of_the_same_region(
        grants in proptest::collection::vec(any_grant(), 0..4),
        action in action(),
        resource in resource(),
        place in place(),
    ) {
        let who = principal(grants);
        if allows(&who, action, resource, &place) {
            prop_assert!(who.grants.iter().any(|grant| grant.place.region_id() == place.region_id()));
        }
    }
}
