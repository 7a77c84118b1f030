//! The storage story, run on SQLite and (when configured) on PostgreSQL with the same assertions.

use chrono::NaiveDate;
use orientir_domain::demo::demo_region;
use orientir_domain::registry::{
    Locality, PersonDraft, Role, SchoolId, SchoolKind, SchoolRecord, SchoolYear, Scope,
    SocialContext, StatusDecision, StatusDecisionRecord, StatusKind, StatusSource,
};
use orientir_store::{SchoolFilter, SchoolSort, Store, StoreError};

fn school(
    id: &str,
    name: &str,
    municipality: &str,
    locality: Locality,
    kind: &str,
    students: u32,
) -> SchoolRecord {
    SchoolRecord {
        id: SchoolId::parse(id).expect("valid id"),
        name: name.to_owned(),
        region: "Тестовая область".to_owned(),
        municipality: municipality.to_owned(),
        locality,
        kind: SchoolKind::parse(kind).expect("valid kind"),
        students,
        social: SocialContext::default(),
    }
}

fn sample() -> Vec<SchoolRecord> {
    vec![
        school(
            "1001",
            "МБОУ СОШ № 10",
            "Город А",
            Locality::City,
            "СОШ",
            800,
        ),
        school(
            "1002",
            "МБОУ СОШ № 2",
            "Город А",
            Locality::City,
            "СОШ",
            650,
        ),
        school(
            "1003",
            "Ёлкинская ООШ",
            "Город А",
            Locality::Village,
            "ООШ",
            40,
        ),
        school(
            "1004",
            "Гимназия № 1",
            "Город А",
            Locality::City,
            "Гимназия",
            900,
        ),
        school(
            "2001",
            "Яровая СОШ",
            "Район Б",
            Locality::Village,
            "СОШ",
            120,
        ),
    ]
}

fn year(y: i32) -> SchoolYear {
    SchoolYear::new(y).expect("valid year")
}

fn by_rule(id: &str, y: i32, status: StatusKind) -> StatusDecisionRecord {
    StatusDecisionRecord {
        school_id: SchoolId::parse(id).expect("valid id"),
        year: year(y),
        status,
        decision: StatusDecision::Assigned,
        source: StatusSource::RuleRun {
            rule_version: "2024.1".to_owned(),
        },
        note: None,
    }
}

async fn municipality_id(store: &Store, name: &str) -> i64 {
    let region = &store.regions().await.expect("regions")[0];
    store
        .municipality_overview(region.id, None)
        .await
        .expect("overview")
        .into_iter()
        .find(|m| m.name == name)
        .map(|m| m.id)
        .expect("municipality exists")
}

fn filter(municipality_id: i64) -> SchoolFilter {
    SchoolFilter {
        municipality_id,
        year: Some(year(2024)),
        status: None,
        locality: None,
        kind: None,
        sort: SchoolSort::Name,
        descending: false,
    }
}

async fn a_new_database_is_empty(store: &Store) {
    assert!(store.is_empty().await.expect("count"));
    assert!(store.regions().await.expect("regions").is_empty());
    assert!(store.years().await.expect("years").is_empty());
}

async fn migrations_are_idempotent(store: &Store) {
    store
        .migrate()
        .await
        .expect("second migration run is a no-op");
    assert!(store.is_empty().await.expect("count"));
}

async fn import_creates_then_updates_by_school_id(store: &Store) {
    let summary = store.import_schools(&sample()).await.expect("import");
    assert_eq!(summary.schools_created, 5);
    assert_eq!(summary.schools_updated, 0);
    assert_eq!(summary.regions_created, 1);
    assert_eq!(summary.municipalities_created, 2);

    let mut changed = sample();
    changed[0].name = "МБОУ «СОШ № 10 имени Героев»".to_owned();
    changed[0].students = 815;
    changed.push(school(
        "2002",
        "Новая НОШ",
        "Район Б",
        Locality::Village,
        "НОШ",
        15,
    ));
    let summary = store.import_schools(&changed).await.expect("second import");
    assert_eq!(summary.schools_created, 1);
    assert_eq!(summary.schools_updated, 5);
    assert_eq!(summary.municipalities_created, 0);

    let card = store
        .school(&SchoolId::parse("1001").expect("id"))
        .await
        .expect("query")
        .expect("school exists");
    assert_eq!(card.name, "МБОУ «СОШ № 10 имени Героев»");
    assert_eq!(card.students, 815);
    assert_eq!(card.municipality_name, "Город А");
    assert_eq!(card.region_name, "Тестовая область");
}

