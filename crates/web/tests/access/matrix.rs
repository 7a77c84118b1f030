//! The access matrix of DESIGN.md §9: every user of the fixture × every kind of resource × read and
//! write, through the URLs and API calls people use, on every database the environment offers.
//!
//! The expected answer of each cell is written out in [`MATRIX`] (not computed by the policy), so a
//! change of `orientir_domain::access` or of a handler's check fails here until the table is
//! changed on purpose.

use axum::Router;
use axum::http::{StatusCode, header};
use orientir_store::VersionState;
use orientir_store::testing::TestDb;

use crate::support::*;

/// What is done, through which URL (built from the fixture for a [`Target`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    /// GET /regions/ID
    RegionPage,
    /// GET /municipalities/ID
    MunicipalityPage,
    /// GET /schools/ID
    SchoolCard,
    /// GET /identification (region-wide lists)
    Identification,
    /// GET /api/v1/regions/ID with the user's Bearer token
    ApiRegion,
    /// GET /api/v1/municipalities/ID/schools with the user's Bearer token
    ApiSchools,
    /// GET /api/v1/schools/ID with the user's Bearer token
    ApiSchool,
    /// GET /road-maps/ID
    RoadMapPage,
    /// GET /road-maps/ID/export/docx
    RoadMapExport,
    /// GET /road-maps/ID/execution
    ExecutionPage,
    /// GET /road-maps/ID/activities/KEY (statuses, evidence list, comments)
    ActivityPage,
    /// GET /evidence/ID
    EvidenceDownload,
    /// GET /road-maps/ID/sections/0/activities/0/edit
    EditForm,
    /// POST /road-maps/ID/sections/0/activities/0 (the edit form's submit)
    EditActivity,
    /// POST /road-maps/ID/activities/KEY/status: the executor's next status
    SetStatus,
    /// POST /road-maps/ID/activities/KEY/status: «Принять» a done activity
    Review,
    /// POST /road-maps/ID/activities/KEY/evidence: a PDF file
    AddEvidence,
    /// POST /road-maps/ID/activities/KEY/comments
    AddComment,
    /// POST /road-maps/ID/approve
    Approve,
    /// GET /users (accounts and roles)
    UsersPage,
    /// GET /schools/ID/curators (assigning curators: сопровождение)
    CuratorsPage,
    /// GET /dashboard/schools/ID (the school's tasks, with returned work and its comments)
    SchoolDashboard,
    /// GET /dashboard/municipalities/ID (filling of the municipality's schools, checkpoints)
    MunicipalityDashboard,
    /// POST /municipalities/ID/checkpoints (a monitoring date)
    AddCheckpoint,
}

impl Case {
    fn is_write(self) -> bool {
        matches!(
            self,
            Case::EditActivity
                | Case::SetStatus
                | Case::Review
                | Case::AddEvidence
                | Case::AddComment
                | Case::Approve
                | Case::AddCheckpoint
        )
    }

    fn is_api(self) -> bool {
        matches!(self, Case::ApiRegion | Case::ApiSchools | Case::ApiSchool)
    }
}

struct Row {
    case: Case,
    target: Target,
    /// One mark per user, in the order of [`Who::ALL`]: `Y` allowed, `-` refused with 403.
    expect: &'static str,
}

const fn row(case: Case, target: Target, expect: &'static str) -> Row {
    Row {
        case,
        target,
        expect,
    }
}

use Case::*;
use Target::{A, B, C, M1, M2, Region};

