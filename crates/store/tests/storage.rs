//! The storage story, run on SQLite and (when configured) on PostgreSQL with the same assertions.

use chrono::NaiveDate;
use orientir_domain::demo::demo_region;
use orientir_domain::identify::Procedure;
use orientir_domain::period::{PeriodContext, parse_period};
use orientir_domain::registry::{
    Locality, PersonDraft, Role, SchoolId, SchoolKind, SchoolRecord, SchoolYear, Scope,
    SocialContext, StatusDecision, StatusDecisionRecord, StatusKind, StatusSource,
};
use orientir_domain::roadmap::{Activity, Level, Order, RoadMap, Section};
use orientir_store::{
    ActivityEdit, ResultCell, ResultsKind, RuleRunStatus, SchoolFilter, SchoolSort, Store,
    StoreError, VersionState,
};

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

fn sample_road_map() -> RoadMap {
    let ctx = PeriodContext::school_year(2022);
    let activity = |number: &str, title: &str, period: &str, responsible: &[&str]| Activity {
        number: Some(number.to_owned()),
        title: title.to_owned(),
        period: Some(parse_period(period, &ctx)),
        responsible: responsible.iter().map(|r| (*r).to_owned()).collect(),
        output: Some("Информационно-аналитическая справка".to_owned()),
        indicator: None,
        publicity: Some("Сайт МОУО".to_owned()),
        external_help: None,
    };
    RoadMap {
        title: "Дорожная карта «Ёлки & <палки>» на 2022-2023 уч. год".to_owned(),
        level: Level::Municipal,
        owner: Some("Управление образования".to_owned()),
        order: Some(Order {
            issuer: Some("МКУ «Управление образования»".to_owned()),
            number: Some("№ 01-04-181".to_owned()),
            date: NaiveDate::from_ymd_opt(2022, 7, 1),
            place: Some("г. Енисейск".to_owned()),
            signatory: Some("Е.К. Бурбукина".to_owned()),
            appointments: vec!["Ответственность возложить на Бабкину Н.А.".to_owned()],
        }),
        period: ctx.document,
        goals: vec!["Повысить качество образования".to_owned()],
        tasks: vec![
            "Выявить школы".to_owned(),
            "Заключить соглашения".to_owned(),
        ],
        expected_results: vec![],
        sections: vec![
            Section {
                title: "Трек 1 - Адресная поддержка".to_owned(),
                tasks: vec!["Определить школы".to_owned()],
                planned_results: vec!["выявлены школы".to_owned()],
                activities: vec![
                    activity(
                        "1",
                        "Анализ результатов",
                        "Июнь – июль 2022 г.",
                        &["Руководители ОУ"],
                    ),
                    activity(
                        "2",
                        "Методический десант",
                        "Сентябрь – октябрь 2022 г. Февраль 2023г.",
                        &["Бабкина Н.А.", "Зырянова М.А."],
                    ),
                ],
            },
            Section {
                title: "Трек 2 - Зона риска".to_owned(),
                tasks: vec![],
                planned_results: vec![],
                activities: vec![activity(
                    "14",
                    "Семинар",
                    "Каждый вторник, Февраль – май 2023",
                    &[],
                )],
            },
        ],
    }
}

async fn a_road_map_is_stored_and_read_back_whole(store: &Store) {
    store.import_schools(&sample()).await.expect("import");
    let town = Scope::Municipality(municipality_id(store, "Город А").await);
    let map = sample_road_map();
    let saved = store
        .save_road_map(&town, &map, Some("karta.docx"))
        .await
        .expect("save");
    assert_eq!(saved.version, 1);

    let stored = store
        .road_map(saved.id, None)
        .await
        .expect("query")
        .expect("stored");
    assert_eq!(stored.map, map, "every field comes back as it was imported");
    assert_eq!(stored.owner, town);
    assert_eq!(stored.state, VersionState::Draft);
    assert_eq!(stored.source_name.as_deref(), Some("karta.docx"));

    let list = store.road_maps_of(&town).await.expect("list");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].activities, 3);
    assert_eq!(list[0].title, map.title);
    let other = Scope::Municipality(municipality_id(store, "Район Б").await);
    assert!(store.road_maps_of(&other).await.expect("list").is_empty());
    assert!(
        store
            .road_map(saved.id + 100, None)
            .await
            .expect("query")
            .is_none()
    );
    assert!(
        store
            .road_map(saved.id, Some(2))
            .await
            .expect("query")
            .is_none()
    );
}