async fn a_failing_import_writes_nothing(store: &Store) {
    let mut schools = sample();
    // A value the domain would never produce; the database's own check rejects it mid-import.
    schools[4].social.low_income = Some(2.0);
    let result = store.import_schools(&schools).await;
    assert!(result.is_err(), "import with a bad row must fail");
    assert!(
        store.is_empty().await.expect("count"),
        "no school was written"
    );
    assert!(
        store.regions().await.expect("regions").is_empty(),
        "no region was written"
    );
}

async fn schools_filter_and_sort(store: &Store) {
    store.import_schools(&sample()).await.expect("import");
    store
        .record_statuses(&[
            by_rule("1001", 2024, StatusKind::LowResults),
            by_rule("1003", 2024, StatusKind::LowResults),
            by_rule("1003", 2023, StatusKind::Declining),
            by_rule("1004", 2024, StatusKind::Mentor),
        ])
        .await
        .expect("statuses");
    let town = municipality_id(store, "Город А").await;

    let names =
        |rows: Vec<orientir_store::SchoolRow>| rows.into_iter().map(|r| r.name).collect::<Vec<_>>();
    let all = store.schools(&filter(town)).await.expect("schools");
    assert_eq!(
        names(all.clone()),
        [
            "Гимназия № 1",
            "Ёлкинская ООШ",
            "МБОУ СОШ № 2",
            "МБОУ СОШ № 10"
        ],
        "Russian order: «Ё» with «Е», numbers numerically"
    );
    let elkino = all.iter().find(|r| r.id.as_str() == "1003").expect("row");
    assert_eq!(
        elkino.statuses,
        [StatusKind::LowResults],
        "only 2024 statuses"
    );

    let low = SchoolFilter {
        status: Some(StatusKind::LowResults),
        ..filter(town)
    };
    assert_eq!(
        names(store.schools(&low).await.expect("q")),
        ["Ёлкинская ООШ", "МБОУ СОШ № 10"]
    );

    let village = SchoolFilter {
        locality: Some(Locality::Village),
        ..filter(town)
    };
    assert_eq!(
        names(store.schools(&village).await.expect("q")),
        ["Ёлкинская ООШ"]
    );

    let sosh = SchoolFilter {
        kind: Some("СОШ".to_owned()),
        ..filter(town)
    };
    assert_eq!(
        names(store.schools(&sosh).await.expect("q")),
        ["МБОУ СОШ № 2", "МБОУ СОШ № 10"]
    );

    let biggest = SchoolFilter {
        sort: SchoolSort::Students,
        descending: true,
        ..filter(town)
    };
    assert_eq!(
        names(store.schools(&biggest).await.expect("q")),
        [
            "Гимназия № 1",
            "МБОУ СОШ № 10",
            "МБОУ СОШ № 2",
            "Ёлкинская ООШ"
        ]
    );
    assert_eq!(
        store.school_kinds(town).await.expect("kinds"),
        ["Гимназия", "ООШ", "СОШ"]
    );
}

async fn status_history_is_kept_and_counts_follow_the_latest_decision(store: &Store) {
    store.import_schools(&sample()).await.expect("import");
    let id = SchoolId::parse("1003").expect("id");
    store
        .record_statuses(&[by_rule("1003", 2024, StatusKind::LowResults)])
        .await
        .expect("assign");
    let region = store.regions().await.expect("regions")[0].id;
    let count = |rows: Vec<orientir_store::MunicipalitySummary>| {
        rows.iter()
            .find(|m| m.name == "Город А")
            .map(|m| m.low_results)
    };
    let overview = store
        .municipality_overview(region, Some(year(2024)))
        .await
        .expect("q");
    assert_eq!(count(overview), Some(1));

    let removal = StatusDecisionRecord {
        decision: StatusDecision::Removed,
        source: StatusSource::Manual {
            order_number: "01-04-181".to_owned(),
            order_date: NaiveDate::from_ymd_opt(2024, 10, 15),
        },
        note: Some("Снят решением комиссии".to_owned()),
        ..by_rule("1003", 2024, StatusKind::LowResults)
    };
    store.record_statuses(&[removal]).await.expect("remove");
    let overview = store
        .municipality_overview(region, Some(year(2024)))
        .await
        .expect("q");
    assert_eq!(count(overview), Some(0), "the removal is in force");

    let history = store.status_history(&id).await.expect("history");
    assert_eq!(history.len(), 2, "the first decision is not overwritten");
    assert_eq!(history[0].decision, StatusDecision::Assigned);
    assert!(!history[0].in_force);
    assert_eq!(history[1].decision, StatusDecision::Removed);
    assert!(history[1].in_force);
    assert_eq!(history[1].note.as_deref(), Some("Снят решением комиссии"));
    assert_eq!(
        history[1].source,
        StatusSource::Manual {
            order_number: "01-04-181".to_owned(),
            order_date: NaiveDate::from_ymd_opt(2024, 10, 15),
        }
    );
    assert_eq!(store.years().await.expect("years"), [year(2024)]);

    let edit = store
        .execute_admin("UPDATE school_statuses SET note = 'переписано'")
        .await;
    assert!(edit.is_err(), "history cannot be rewritten");
    let delete = store.execute_admin("DELETE FROM school_statuses").await;
    assert!(delete.is_err(), "history cannot be deleted");
}