/// The expected answers. Columns: regional coordinator, municipal coordinator (municipality 1),
/// curator (municipality 1, assigned to school A), school lead A, reviewer (municipality 1),
/// observer (region), school lead B. Schools A and B are in municipality 1, C in municipality 2.
#[rustfmt::skip]
const MATRIX: &[Row] = &[
    //                                    Reg Mun Cur LdA Rev Obs LdB
    // Region-wide pages and the API
    row(RegionPage,       Region,         "Y   -   -   -   -   Y   -"),
    row(ApiRegion,        Region,         "Y   -   -   -   -   Y   -"),
    row(Identification,   Region,         "Y   -   -   -   -   Y   -"),
    // Municipality pages and their school lists
    row(MunicipalityPage, M1,             "Y   Y   -   -   Y   Y   -"),
    row(MunicipalityPage, M2,             "Y   -   -   -   -   Y   -"),
    row(ApiSchools,       M1,             "Y   Y   -   -   Y   Y   -"),
    row(ApiSchools,       M2,             "Y   -   -   -   -   Y   -"),
    // School cards, on a page and through the API
    row(SchoolCard,       A,              "Y   Y   Y   Y   Y   Y   -"),
    row(SchoolCard,       B,              "Y   Y   -   -   Y   Y   Y"),
    row(SchoolCard,       C,              "Y   -   -   -   -   Y   -"),
    row(ApiSchool,        A,              "Y   Y   Y   Y   Y   Y   -"),
    row(ApiSchool,        B,              "Y   Y   -   -   Y   Y   Y"),
    row(ApiSchool,        C,              "Y   -   -   -   -   Y   -"),
    // The text of road maps: everyone reads the plans above their own place
    row(RoadMapPage,      Region,         "Y   Y   Y   Y   Y   Y   Y"),
    row(RoadMapPage,      M1,             "Y   Y   Y   Y   Y   Y   Y"),
    row(RoadMapPage,      M2,             "Y   -   -   -   -   Y   -"),
    row(RoadMapPage,      A,              "Y   Y   Y   Y   Y   Y   -"),
    row(RoadMapPage,      B,              "Y   Y   -   -   Y   Y   Y"),
    row(RoadMapPage,      C,              "Y   -   -   -   -   Y   -"),
    row(RoadMapExport,    Region,         "Y   Y   Y   Y   Y   Y   Y"),
    row(RoadMapExport,    M1,             "Y   Y   Y   Y   Y   Y   Y"),
    row(RoadMapExport,    M2,             "Y   -   -   -   -   Y   -"),
    row(RoadMapExport,    A,              "Y   Y   Y   Y   Y   Y   -"),
    row(RoadMapExport,    B,              "Y   Y   -   -   Y   Y   Y"),
    row(RoadMapExport,    C,              "Y   -   -   -   -   Y   -"),
    // Execution: statuses, evidence and comments are read only inside one's own place
    row(ExecutionPage,    Region,         "Y   -   -   -   -   Y   -"),
    row(ExecutionPage,    M1,             "Y   Y   -   -   Y   Y   -"),
    row(ExecutionPage,    M2,             "Y   -   -   -   -   Y   -"),
    row(ExecutionPage,    A,              "Y   Y   Y   Y   Y   Y   -"),
    row(ExecutionPage,    B,              "Y   Y   -   -   Y   Y   Y"),
    row(ExecutionPage,    C,              "Y   -   -   -   -   Y   -"),
    row(ActivityPage,     Region,         "Y   -   -   -   -   Y   -"),
    row(ActivityPage,     M1,             "Y   Y   -   -   Y   Y   -"),
    row(ActivityPage,     M2,             "Y   -   -   -   -   Y   -"),
    row(ActivityPage,     A,              "Y   Y   Y   Y   Y   Y   -"),
    row(ActivityPage,     B,              "Y   Y   -   -   Y   Y   Y"),
    row(ActivityPage,     C,              "Y   -   -   -   -   Y   -"),
    row(EvidenceDownload, Region,         "Y   -   -   -   -   Y   -"),
    row(EvidenceDownload, M1,             "Y   Y   -   -   Y   Y   -"),
    row(EvidenceDownload, M2,             "Y   -   -   -   -   Y   -"),
    row(EvidenceDownload, A,              "Y   Y   Y   Y   Y   Y   -"),
    row(EvidenceDownload, B,              "Y   Y   -   -   Y   Y   Y"),
    row(EvidenceDownload, C,              "Y   -   -   -   -   Y   -"),
    // Changing the road map: coordinators in their area, the school and its curator
    row(EditForm,         Region,         "Y   -   -   -   -   -   -"),
    row(EditForm,         M1,             "Y   Y   -   -   -   -   -"),
    row(EditForm,         M2,             "Y   -   -   -   -   -   -"),
    row(EditForm,         A,              "Y   Y   Y   Y   -   -   -"),
    row(EditForm,         B,              "Y   Y   -   -   -   -   Y"),
    row(EditForm,         C,              "Y   -   -   -   -   -   -"),
    row(EditActivity,     Region,         "Y   -   -   -   -   -   -"),
    row(EditActivity,     M1,             "Y   Y   -   -   -   -   -"),
    row(EditActivity,     M2,             "Y   -   -   -   -   -   -"),
    row(EditActivity,     A,              "Y   Y   Y   Y   -   -   -"),
    row(EditActivity,     B,              "Y   Y   -   -   -   -   Y"),
    row(EditActivity,     C,              "Y   -   -   -   -   -   -"),
    // Marking progress and attaching evidence: the same people
    row(SetStatus,        Region,         "Y   -   -   -   -   -   -"),
    row(SetStatus,        M1,             "Y   Y   -   -   -   -   -"),
    row(SetStatus,        M2,             "Y   -   -   -   -   -   -"),
    row(SetStatus,        A,              "Y   Y   Y   Y   -   -   -"),
    row(SetStatus,        B,              "Y   Y   -   -   -   -   Y"),
    row(SetStatus,        C,              "Y   -   -   -   -   -   -"),
    row(AddEvidence,      Region,         "Y   -   -   -   -   -   -"),
    row(AddEvidence,      M1,             "Y   Y   -   -   -   -   -"),
    row(AddEvidence,      M2,             "Y   -   -   -   -   -   -"),
    row(AddEvidence,      A,              "Y   Y   Y   Y   -   -   -"),
    row(AddEvidence,      B,              "Y   Y   -   -   -   -   Y"),
    row(AddEvidence,      C,              "Y   -   -   -   -   -   -"),
    // Comments: the reviewer (эксперт) too
    row(AddComment,       Region,         "Y   -   -   -   -   -   -"),
    row(AddComment,       M1,             "Y   Y   -   -   Y   -   -"),
    row(AddComment,       M2,             "Y   -   -   -   -   -   -"),
    row(AddComment,       A,              "Y   Y   Y   Y   Y   -   -"),
    row(AddComment,       B,              "Y   Y   -   -   Y   -   Y"),
    row(AddComment,       C,              "Y   -   -   -   -   -   -"),
    // Accepting done work: coordinators and the assigned curator, never the school itself
    row(Review,           Region,         "Y   -   -   -   -   -   -"),
    row(Review,           M1,             "Y   Y   -   -   -   -   -"),
    row(Review,           M2,             "Y   -   -   -   -   -   -"),
    row(Review,           A,              "Y   Y   Y   -   -   -   -"),
    row(Review,           B,              "Y   Y   -   -   -   -   -"),
    row(Review,           C,              "Y   -   -   -   -   -   -"),
    // Approving a version: coordinators only
    row(Approve,          Region,         "Y   -   -   -   -   -   -"),
    row(Approve,          M1,             "Y   Y   -   -   -   -   -"),
    row(Approve,          M2,             "Y   -   -   -   -   -   -"),
    row(Approve,          A,              "Y   Y   -   -   -   -   -"),
    row(Approve,          B,              "Y   Y   -   -   -   -   -"),
    row(Approve,          C,              "Y   -   -   -   -   -   -"),
    // Accounts: the regional coordinator only
    row(UsersPage,        Region,         "Y   -   -   -   -   -   -"),
    // Assigning curators: coordinators only, not the curator or the school
    row(CuratorsPage,     A,              "Y   Y   -   -   -   -   -"),
    row(CuratorsPage,     B,              "Y   Y   -   -   -   -   -"),
    row(CuratorsPage,     C,              "Y   -   -   -   -   -   -"),
    // Monitoring dashboards read like execution pages
    row(SchoolDashboard,  A,              "Y   Y   Y   Y   Y   Y   -"),
    row(SchoolDashboard,  B,              "Y   Y   -   -   Y   Y   Y"),
    row(SchoolDashboard,  C,              "Y   -   -   -   -   Y   -"),
    row(MunicipalityDashboard, M1,        "Y   Y   -   -   Y   Y   -"),
    row(MunicipalityDashboard, M2,        "Y   -   -   -   -   Y   -"),
    // Monitoring dates: coordinators in their area
    row(AddCheckpoint,    M1,             "Y   Y   -   -   -   -   -"),
    row(AddCheckpoint,    M2,             "Y   -   -   -   -   -   -"),
];

