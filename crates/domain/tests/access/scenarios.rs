//! Named cases of the matrix and the behaviours around it.

use crate::common::{
    curator, grant, m10, m20, m30, municipal, principal, r1, r2, regional, s11, s12, s21, s22, s31,
    school_lead,
};
use orientir_domain::DomainError;
use orientir_domain::access::{Action, Denied, Place, Resource, allows, check};
use orientir_domain::registry::Role;

const SCHOOL_WORK: [Resource; 4] = [
    Resource::RoadMap,
    Resource::Evidence,
    Resource::Comment,
    Resource::Progress,
];

#[test]
fn a_school_lead_works_only_on_their_own_school() {
    let lead = school_lead();
    for resource in SCHOOL_WORK {
        for action in [Action::Read, Action::Write] {
            assert!(
                allows(&lead, action, resource, &s11()),
                "{action:?} {resource:?}"
            );
            for other in [s12(), s21(), s22(), s31()] {
                assert!(
                    !allows(&lead, action, resource, &other),
                    "{action:?} {resource:?} {other}"
                );
            }
        }
        assert!(!allows(&lead, Action::Review, resource, &s11()));
        assert!(!allows(&lead, Action::Approve, resource, &s11()));
    }
}

#[test]
fn a_school_lead_reads_the_plans_above_but_does_not_change_them() {
    let lead = school_lead();
    for place in [m10(), r1()] {
        assert!(allows(&lead, Action::Read, Resource::RoadMap, &place));
        assert!(!allows(&lead, Action::Write, Resource::RoadMap, &place));
        assert!(!allows(&lead, Action::Read, Resource::Overview, &place));
        assert!(!allows(&lead, Action::Read, Resource::Progress, &place));
    }
    assert!(!allows(&lead, Action::Read, Resource::RoadMap, &m20()));
    assert!(!allows(&lead, Action::Read, Resource::RoadMap, &r2()));
}

#[test]
fn a_curator_sees_only_the_assigned_schools_wherever_they_are() {
    let mut curator = curator();
    curator.grants.push(grant(Role::Curator, s21()));
    for assigned in [s11(), s21()] {
        assert!(allows(
            &curator,
            Action::Review,
            Resource::Progress,
            &assigned
        ));
        assert!(allows(
            &curator,
            Action::Write,
            Resource::Curation,
            &assigned
        ));
        assert!(!allows(
            &curator,
            Action::Approve,
            Resource::RoadMap,
            &assigned
        ));
    }
    for not_assigned in [s12(), s22(), s31()] {
        for resource in Resource::ALL {
            for action in Action::ALL {
                assert!(
                    !allows(&curator, action, resource, &not_assigned),
                    "{action:?} {resource:?} {not_assigned}"
                );
            }
        }
    }
}

#[test]
fn a_curator_without_assignments_reads_only_the_municipal_and_regional_road_maps() {
    let curator = principal(vec![grant(Role::Curator, m10())]);
    assert!(allows(&curator, Action::Read, Resource::RoadMap, &m10()));
    assert!(allows(&curator, Action::Read, Resource::RoadMap, &r1()));
    assert!(!allows(&curator, Action::Write, Resource::RoadMap, &m10()));
    assert!(!allows(&curator, Action::Read, Resource::Overview, &m10()));
    assert!(!allows(&curator, Action::Read, Resource::RoadMap, &s11()));
}

#[test]
fn a_municipal_coordinator_stays_in_their_municipality() {
    let coordinator = municipal();
    assert!(allows(
        &coordinator,
        Action::Approve,
        Resource::RoadMap,
        &s12()
    ));
    assert!(allows(
        &coordinator,
        Action::Write,
        Resource::Curation,
        &m10()
    ));
    for other in [m20(), s21(), s22(), m30(), s31()] {
        for resource in Resource::ALL {
            assert!(
                !allows(&coordinator, Action::Read, resource, &other),
                "{resource:?} {other}"
            );
        }
    }
    assert!(!allows(
        &coordinator,
        Action::Write,
        Resource::Identification,
        &m10()
    ));
    assert!(!allows(&coordinator, Action::Read, Resource::Users, &m10()));
}

#[test]
fn a_regional_coordinator_does_everything_in_the_region_and_nothing_outside() {
    let coordinator = regional();
    for place in [r1(), m10(), m20(), s11(), s22()] {
        for resource in Resource::ALL {
            for action in Action::ALL {
                assert!(allows(&coordinator, action, resource, &place));
            }
        }
    }
    for place in [r2(), m30(), s31()] {
        for resource in Resource::ALL {
            for action in Action::ALL {
                assert!(!allows(&coordinator, action, resource, &place));
            }
        }
    }
}

#[test]
fn accounts_and_identification_need_a_region_wide_regional_grant() {
    let narrowed = principal(vec![grant(Role::RegionalCoordinator, m10())]);
    assert!(allows(
        &narrowed,
        Action::Approve,
        Resource::RoadMap,
        &m10()
    ));
    for resource in [Resource::Users, Resource::Identification] {
        for action in Action::ALL {
            assert!(
                !allows(&narrowed, action, resource, &m10()),
                "{action:?} {resource:?}"
            );
            assert!(
                !allows(&narrowed, action, resource, &s11()),
                "{action:?} {resource:?}"
            );
        }
    }
}

#[test]
fn nobody_without_grants_can_do_anything() {
    let nobody = principal(Vec::new());
    for place in [r1(), m10(), s11()] {
        for resource in Resource::ALL {
            for action in Action::ALL {
                assert!(!allows(&nobody, action, resource, &place));
            }
        }
    }
}

#[test]
fn a_refusal_is_explained_in_russian() {
    let denied = check(&school_lead(), Action::Write, Resource::RoadMap, &s12())
        .expect_err("another school");
    assert_eq!(
        denied,
        Denied {
            action: Action::Write,
            resource: Resource::RoadMap,
            place: s12(),
        }
    );
    let message =
        "Недостаточно прав: изменение дорожной карты (регион 1, муниципалитет 10, школа s12)";
    assert_eq!(denied.to_string(), message);
    assert_eq!(DomainError::from(denied).to_string(), message);
    assert_eq!(
        check(&municipal(), Action::Read, Resource::Users, &m10())
            .expect_err("accounts")
            .to_string(),
        "Недостаточно прав: просмотр пользователей и ролей (регион 1, муниципалитет 10)"
    );
    assert_eq!(
        check(&school_lead(), Action::Write, Resource::RoadMap, &s11()),
        Ok(())
    );
}

#[test]
fn places_nest_region_municipality_school() {
    assert!(r1().contains(&s11()));
    assert!(m10().contains(&s12()));
    assert!(m10().contains(&m10()));
    assert!(!m10().contains(&r1()));
    assert!(!m10().contains(&s21()));
    assert!(!s11().contains(&s12()));
    assert!(!s11().contains(&m10()));
    assert!(!r1().contains(&s31()));
    let place = s11();
    assert_eq!(
        (
            place.region_id(),
            place.municipality_id(),
            place.school_id().map(|s| s.as_str())
        ),
        (1, Some(10), Some("s11"))
    );
    assert_eq!(Place::region(7).to_string(), "регион 7");
}