async fn statuses_for_unknown_schools_are_rejected_whole(store: &Store) {
    store.import_schools(&sample()).await.expect("import");
    let result = store
        .record_statuses(&[
            by_rule("1001", 2024, StatusKind::LowResults),
            by_rule("9999", 2024, StatusKind::LowResults),
        ])
        .await;
    match result {
        Err(StoreError::UnknownSchools(ids)) => assert_eq!(ids, ["9999"]),
        other => panic!("expected unknown schools, got {other:?}"),
    }
    let history = store
        .status_history(&SchoolId::parse("1001").expect("id"))
        .await
        .expect("history");
    assert!(
        history.is_empty(),
        "the valid decision was not written either"
    );
}

async fn people_have_roles_in_scopes(store: &Store) {
    store.import_schools(&sample()).await.expect("import");
    let lead = store
        .add_person(&PersonDraft {
            full_name: "Бабкина Н.А.".to_owned(),
            position: Some("Директор".to_owned()),
            email: None,
        })
        .await
        .expect("person");
    let id = SchoolId::parse("1002").expect("id");
    store
        .assign_role(lead, Role::SchoolLead, &Scope::School(id.clone()))
        .await
        .expect("role");
    let town = municipality_id(store, "Город А").await;
    store
        .assign_role(lead, Role::Curator, &Scope::Municipality(town))
        .await
        .expect("municipal role");
    let people = store.people_at_school(&id).await.expect("people");
    assert_eq!(people.len(), 1);
    assert_eq!(people[0].full_name, "Бабкина Н.А.");
    assert_eq!(people[0].role, Role::SchoolLead);
    assert!(
        store
            .assign_role(lead, Role::Curator, &Scope::Municipality(999_999))
            .await
            .is_err(),
        "a role in a municipality that does not exist is refused"
    );
}

async fn the_demo_region_loads_whole(store: &Store) {
    let demo = demo_region();
    let summary = store.load_demo(&demo).await.expect("demo");
    assert_eq!(summary.schools, demo.schools.len());
    assert!(summary.municipalities >= 3);
    let regions = store.regions().await.expect("regions");
    assert_eq!(regions.len(), 1);
    let years = store.years().await.expect("years");
    assert_eq!(years, [year(2024), year(2023), year(2022)]);
    let overview = store
        .municipality_overview(regions[0].id, Some(year(2024)))
        .await
        .expect("overview");
    let total: i64 = overview.iter().map(|m| m.schools).sum();
    assert_eq!(total as usize, demo.schools.len());
    assert!(overview.iter().map(|m| m.low_results).sum::<i64>() > 0);
    let first = &demo.schools[0].id;
    assert!(
        !store
            .people_at_school(first)
            .await
            .expect("people")
            .is_empty()
    );
}

orientir_store::test_on_both_backends!(
    a_new_database_is_empty,
    migrations_are_idempotent,
    import_creates_then_updates_by_school_id,
    a_failing_import_writes_nothing,
    schools_filter_and_sort,
    status_history_is_kept_and_counts_follow_the_latest_decision,
    statuses_for_unknown_schools_are_rejected_whole,
    people_have_roles_in_scopes,
    the_demo_region_loads_whole,
);