async fn a_road_map_of_an_unknown_owner_is_refused_and_leaves_nothing(store: &Store) {
    store.import_schools(&sample()).await.expect("import");
    let nowhere = Scope::School(SchoolId::parse("no-such-school").expect("id"));
    assert!(
        store
            .save_road_map(&nowhere, &sample_road_map(), None)
            .await
            .is_err()
    );
    assert!(store.road_maps_of(&nowhere).await.expect("list").is_empty());
    let town = Scope::Municipality(municipality_id(store, "Город А").await);
    let saved = store
        .save_road_map(&town, &sample_road_map(), None)
        .await
        .expect("save");
    // PostgreSQL sequences are not transactional, so ids may skip; the content may not.
    let list = store.road_maps_of(&town).await.expect("list");
    assert_eq!(list.len(), 1, "the refused save left no road map behind");
    assert_eq!(list[0].id, saved.id);
    assert_eq!(list[0].activities, 3);
}

fn result_cell(id: &str, y: i32, procedure: Procedure, subject: &str, grade: u8) -> ResultCell {
    ResultCell {
        school_id: SchoolId::parse(id).expect("valid id"),
        year: y,
        procedure,
        subject: subject.to_owned(),
        grade,
        participants: 25,
        failed: 7,
        mark2: 7,
        mark3: 9,
        mark4: 6,
        mark5: 3,
        score_sum: Some(312.375),
        score_min: Some(0.5),
        score_max: Some(28.125),
        ege_scores: None,
    }
}

/// Cells of three schools over two years, in the store's order.
fn sample_cells() -> Vec<ResultCell> {
    vec![
        result_cell("1001", 2023, Procedure::Vpr, "math", 6),
        result_cell("1001", 2024, Procedure::Vpr, "ru", 5),
        ResultCell {
            participants: 12,
            failed: 1,
            mark2: 0,
            mark3: 0,
            mark4: 0,
            mark5: 0,
            score_sum: Some(789.0),
            score_min: Some(23.0),
            score_max: Some(98.0),
            // Read from student-level results: the distribution comes back as written.
            ege_scores: Some(vec![(23.0, 1), (27.0, 2), (55.5, 4), (98.0, 5)]),
            ..result_cell("1001", 2024, Procedure::Ege, "math", 11)
        },
        ResultCell {
            // An aggregated source without scores.
            score_sum: None,
            score_min: None,
            score_max: None,
            ..result_cell("1003", 2024, Procedure::Oge, "ru", 9)
        },
        result_cell("2001", 2024, Procedure::Vpr, "bio", 4),
    ]
}

async fn result_cells_are_stored_and_read_back_exactly(store: &Store) {
    store
        .import_schools(&sample())
        .await
        .expect("import schools");
    let cells = sample_cells();
    // Given in a different order than they are read back.
    let mut shuffled = cells.clone();
    shuffled.reverse();
    let summary = store
        .import_results("results.csv", ResultsKind::Student, &shuffled, 125, 2)
        .await
        .expect("import results");
    assert_eq!(summary.cells, 5);
    assert_eq!(summary.new_cells, 5);
    assert_eq!(summary.replaced_cells, 0);
    assert_eq!(summary.schools, 3);
    assert_eq!(summary.years, [2023, 2024]);

    let stored = store.result_cells(2023..=2024).await.expect("cells");
    let read: Vec<ResultCell> = stored.iter().map(|s| s.cell.clone()).collect();
    assert_eq!(
        read, cells,
        "every value comes back as written, in the store's order"
    );
    assert!(stored.iter().all(|s| s.import_id == summary.import_id));
    let only_2024 = store.result_cells(2024..=2024).await.expect("cells");
    assert_eq!(only_2024.len(), 4);
    assert!(
        store
            .result_cells(2020..=2022)
            .await
            .expect("cells")
            .is_empty()
    );

    let school = store
        .school_results(&SchoolId::parse("1001").expect("id"))
        .await
        .expect("school cells");
    assert_eq!(
        school.iter().map(|s| s.cell.clone()).collect::<Vec<_>>(),
        cells[..3]
    );
    let imports = store.result_imports().await.expect("imports");
    assert_eq!(imports.len(), 1);
    assert_eq!(imports[0].id, summary.import_id);
    assert_eq!(imports[0].file_name, "results.csv");
    assert_eq!(imports[0].kind, ResultsKind::Student);
    assert_eq!(
        (
            imports[0].rows_read,
            imports[0].cells,
            imports[0].skipped_rows
        ),
        (125, 5, 2)
    );

    let contexts = store.school_contexts().await.expect("contexts");
    assert_eq!(contexts.len(), 5);
    assert_eq!(contexts[0].0.as_str(), "1001");
}

