#![allow(dead_code)]

//! A fixed small region: region 1 with municipalities 10 (schools s11, s12) and 20 (s21, s22),
//! and a neighbouring region 2 with municipality 30 (school s31).

use orientir_domain::access::{Grant, Place, Principal};
use orientir_domain::registry::{Role, SchoolId};

pub fn school_id(id: &str) -> SchoolId {
    SchoolId::parse(id).expect("test school id")
}

pub fn r1() -> Place {
    Place::region(1)
}
pub fn m10() -> Place {
    Place::municipality(1, 10)
}
pub fn m20() -> Place {
    Place::municipality(1, 20)
}
pub fn s11() -> Place {
    Place::school(1, 10, school_id("s11"))
}
pub fn s12() -> Place {
    Place::school(1, 10, school_id("s12"))
}
pub fn s21() -> Place {
    Place::school(1, 20, school_id("s21"))
}
pub fn s22() -> Place {
    Place::school(1, 20, school_id("s22"))
}
pub fn r2() -> Place {
    Place::region(2)
}
pub fn m30() -> Place {
    Place::municipality(2, 30)
}
pub fn s31() -> Place {
    Place::school(2, 30, school_id("s31"))
}

pub fn grant(role: Role, place: Place) -> Grant {
    Grant { role, place }
}

pub fn principal(grants: Vec<Grant>) -> Principal {
    Principal {
        user_id: 1,
        login: "test".to_owned(),
        grants,
    }
}

/// The principals of the matrix: one per role, each at home in region 1.
pub fn regional() -> Principal {
    principal(vec![grant(Role::RegionalCoordinator, r1())])
}
pub fn municipal() -> Principal {
    principal(vec![grant(Role::MunicipalCoordinator, m10())])
}
/// A curator of municipality 10 assigned to school s11 only.
pub fn curator() -> Principal {
    principal(vec![
        grant(Role::Curator, m10()),
        grant(Role::Curator, s11()),
    ])
}
pub fn school_lead() -> Principal {
    principal(vec![grant(Role::SchoolLead, s11())])
}
pub fn reviewer() -> Principal {
    principal(vec![grant(Role::Reviewer, m10())])
}
pub fn observer() -> Principal {
    principal(vec![grant(Role::Observer, m10())])
}