/// The marks of a row, one per user.
fn marks(row: &Row) -> Vec<bool> {
    let marks: Vec<bool> = row
        .expect
        .split_whitespace()
        .map(|m| match m {
            "Y" => true,
            "-" => false,
            other => panic!("unknown mark {other} in {:?} {:?}", row.case, row.target),
        })
        .collect();
    assert_eq!(
        marks.len(),
        Who::ALL.len(),
        "{:?} {:?} has a mark per user",
        row.case,
        row.target
    );
    marks
}

fn municipality(world: &World, target: Target) -> i64 {
    match target {
        M1 => world.m1,
        M2 => world.m2,
        other => panic!("{other:?} is not a municipality"),
    }
}

fn school_id(world: &World, target: Target) -> String {
    world
        .school(target)
        .unwrap_or_else(|| panic!("{target:?} is not a school"))
        .to_string()
}

/// The URL a case addresses for a target.
fn uri(world: &World, case: Case, target: Target) -> String {
    let map = world.map(target);
    match case {
        RegionPage => format!("/regions/{}", world.region),
        ApiRegion => format!("/api/v1/regions/{}", world.region),
        Identification => "/identification".to_owned(),
        MunicipalityPage => format!("/municipalities/{}", municipality(world, target)),
        ApiSchools => format!(
            "/api/v1/municipalities/{}/schools",
            municipality(world, target)
        ),
        SchoolCard => format!("/schools/{}", school_id(world, target)),
        ApiSchool => format!("/api/v1/schools/{}", school_id(world, target)),
        RoadMapPage => map.page(),
        RoadMapExport => format!("/road-maps/{}/export/docx", map.id),
        ExecutionPage => format!("/road-maps/{}/execution", map.id),
        ActivityPage => map.work_page(),
        EvidenceDownload => format!("/evidence/{}", map.evidence),
        EditForm => format!("/road-maps/{}/sections/0/activities/0/edit", map.id),
        EditActivity => format!("/road-maps/{}/sections/0/activities/0", map.id),
        SetStatus => format!("{}/status", map.work_page()),
        Review => format!("/road-maps/{}/activities/{}/status", map.id, map.review),
        AddEvidence => format!("{}/evidence", map.work_page()),
        AddComment => format!("{}/comments", map.work_page()),
        Approve => format!("/road-maps/{}/approve", map.id),
        UsersPage => "/users".to_owned(),
        CuratorsPage => format!("/schools/{}/curators", school_id(world, target)),
        SchoolDashboard => format!("/dashboard/schools/{}", school_id(world, target)),
        MunicipalityDashboard => {
            format!("/dashboard/municipalities/{}", municipality(world, target))
        }
        AddCheckpoint => format!(
            "/municipalities/{}/checkpoints",
            municipality(world, target)
        ),
    }
}