async fn reimporting_results_replaces_those_cells(store: &Store) {
    store
        .import_schools(&sample())
        .await
        .expect("import schools");
    let first = store
        .import_results("2024.csv", ResultsKind::Student, &sample_cells(), 125, 0)
        .await
        .expect("first import");
    let changed = ResultCell {
        participants: 30,
        failed: 12,
        mark2: 12,
        score_sum: None,
        ..result_cell("1001", 2024, Procedure::Vpr, "ru", 5)
    };
    let added = result_cell("1004", 2024, Procedure::Vpr, "ru", 5);
    let second = store
        .import_results(
            "2024-fixed.xlsx",
            ResultsKind::Aggregated,
            &[changed.clone(), added.clone()],
            2,
            0,
        )
        .await
        .expect("second import");
    assert_eq!((second.new_cells, second.replaced_cells), (1, 1));

    let stored = store.result_cells(2023..=2024).await.expect("cells");
    assert_eq!(
        stored.len(),
        6,
        "one cell replaced, one added, the rest kept"
    );
    let find = |cell: &ResultCell| {
        stored
            .iter()
            .find(|s| {
                s.cell.school_id == cell.school_id
                    && s.cell.year == cell.year
                    && s.cell.procedure == cell.procedure
                    && s.cell.subject == cell.subject
                    && s.cell.grade == cell.grade
            })
            .expect("stored cell")
    };
    assert_eq!(find(&changed).cell, changed);
    assert_eq!(find(&changed).import_id, second.import_id);
    assert_eq!(find(&added).import_id, second.import_id);
    let kept = &sample_cells()[0];
    assert_eq!(&find(kept).cell, kept);
    assert_eq!(find(kept).import_id, first.import_id);
    assert_eq!(store.result_imports().await.expect("imports").len(), 2);
}

async fn a_failing_results_import_writes_nothing(store: &Store) {
    store
        .import_schools(&sample())
        .await
        .expect("import schools");
    let mut cells = sample_cells();
    cells.push(result_cell("9999", 2024, Procedure::Vpr, "ru", 5));
    match store
        .import_results("results.csv", ResultsKind::Student, &cells, 150, 0)
        .await
    {
        Err(StoreError::UnknownSchools(ids)) => assert_eq!(ids, ["9999"]),
        other => panic!("expected unknown schools, got {other:?}"),
    }

    // A value the readers never produce: the database's own check fails mid-import, after the
    // import record and a batch of cells were written; the transaction takes all of it back.
    let mut cells = sample_cells();
    cells.push(ResultCell {
        failed: 26,
        ..result_cell("2001", 2024, Procedure::Oge, "math", 9)
    });
    assert!(
        store
            .import_results("results.csv", ResultsKind::Student, &cells, 150, 0)
            .await
            .is_err()
    );

    let mut twice = sample_cells();
    twice.push(sample_cells()[1].clone());
    assert!(matches!(
        store
            .import_results("results.csv", ResultsKind::Student, &twice, 150, 0)
            .await,
        Err(StoreError::DuplicateResultCell(_))
    ));

    assert!(
        store
            .result_cells(2000..=2100)
            .await
            .expect("cells")
            .is_empty()
    );
    assert!(store.result_imports().await.expect("imports").is_empty());
}

/// A ЕГЭ Russian cell of school 1002 in 2024: 10 pupils, 2 below the shipped minimum (24), 5
/// below 30.
fn ege_ru_with_scores() -> ResultCell {
    ResultCell {
        participants: 10,
        failed: 2,
        mark2: 0,
        mark3: 0,
        mark4: 0,
        mark5: 0,
        score_sum: Some(393.5),
        score_min: Some(20.0),
        score_max: Some(71.0),
        ege_scores: Some(vec![
            (20.0, 1),
            (23.5, 1),
            (24.0, 2),
            (29.0, 1),
            (30.0, 2),
            (71.0, 3),
        ]),
        ..result_cell("1002", 2024, Procedure::Ege, "ru", 11)
    }
}

async fn ege_scores_are_kept_and_a_rule_recounts_them(store: &Store) {
    use orientir_domain::identify::RuleConfig;

    store
        .import_schools(&sample())
        .await
        .expect("import schools");
    let with_scores = ege_ru_with_scores();
    // An aggregated file's ЕГЭ cell: a count of failures, no scores.
    let without_scores = ResultCell {
        failed: 3,
        ..result_cell("1003", 2024, Procedure::Ege, "ru", 11)
    };
    store
        .import_results(
            "results.csv",
            ResultsKind::Student,
            &[
                with_scores.clone(),
                without_scores.clone(),
                result_cell("1001", 2024, Procedure::Vpr, "ru", 5),
            ],
            60,
            0,
        )
        .await
        .expect("import results");
    let stored = store.result_cells(2024..=2024).await.expect("cells");
    assert_eq!(
        stored[1].cell, with_scores,
        "the distribution comes back exactly"
    );
    assert_eq!(stored[2].cell, without_scores);

    let failed_of = |inputs: &orientir_store::RuleInputs, school: &str| {
        inputs
            .cells
            .iter()
            .find(|c| c.school_id == school)
            .map(|c| c.failed)
    };
    let default = store
        .rule_inputs(2023..=2024, &RuleConfig::default())
        .await
        .expect("inputs");
    assert_eq!(failed_of(&default, "1002"), Some(2), "the import's count");
    assert_eq!(failed_of(&default, "1003"), Some(3));
    assert_eq!(default.contexts.len(), 5);
    assert_eq!(
        default.ege_without_scores.into_iter().collect::<Vec<_>>(),
        [("ru".to_owned(), 1)]
    );
    let mut rule = RuleConfig::default();
    rule.ege_min_score.insert("ru".to_owned(), 30.0);
    let custom = store.rule_inputs(2023..=2024, &rule).await.expect("inputs");
    assert_eq!(
        failed_of(&custom, "1002"),
        Some(5),
        "recounted: 30 itself passes"
    );
    assert_eq!(
        failed_of(&custom, "1003"),
        Some(3),
        "the file's count stays"
    );

    // A distribution that does not fit its cell is refused whole.
    let mut wrong = ege_ru_with_scores();
    wrong.school_id = SchoolId::parse("2001").expect("id");
    wrong.participants = 11;
    match store
        .import_results("bad.csv", ResultsKind::Student, &[wrong], 11, 0)
        .await
    {
        Err(StoreError::InvalidResultCell(message)) => {
            assert!(message.contains("школа 2001"), "{message}");
        }
        other => panic!("expected an invalid cell, got {other:?}"),
    }
    assert_eq!(store.result_imports().await.expect("imports").len(), 1);

    // Re-imported from an aggregated file, the cell no longer has scores.
    let aggregated = ResultCell {
        ege_scores: None,
        ..ege_ru_with_scores()
    };
    store
        .import_results(
            "fis.xlsx",
            ResultsKind::Aggregated,
            std::slice::from_ref(&aggregated),
            1,
            0,
        )
        .await
        .expect("reimport");
    let stored = store.result_cells(2024..=2024).await.expect("cells");
    assert_eq!(stored[1].cell, aggregated);
    store
        .import_results(
            "results.csv",
            ResultsKind::Student,
            std::slice::from_ref(&with_scores),
            10,
            0,
        )
        .await
        .expect("reimport with scores");

    // A malformed stored value is an error of the store, not a panic.
    for corrupt in ["20:1 23.5:x", "23.5:1 20:1", "20:10 99:1"] {
        store
            .execute_admin(&format!(
                "UPDATE result_cells SET ege_scores = '{corrupt}' WHERE school_id = '1002'"
            ))
            .await
            .expect("update");
        assert!(
            matches!(
                store.result_cells(2024..=2024).await,
                Err(StoreError::Corrupt(_))
            ),
            "{corrupt}"
        );
        assert!(matches!(
            store.rule_inputs(2024..=2024, &rule).await,
            Err(StoreError::Corrupt(_))
        ));
    }
    // The database keeps distributions to ЕГЭ cells.
    assert!(
        store
            .execute_admin("UPDATE result_cells SET ege_scores = '20:10' WHERE procedure <> 'EGE'")
            .await
            .is_err()
    );
}

fn listed(id: &str, status: StatusKind) -> RuleRunStatus {
    RuleRunStatus {
        school_id: SchoolId::parse(id).expect("id"),
        status,
        note: Some("объяснение".to_owned()),
    }
}