/// The executor's next status from `current`: planned → in progress → done → in progress …
fn next_status(current: &str) -> &'static str {
    match current {
        "in_progress" => "done",
        _ => "in_progress",
    }
}

/// The number of monitoring dates of the row's municipality (0 for rows about something else).
async fn checkpoints_now(world: &World, row: &Row) -> usize {
    if row.case != AddCheckpoint {
        return 0;
    }
    let id = municipality(world, row.target);
    world
        .store
        .checkpoints_of(id)
        .await
        .expect("checkpoints")
        .len()
}

/// Sends the case as `who`; checks the answer and, for a change, what the store holds after it.
/// An `Err` says what differs from the table.
async fn check(
    world: &World,
    app: &Router,
    who: Who,
    row: &Row,
    allowed: bool,
) -> Result<(), String> {
    let store = &world.store;
    let map = world.map(row.target);
    let user = world.user(who);
    let uri = uri(world, row.case, row.target);
    let title = format!("Анализ результатов ВПР (правка {})", user.login);
    let comment = format!("Комментарий пользователя {}", user.login);
    let file_name = format!("report-{}.pdf", user.login);
    // A monitoring date of its own for each user, so no two collide.
    let position = Who::ALL.iter().position(|w| *w == who).unwrap_or_default();
    let checkpoint_date = format!("{:02}.04.2026", position + 1);

    // Work to be reviewed must be done first.
    if row.case == Review {
        let current = status_of(store, &map.review_key()).await;
        if current != "done" {
            store
                .set_status(&map.review_key(), &current, "done", None)
                .await
                .expect("mark the activity done");
        }
    }
    let sent_status = next_status(&status_of(store, &map.work_key()).await);
    let before = if row.case.is_write() {
        Some(snapshot(store, map).await)
    } else {
        None
    };
    let checkpoints_before = checkpoints_now(world, row).await;

    let request = match row.case {
        ApiRegion | ApiSchools | ApiSchool => bearer(&uri, &user.api_token),
        EditActivity => post_form(
            &uri,
            &[
                ("number", "1"),
                ("title", &title),
                ("responsible", "Иванова А.А."),
            ],
        ),
        SetStatus => post_form(
            &uri,
            &[("occurrence", ""), ("status", sent_status), ("comment", "")],
        ),
        Review => post_form(
            &uri,
            &[("occurrence", ""), ("status", "accepted"), ("comment", "")],
        ),
        AddEvidence => evidence_upload(&uri, &file_name, PDF),
        AddComment => post_form(&uri, &[("occurrence", ""), ("body", &comment)]),
        Approve => post_form(&uri, &[]),
        AddCheckpoint => post_form(
            &uri,
            &[
                ("date", &checkpoint_date),
                ("title", "Мониторинг заполнения"),
            ],
        ),
        _ => get(&uri),
    };
    let answer = if row.case.is_api() {
        send(&world.anonymous(), request).await
    } else {
        send(app, request).await
    };

    let expected = match (allowed, row.case.is_write()) {
        (false, _) => StatusCode::FORBIDDEN,
        (true, true) => StatusCode::SEE_OTHER,
        (true, false) => StatusCode::OK,
    };
    if answer.status != expected {
        return Err(format!(
            "{} {uri}: expected {expected}, got {} «{}»",
            who.login(),
            answer.status,
            answer.message()
        ));
    }
    if !allowed {
        let message = answer.message();
        if !message.contains("Недостаточно прав:") {
            return Err(format!(
                "{} {uri}: the refusal does not explain itself in Russian: «{message}»",
                who.login()
            ));
        }
        if let Some(before) = before {
            let after = snapshot(store, map).await;
            if after != before || checkpoints_before != checkpoints_now(world, row).await {
                return Err(format!(
                    "{} {uri}: refused, yet the store changed",
                    who.login()
                ));
            }
        }
        return Ok(());
    }

    // Allowed: the answer carries what was asked for, or the change is stored.
    let effect = match row.case {
        EvidenceDownload => answer.body == PDF,
        ActivityPage => answer.text().contains("Справка приложена, проверьте."),
        ApiRegion | ApiSchools | ApiSchool => answer
            .header(header::CONTENT_TYPE)
            .starts_with("application/json"),
        RoadMapExport => answer.body.starts_with(b"PK"),
        AddCheckpoint => checkpoints_now(world, row).await == checkpoints_before + 1,
        EditActivity => {
            let latest = store
                .road_map(map.id, None)
                .await
                .expect("road map")
                .expect("the road map exists");
            latest.map.sections[0].activities[0].title == title
        }
        SetStatus => status_of(store, &map.work_key()).await == sent_status,
        Review => status_of(store, &map.review_key()).await == "accepted",
        AddEvidence => store
            .evidence_of(map.id)
            .await
            .expect("evidence")
            .iter()
            .any(|e| e.file_name.as_deref() == Some(file_name.as_str())),
        AddComment => store
            .comments_of(map.id)
            .await
            .expect("comments")
            .iter()
            .any(|c| c.body == comment),
        Approve => store
            .road_map_versions(map.id)
            .await
            .expect("versions")
            .first()
            .is_some_and(|(_, state)| *state == VersionState::Approved),
        _ => answer.header(header::CONTENT_TYPE).starts_with("text/html"),
    };
    if effect {
        Ok(())
    } else {
        Err(format!(
            "{} {uri}: answered {}, but what was asked for did not happen",
            who.login(),
            answer.status
        ))
    }
}

#[tokio::test]
async fn every_role_reads_and_writes_exactly_what_the_matrix_says() {
    for db in TestDb::all().await {
        let world = World::build(&db.store).await;
        let mut failures = Vec::new();
        let mut checked = 0;
        for row in MATRIX {
            for (who, allowed) in Who::ALL.into_iter().zip(marks(row)) {
                let app = world.app_as(who);
                if let Err(failure) = check(&world, &app, who, row, allowed).await {
                    failures.push(format!("{:?} {:?}: {failure}", row.case, row.target));
                }
                checked += 1;
            }
        }
        assert_eq!(checked, MATRIX.len() * Who::ALL.len());
        assert!(
            failures.is_empty(),
            "{} of {checked} cells differ from the matrix on {}:\n{}",
            failures.len(),
            db.store.backend(),
            failures.join("\n")
        );
    }
}