async fn a_rule_run_removes_what_an_earlier_run_gave_and_no_longer_lists(store: &Store) {
    store.import_schools(&sample()).await.expect("import");
    // A manual decision is not the rule's to take away.
    store
        .record_statuses(&[StatusDecisionRecord {
            source: StatusSource::Manual {
                order_number: "15".to_owned(),
                order_date: None,
            },
            ..by_rule("1004", 2024, StatusKind::Mentor)
        }])
        .await
        .expect("manual");
    let first = store
        .record_rule_run(
            year(2024),
            "v1",
            &[
                listed("1001", StatusKind::LowResults),
                listed("1003", StatusKind::LowResults),
                listed("1003", StatusKind::SocialRisk),
            ],
        )
        .await
        .expect("first run");
    assert_eq!((first.assigned, first.removed), (3, 0));
    let second = store
        .record_rule_run(
            year(2024),
            "v2",
            &[
                listed("1003", StatusKind::LowResults),
                listed("1001", StatusKind::Declining),
            ],
        )
        .await
        .expect("second run");
    assert_eq!(
        (second.assigned, second.removed),
        (2, 2),
        "1001 ШНОР and 1003 ШНСУ removed"
    );
    let history = store
        .status_history(&SchoolId::parse("1001").expect("id"))
        .await
        .expect("history");
    let in_force: Vec<_> = history
        .iter()
        .filter(|e| e.in_force)
        .map(|e| (e.status, e.decision))
        .collect();
    assert_eq!(
        in_force,
        [
            (StatusKind::Declining, StatusDecision::Assigned),
            (StatusKind::LowResults, StatusDecision::Removed)
        ]
    );
    let removal = history
        .iter()
        .find(|e| e.decision == StatusDecision::Removed)
        .expect("removal");
    assert_eq!(
        removal.source,
        StatusSource::RuleRun {
            rule_version: "v2".to_owned()
        }
    );
    let region = store.regions().await.expect("regions")[0].id;
    let overview = store
        .municipality_overview(region, Some(year(2024)))
        .await
        .expect("overview");
    let town = overview.iter().find(|m| m.name == "Город А").expect("town");
    assert_eq!(
        (
            town.low_results,
            town.declining,
            town.social_risk,
            town.mentor
        ),
        (1, 1, 0, 1)
    );
}

async fn edits_change_a_draft_and_an_approved_version_stays_frozen(store: &Store) {
    store.import_schools(&sample()).await.expect("import");
    let town = Scope::Municipality(municipality_id(store, "Город А").await);
    let map = sample_road_map();
    let id = store
        .save_road_map(&town, &map, None)
        .await
        .expect("save")
        .id;
    let titles = |stored: &orientir_store::StoredRoadMap| -> Vec<Vec<String>> {
        stored
            .map
            .sections
            .iter()
            .map(|s| s.activities.iter().map(|a| a.title.clone()).collect())
            .collect()
    };
    let latest = |store: &Store| {
        let store = store.clone();
        async move {
            store
                .road_map(id, None)
                .await
                .expect("query")
                .expect("stored")
        }
    };

    let mut changed = map.sections[0].activities[1].clone();
    changed.title = "Методический десант (уточнено)".to_owned();
    let edited = store
        .edit_road_map(
            id,
            &ActivityEdit::Update {
                section: 0,
                index: 1,
                activity: changed.clone(),
            },
        )
        .await
        .expect("update");
    assert_eq!(edited.version, 1, "a draft is edited in place");
    let mut added = map.sections[1].activities[0].clone();
    added.title = "Новое мероприятие".to_owned();
    store
        .edit_road_map(
            id,
            &ActivityEdit::Add {
                section: 1,
                activity: added,
            },
        )
        .await
        .expect("add");
    store
        .edit_road_map(
            id,
            &ActivityEdit::Move {
                section: 0,
                index: 1,
                up: true,
            },
        )
        .await
        .expect("move");
    store
        .edit_road_map(
            id,
            &ActivityEdit::Delete {
                section: 0,
                index: 1,
            },
        )
        .await
        .expect("delete");
    let stored = latest(store).await;
    assert_eq!(
        titles(&stored),
        [
            vec!["Методический десант (уточнено)".to_owned()],
            vec!["Семинар".to_owned(), "Новое мероприятие".to_owned()],
        ]
    );
    assert_eq!(
        stored.map.sections[0].activities[0], changed,
        "every field was written"
    );

    store.approve_road_map(id).await.expect("approve");
    assert_eq!(latest(store).await.state, VersionState::Approved);
    let out_of_range = store
        .edit_road_map(
            id,
            &ActivityEdit::Delete {
                section: 1,
                index: 5,
            },
        )
        .await;
    assert!(matches!(
        out_of_range,
        Err(StoreError::NoSuchActivity {
            section: 1,
            index: 5
        })
    ));
    assert_eq!(
        latest(store).await.version,
        1,
        "a refused edit makes no new version"
    );

    let second = store
        .edit_road_map(
            id,
            &ActivityEdit::Delete {
                section: 1,
                index: 0,
            },
        )
        .await
        .expect("edit an approved road map");
    assert_eq!(second.version, 2);
    let draft = latest(store).await;
    assert_eq!((draft.version, draft.state), (2, VersionState::Draft));
    assert_eq!(titles(&draft)[1], ["Новое мероприятие"]);
    let frozen = store
        .road_map(id, Some(1))
        .await
        .expect("query")
        .expect("v1");
    assert_eq!(frozen.state, VersionState::Approved);
    assert_eq!(
        titles(&frozen)[1],
        ["Семинар", "Новое мероприятие"],
        "version 1 is unchanged"
    );
    assert_eq!(
        store.road_map_versions(id).await.expect("versions"),
        [(2, VersionState::Draft), (1, VersionState::Approved)]
    );
    assert!(matches!(
        store
            .edit_road_map(
                id + 100,
                &ActivityEdit::Delete {
                    section: 0,
                    index: 0
                }
            )
            .await,
        Err(StoreError::NoSuchRoadMap(_))
    ));
}

orientir_store::test_on_both_backends!(
    edits_change_a_draft_and_an_approved_version_stays_frozen,
    result_cells_are_stored_and_read_back_exactly,
    reimporting_results_replaces_those_cells,
    a_failing_results_import_writes_nothing,
    ege_scores_are_kept_and_a_rule_recounts_them,
    a_rule_run_removes_what_an_earlier_run_gave_and_no_longer_lists,
    a_road_map_is_stored_and_read_back_whole,
    a_road_map_of_an_unknown_owner_is_refused_and_leaves_nothing,
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

/// Сопровождение: curators, mentor agreements with their joint plans, visits, accounts.
mod curation {
    use super::*;
    use orientir_store::{Actor, NewAgreement, NewUser};

    fn id(code: &str) -> SchoolId {
        SchoolId::parse(code).expect("valid id")
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    async fn account(store: &Store, login: &str, name: &str, role: Role, scope: &Scope) -> i64 {
        store
            .add_user(&NewUser {
                login,
                full_name: name,
                role,
                scope,
                password_hash: "not-a-real-hash",
            })
            .await
            .expect("an account")
    }

    /// The sample registry with 1004 a mentor in 2024, a coordinator and three curators: two
    /// around Город А (one municipal, one regional) and one of Район Б.
    async fn fixture(store: &Store) -> (Store, i64, i64, i64) {
        store.import_schools(&sample()).await.expect("import");
        store
            .record_statuses(&[by_rule("1004", 2024, StatusKind::Mentor)])
            .await
            .expect("statuses");
        let region = store.regions().await.expect("regions")[0].id;
        let town = municipality_id(store, "Город А").await;
        let district = municipality_id(store, "Район Б").await;
        let moyo = account(
            store,
            "moyo",
            "Петрова А.А.",
            Role::MunicipalCoordinator,
            &Scope::Municipality(town),
        )
        .await;
        let town_curator = account(
            store,
            "curator-a",
            "Иванова И.И.",
            Role::Curator,
            &Scope::Municipality(town),
        )
        .await;
        let region_curator = account(
            store,
            "curator-r",
            "Алексеев Б.Б.",
            Role::Curator,
            &Scope::Region(region),
        )
        .await;
        let district_curator = account(
            store,
            "curator-b",
            "Борисов В.В.",
            Role::Curator,
            &Scope::Municipality(district),
        )
        .await;
        let as_moyo = store.acting_as(Actor::user(moyo, "moyo"));
        (as_moyo, town_curator, region_curator, district_curator)
    }

    fn actions(history: &[orientir_store::AuditEntry]) -> Vec<(&str, &str)> {
        history
            .iter()
            .map(|e| (e.action.as_str(), e.actor.as_str()))
            .collect()
    }

    async fn curators_are_assigned_and_removed_with_an_audit_record(store: &Store) {
        let (as_moyo, town_curator, region_curator, district_curator) = fixture(store).await;
        let town = municipality_id(store, "Город А").await;
        let candidates: Vec<String> = store
            .curator_candidates(town)
            .await
            .expect("candidates")
            .into_iter()
            .map(|c| c.login)
            .collect();
        assert_eq!(
            candidates,
            ["curator-r", "curator-a"],
            "curators of the municipality and of the region, by name; not Район Б's"
        );
        let school = id("1002");
        as_moyo
            .assign_curator(town_curator, &school)
            .await
            .expect("assign");
        as_moyo
            .assign_curator(region_curator, &id("1003"))
            .await
            .expect("assign another school");
        let curators = store.curators_of(&school).await.expect("curators");
        assert_eq!(curators.len(), 1);
        assert_eq!(curators[0].user_id, Some(town_curator));
        assert_eq!(curators[0].full_name, "Иванова И.И.");
        assert!(
            store
                .is_curator_of(town_curator, &school)
                .await
                .expect("is curator")
        );
        assert!(
            !store
                .is_curator_of(district_curator, &school)
                .await
                .expect("is curator")
        );
        let curated = store
            .schools_of_curator(town_curator)
            .await
            .expect("curated");
        assert_eq!(
            curated
                .iter()
                .map(|s| (s.school_id.as_str(), s.school_name.as_str()))
                .collect::<Vec<_>>(),
            [("1002", "МБОУ СОШ № 2")]
        );
        let principal = store
            .principal(town_curator, "curator-a")
            .await
            .expect("principal");
        assert!(
            principal
                .grants
                .iter()
                .any(|g| g.place.school_id() == Some(&school)),
            "the assignment is a grant at the school"
        );

        assert!(
            as_moyo
                .unassign_curator(town_curator, &school)
                .await
                .expect("unassign")
        );
        assert!(
            !as_moyo
                .unassign_curator(town_curator, &school)
                .await
                .expect("unassign twice"),
            "removing a curator who is not assigned changes nothing"
        );
        assert!(
            store
                .curators_of(&school)
                .await
                .expect("curators")
                .is_empty()
        );
        let principal = store
            .principal(town_curator, "curator-a")
            .await
            .expect("principal");
        assert!(
            principal
                .grants
                .iter()
                .all(|g| g.place.school_id() != Some(&school)),
            "the grant goes with the assignment"
        );
        let history = store.history("school", "1002").await.expect("history");
        assert_eq!(
            actions(&history),
            [("curator_removed", "moyo"), ("curator", "moyo")],
            "newest first, one record each, by the acting user"
        );
        let removed: serde_json::Value =
            serde_json::from_str(history[0].before_json.as_deref().expect("before")).expect("JSON");
        assert_eq!(removed["curator_user"], town_curator);
        assert_eq!(removed["full_name"], "Иванова И.И.");
    }

    async fn an_agreement_creates_its_joint_plan_in_one_transaction(store: &Store) {
        let (as_moyo, ..) = fixture(store).await;
        let region = store.regions().await.expect("regions")[0].id;
        let choices = store.region_schools(region).await.expect("schools");
        assert_eq!(choices.len(), 5);
        assert_eq!(choices[0].id, "1004", "the mentor in force comes first");
        assert!(choices[0].is_mentor());
        assert!(choices[1..].iter().all(|s| !s.is_mentor()));

        let (school, mentor) = (id("1002"), id("1004"));
        let new = NewAgreement {
            school: &school,
            mentor: &mentor,
            number: " № 7-С ",
            signed_on: date(2024, 9, 2),
            valid_from: date(2024, 9, 2),
            valid_to: date(2025, 5, 31),
        };
        let stored = as_moyo.add_agreement(&new).await.expect("an agreement");
        let plan = store
            .road_map(stored.road_map_id, None)
            .await
            .expect("read")
            .expect("the joint plan exists");
        assert_eq!(
            plan.map.title,
            "Совместный план МБОУ СОШ № 2 и Гимназия № 1 (соглашение № 7-С)"
        );
        assert_eq!(plan.owner, Scope::School(school.clone()));
        assert_eq!(
            plan.map.period.map(|w| (w.from, w.to)),
            Some((date(2024, 9, 2), date(2025, 5, 31)))
        );
        for party in [&school, &mentor] {
            let agreements = store.agreements_of(party).await.expect("agreements");
            assert_eq!(agreements.len(), 1, "both parties see the agreement");
            let a = &agreements[0];
            assert_eq!(
                (a.id, a.number.as_str(), a.road_map_id),
                (stored.id, "7-С", Some(stored.road_map_id))
            );
            assert_eq!(
                (a.school_name.as_str(), a.mentor_school_name.as_str()),
                ("МБОУ СОШ № 2", "Гимназия № 1")
            );
            assert_eq!(
                (a.signed_on, a.valid_from, a.valid_to),
                (date(2024, 9, 2), date(2024, 9, 2), date(2025, 5, 31))
            );
            let history = store
                .history("school", party.as_str())
                .await
                .expect("history");
            assert_eq!(actions(&history), [("agreement", "moyo")]);
        }

        let refused = |message: &str| {
            let message = message.to_owned();
            move |result: Result<orientir_store::AgreementRef, StoreError>| match result {
                Err(StoreError::Conflict(m)) => assert!(m.contains(&message), "{m}"),
                other => panic!("expected a refusal with «{message}», got {other:?}"),
            }
        };
        refused("начинается позже, чем заканчивается: с 01.06.2025 по 31.05.2025")(
            as_moyo
                .add_agreement(&NewAgreement {
                    valid_from: date(2025, 6, 1),
                    ..new.clone()
                })
                .await,
        );
        refused("наставником самой себе")(
            as_moyo
                .add_agreement(&NewAgreement {
                    mentor: &school,
                    ..new.clone()
                })
                .await,
        );
        refused("Укажите номер соглашения")(
            as_moyo
                .add_agreement(&NewAgreement {
                    number: " № ",
                    ..new.clone()
                })
                .await,
        );
        let far = SchoolRecord {
            region: "Другая область".to_owned(),
            ..super::school("9001", "Дальняя СОШ", "Город В", Locality::City, "СОШ", 300)
        };
        store.import_schools(&[far]).await.expect("import");
        let far_id = id("9001");
        refused("из другого региона")(
            as_moyo
                .add_agreement(&NewAgreement {
                    mentor: &far_id,
                    ..new.clone()
                })
                .await,
        );
        assert_eq!(
            store
                .agreements_of(&school)
                .await
                .expect("agreements")
                .len(),
            1,
            "refused agreements write nothing"
        );
        assert_eq!(
            store
                .road_maps_of(&Scope::School(school.clone()))
                .await
                .expect("road maps")
                .len(),
            1,
            "a refused agreement leaves no joint plan behind"
        );
    }

    async fn visits_are_planned_and_recorded(store: &Store) {
        let (as_moyo, town_curator, region_curator, _) = fixture(store).await;
        let school = id("1002");
        as_moyo
            .assign_curator(town_curator, &school)
            .await
            .expect("assign");
        let as_curator = store.acting_as(Actor::user(town_curator, "curator-a"));
        let visit = as_curator
            .plan_visit(
                &school,
                town_curator,
                date(2024, 10, 15),
                " Методический аудит ",
            )
            .await
            .expect("a planned visit");
        match as_moyo
            .plan_visit(&school, region_curator, date(2024, 10, 16), "Аудит")
            .await
        {
            Err(StoreError::Conflict(m)) => {
                assert!(m.contains("не назначен куратором этой школы"), "{m}")
            }
            other => panic!("a curator of another school is refused, got {other:?}"),
        }
        assert!(matches!(
            as_curator
                .plan_visit(&school, town_curator, date(2024, 10, 16), "  ")
                .await,
            Err(StoreError::Conflict(_))
        ));
        let planned = store.visits_of(&school).await.expect("visits");
        assert_eq!(planned.len(), 1);
        assert_eq!(
            (
                planned[0].id,
                planned[0].purpose.as_str(),
                planned[0].curator_name.as_str(),
                planned[0].planned_on,
                planned[0].visited_on
            ),
            (
                visit,
                "Методический аудит",
                "Иванова И.И.",
                date(2024, 10, 15),
                None
            )
        );
        as_curator
            .record_visit(visit, date(2024, 10, 17), "Проведён аудит уроков")
            .await
            .expect("recorded");
        let done = store.visit(visit).await.expect("visit").expect("exists");
        assert_eq!(done.visited_on, Some(date(2024, 10, 17)));
        assert_eq!(done.notes, "Проведён аудит уроков");
        assert_eq!(
            store
                .visits_of_curator(town_curator)
                .await
                .expect("schedule")
                .len(),
            1
        );
        assert!(
            store
                .visits_of_curator(region_curator)
                .await
                .expect("schedule")
                .is_empty()
        );
        let history = store.history("school", "1002").await.expect("history");
        assert_eq!(
            actions(&history),
            [
                ("visit_done", "curator-a"),
                ("visit_planned", "curator-a"),
                ("curator", "moyo")
            ]
        );
        assert!(matches!(
            as_curator
                .record_visit(visit + 100, date(2024, 10, 17), "")
                .await,
            Err(StoreError::Conflict(_))
        ));
    }

    async fn accounts_are_listed_with_their_roles(store: &Store) {
        let (_, town_curator, ..) = fixture(store).await;
        let accounts = store.accounts().await.expect("accounts");
        let logins: Vec<&str> = accounts.iter().map(|a| a.login.as_str()).collect();
        assert_eq!(logins, ["curator-a", "curator-b", "curator-r", "moyo"]);
        let curator = &accounts[0];
        assert_eq!(curator.id, town_curator);
        assert_eq!(curator.roles.len(), 1);
        assert_eq!(curator.roles[0].role, Role::Curator);
        assert_eq!(curator.roles[0].scope_name, "Город А");
        assert!(matches!(curator.roles[0].scope, Scope::Municipality(_)));
    }

    orientir_store::test_on_both_backends!(
        curators_are_assigned_and_removed_with_an_audit_record,
        an_agreement_creates_its_joint_plan_in_one_transaction,
        visits_are_planned_and_recorded,
        accounts_are_listed_with_their_roles,
    );
}
