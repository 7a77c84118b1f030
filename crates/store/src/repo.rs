//! The SQL of the store, written once and compiled for each backend.
//!
//! `repository!` expands to a module of functions over one backend's connection type. SQL text is
//! shared: both backends bind `$1`-style parameters, and the migrations keep column types such that
//! the same Rust types decode on both. Backend differences live only here and in the migrations.

macro_rules! repository {
    ($Db:ty) => {
        use std::collections::{HashMap, HashSet};

        use chrono::{DateTime, Utc};
        use orientir_domain::demo::{DemoRegion, DemoScope};
        use orientir_domain::registry::{
            PersonDraft, Role, SchoolRecord, SchoolYear, StatusDecisionRecord, StatusSource,
        };
        use orientir_domain::text::sort_key;
        use sqlx::QueryBuilder;

        use crate::StoreError;
        use crate::rows::{
            DemoSummary, ImportSummary, MunicipalityRow, MunicipalitySummary, RawStatus, RegionRow,
            SchoolFilter,
        };
        use crate::convert::{RawPersonRole, RawSchool, RawSchoolCard};
        use crate::road_maps::{
            OwnerColumns, RawActivity, RawRoadMapSummary, RawRoadMapVersion, RawSection,
            RoadMapRef, level_code, to_json,
        };
        use orientir_domain::roadmap::{Activity, RoadMap};

        type Conn = <$Db as sqlx::Database>::Connection;

        /// Rows per multi-row INSERT: far faster than one statement a row, and well under both
        /// backends' limits on bound parameters.
        const BATCH: usize = 400;

        /// Finds or creates a region by name; tells whether it was created.
        pub async fn upsert_region(conn: &mut Conn, name: &str) -> Result<(i64, bool), StoreError> {
            let created = sqlx::query(
                "INSERT INTO regions (name, sort_key) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
            )
            .bind(name)
            .bind(sort_key(name))
            .execute(&mut *conn)
            .await?
            .rows_affected()
                > 0;
            let id: i64 = sqlx::query_scalar("SELECT id FROM regions WHERE name = $1")
                .bind(name)
                .fetch_one(&mut *conn)
                .await?;
            Ok((id, created))
        }

        /// Finds or creates a municipality of a region by name; tells whether it was created.
        pub async fn upsert_municipality(
            conn: &mut Conn,
            region_id: i64,
            name: &str,
        ) -> Result<(i64, bool), StoreError> {
            let created = sqlx::query(
                "INSERT INTO municipalities (region_id, name, sort_key) VALUES ($1, $2, $3) \
                 ON CONFLICT (region_id, name) DO NOTHING",
            )
            .bind(region_id)
            .bind(name)
            .bind(sort_key(name))
            .execute(&mut *conn)
            .await?
            .rows_affected()
                > 0;
            let id: i64 =
                sqlx::query_scalar("SELECT id FROM municipalities WHERE region_id = $1 AND name = $2")
                    .bind(region_id)
                    .bind(name)
                    .fetch_one(&mut *conn)
                    .await?;
            Ok((id, created))
        }

        pub async fn school_ids(conn: &mut Conn) -> Result<HashSet<String>, StoreError> {
            let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM schools")
                .fetch_all(&mut *conn)
                .await?;
            Ok(ids.into_iter().collect())
        }

        /// Refuses, naming them sorted, any ids not in the registry: a write that mentions an
        /// unknown school is rejected whole.
        pub async fn ensure_known_schools<'a>(
            conn: &mut Conn,
            ids: impl Iterator<Item = &'a str>,
        ) -> Result<(), StoreError> {
            let known = school_ids(conn).await?;
            let mut unknown: Vec<String> = ids
                .filter(|id| !known.contains(*id))
                .map(str::to_owned)
                .collect();
            if unknown.is_empty() {
                return Ok(());
            }
            unknown.sort();
            unknown.dedup();
            Err(StoreError::UnknownSchools(unknown))
        }

        /// Inserts or updates schools by id, in batches.
        pub async fn upsert_schools(
            conn: &mut Conn,
            schools: &[(i64, &SchoolRecord)],
            now: DateTime<Utc>,
        ) -> Result<(), StoreError> {
            for chunk in schools.chunks(BATCH) {
                let mut query = QueryBuilder::<$Db>::new(
                    "INSERT INTO schools (id, municipality_id, name, sort_key, locality, kind, \
                     students, low_income, single_parent, non_native, disability, \
                     parents_higher_ed, on_register, updated_at) ",
                );
                query.push_values(chunk, |mut row, (municipality_id, school)| {
                    let social = &school.social;
                    row.push_bind(school.id.as_str())
                        .push_bind(*municipality_id)
                        .push_bind(school.name.as_str())
                        .push_bind(sort_key(&school.name))
                        .push_bind(school.locality.code())
                        .push_bind(school.kind.as_str())
                        .push_bind(i64::from(school.students))
                        .push_bind(social.low_income)
                        .push_bind(social.single_parent)
                        .push_bind(social.non_native)
                        .push_bind(social.disability)
                        .push_bind(social.parents_higher_ed)
                        .push_bind(social.on_register)
                        .push_bind(now);
                });
                query.push(
                    " ON CONFLICT (id) DO UPDATE SET municipality_id = excluded.municipality_id, \
                     name = excluded.name, sort_key = excluded.sort_key, \
                     locality = excluded.locality, kind = excluded.kind, \
                     students = excluded.students, low_income = excluded.low_income, \
                     single_parent = excluded.single_parent, non_native = excluded.non_native, \
                     disability = excluded.disability, \
                     parents_higher_ed = excluded.parents_higher_ed, \
                     on_register = excluded.on_register, updated_at = excluded.updated_at",
                );
                query.build().execute(&mut *conn).await?;
            }
            Ok(())
        }

        pub async fn ensure_years(
            conn: &mut Conn,
            years: &[SchoolYear],
        ) -> Result<(), StoreError> {
            for year in years {
                sqlx::query(
                    "INSERT INTO school_years (id, starts, ends) VALUES ($1, $2, $3) \
                     ON CONFLICT (id) DO NOTHING",
                )
                .bind(i64::from(year.start_year()))
                .bind(year.starts())
                .bind(year.ends())
                .execute(&mut *conn)
                .await?;
            }
            Ok(())
        }

        /// Appends status decisions to the history, in batches.
        pub async fn insert_statuses(
            conn: &mut Conn,
            decisions: &[StatusDecisionRecord],
            now: DateTime<Utc>,
        ) -> Result<(), StoreError> {
            for chunk in decisions.chunks(BATCH) {
                let mut query = QueryBuilder::<$Db>::new(
                    "INSERT INTO school_statuses (school_id, school_year, status, decision, \
                     source_kind, rule_version, order_number, order_date, note, recorded_at) ",
                );
                query.push_values(chunk, |mut row, d| {
                    let (kind, rule_version, order_number, order_date) = match &d.source {
                        StatusSource::RuleRun { rule_version } => {
                            ("rule_run", Some(rule_version.as_str()), None, None)
                        }
                        StatusSource::Manual {
                            order_number,
                            order_date,
                        } => ("manual", None, Some(order_number.as_str()), *order_date),
                    };
                    row.push_bind(d.school_id.as_str())
                        .push_bind(i64::from(d.year.start_year()))
                        .push_bind(d.status.code())
                        .push_bind(d.decision.code())
                        .push_bind(kind)
                        .push_bind(rule_version)
                        .push_bind(order_number)
                        .push_bind(order_date)
                        .push_bind(d.note.as_deref())
                        .push_bind(now);
                });
                query.build().execute(&mut *conn).await?;
            }
            Ok(())
        }

        pub async fn insert_person(conn: &mut Conn, person: &PersonDraft) -> Result<i64, StoreError> {
            let id = sqlx::query_scalar(
                "INSERT INTO people (full_name, sort_key, position, email) VALUES ($1, $2, $3, $4) \
                 RETURNING id",
            )
            .bind(&person.full_name)
            .bind(sort_key(&person.full_name))
            .bind(&person.position)
            .bind(&person.email)
            .fetch_one(&mut *conn)
            .await?;
            Ok(id)
        }

        /// Gives a person a role in one scope (exactly one of the three ids is set).
        pub async fn insert_role(
            conn: &mut Conn,
            person_id: i64,
            role: Role,
            region_id: Option<i64>,
            municipality_id: Option<i64>,
            school_id: Option<&str>,
        ) -> Result<(), StoreError> {
            sqlx::query(
                "INSERT INTO role_assignments (person_id, role, region_id, municipality_id, school_id) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(person_id)
            .bind(role.code())
            .bind(region_id)
            .bind(municipality_id)
            .bind(school_id)
            .execute(&mut *conn)
            .await?;
            Ok(())
        }

        pub async fn count_schools(conn: &mut Conn) -> Result<i64, StoreError> {
            Ok(sqlx::query_scalar("SELECT COUNT(*) FROM schools")
                .fetch_one(&mut *conn)
                .await?)
        }

        pub async fn regions(conn: &mut Conn) -> Result<Vec<RegionRow>, StoreError> {
            Ok(
                sqlx::query_as("SELECT id, name FROM regions ORDER BY sort_key")
                    .fetch_all(&mut *conn)
                    .await?,
            )
        }

        pub async fn region(conn: &mut Conn, id: i64) -> Result<Option<RegionRow>, StoreError> {
            Ok(sqlx::query_as("SELECT id, name FROM regions WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?)
        }

        pub async fn municipality_overview(
            conn: &mut Conn,
            region_id: i64,
            year: i64,
        ) -> Result<Vec<MunicipalitySummary>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT m.id, m.name, COUNT(DISTINCT s.id) AS schools, \
                 COUNT(DISTINCT CASE WHEN c.status = 'low_results' THEN c.school_id END) AS low_results, \
                 COUNT(DISTINCT CASE WHEN c.status = 'social_risk' THEN c.school_id END) AS social_risk, \
                 COUNT(DISTINCT CASE WHEN c.status = 'declining' THEN c.school_id END) AS declining, \
                 COUNT(DISTINCT CASE WHEN c.status = 'mentor' THEN c.school_id END) AS mentor \
                 FROM municipalities m \
                 LEFT JOIN schools s ON s.municipality_id = m.id \
                 LEFT JOIN current_statuses c ON c.school_id = s.id AND c.school_year = $2 \
                 WHERE m.region_id = $1 \
                 GROUP BY m.id, m.name, m.sort_key \
                 ORDER BY m.sort_key",
            )
            .bind(region_id)
            .bind(year)
            .fetch_all(&mut *conn)
            .await?)
        }

        pub async fn municipality(
            conn: &mut Conn,
            id: i64,
        ) -> Result<Option<MunicipalityRow>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT m.id, m.name, r.id AS region_id, r.name AS region_name \
                 FROM municipalities m JOIN regions r ON r.id = m.region_id WHERE m.id = $1",
            )
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?)
        }

        pub async fn schools(
            conn: &mut Conn,
            filter: &SchoolFilter,
        ) -> Result<Vec<RawSchool>, StoreError> {
            let year = filter.year.map(|y| i64::from(y.start_year()));
            let mut query = QueryBuilder::<$Db>::new(
                "SELECT s.id, s.name, s.locality, s.kind, s.students FROM schools s \
                 WHERE s.municipality_id = ",
            );
            query.push_bind(filter.municipality_id);
            if let Some(status) = filter.status {
                query.push(
                    " AND s.id IN (SELECT c.school_id FROM current_statuses c WHERE c.school_year = ",
                );
                query.push_bind(year.unwrap_or_default());
                query.push(" AND c.status = ");
                query.push_bind(status.code());
                query.push(")");
            }
            if let Some(locality) = filter.locality {
                query.push(" AND s.locality = ").push_bind(locality.code());
            }
            if let Some(kind) = &filter.kind {
                query.push(" AND s.kind = ").push_bind(kind.as_str());
            }
            query.push(" ORDER BY ").push(filter.sort.sql());
            query.push(if filter.descending { " DESC" } else { " ASC" });
            query.push(", s.sort_key, s.id");
            Ok(query.build_query_as().fetch_all(&mut *conn).await?)
        }

        /// Statuses in force in a year for the schools of a municipality: (school id, status code).
        pub async fn municipality_statuses(
            conn: &mut Conn,
            municipality_id: i64,
            year: i64,
        ) -> Result<Vec<(String, String)>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT c.school_id, c.status FROM current_statuses c \
                 JOIN schools s ON s.id = c.school_id \
                 WHERE s.municipality_id = $1 AND c.school_year = $2",
            )
            .bind(municipality_id)
            .bind(year)
            .fetch_all(&mut *conn)
            .await?)
        }

        pub async fn school_kinds(
            conn: &mut Conn,
            municipality_id: i64,
        ) -> Result<Vec<String>, StoreError> {
            Ok(sqlx::query_scalar(
                "SELECT DISTINCT kind FROM schools WHERE municipality_id = $1 ORDER BY kind",
            )
            .bind(municipality_id)
            .fetch_all(&mut *conn)
            .await?)
        }

        pub async fn school(conn: &mut Conn, id: &str) -> Result<Option<RawSchoolCard>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT s.id, s.name, s.locality, s.kind, s.students, s.low_income, \
                 s.single_parent, s.non_native, s.disability, s.parents_higher_ed, \
                 s.on_register, s.updated_at, m.id AS municipality_id, \
                 m.name AS municipality_name, r.id AS region_id, r.name AS region_name \
                 FROM schools s JOIN municipalities m ON m.id = s.municipality_id \
                 JOIN regions r ON r.id = m.region_id WHERE s.id = $1",
            )
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?)
        }

        /// A school's status records, oldest first.
        pub async fn status_history(
            conn: &mut Conn,
            school_id: &str,
        ) -> Result<Vec<RawStatus>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT school_year, status, decision, source_kind, rule_version, order_number, \
                 order_date, note, recorded_at FROM school_statuses \
                 WHERE school_id = $1 ORDER BY id",
            )
            .bind(school_id)
            .fetch_all(&mut *conn)
            .await?)
        }

        /// School years that have any status record, latest first.
        pub async fn years(conn: &mut Conn) -> Result<Vec<i64>, StoreError> {
            Ok(sqlx::query_scalar(
                "SELECT y.id FROM school_years y \
                 WHERE EXISTS (SELECT 1 FROM school_statuses s WHERE s.school_year = y.id) \
                 ORDER BY y.id DESC",
            )
            .fetch_all(&mut *conn)
            .await?)
        }

        pub async fn people_at_school(
            conn: &mut Conn,
            school_id: &str,
        ) -> Result<Vec<RawPersonRole>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT p.id AS person_id, p.full_name, p.position, a.role \
                 FROM role_assignments a JOIN people p ON p.id = a.person_id \
                 WHERE a.school_id = $1 ORDER BY a.role, p.sort_key",
            )
            .bind(school_id)
            .fetch_all(&mut *conn)
            .await?)
        }

        /// Upserts schools with their regions and municipalities (found or created by name).
        pub async fn import_schools(
            conn: &mut Conn,
            records: &[SchoolRecord],
            now: DateTime<Utc>,
        ) -> Result<ImportSummary, StoreError> {
            let mut summary = ImportSummary::default();
            let mut regions: HashMap<&str, i64> = HashMap::new();
            let mut municipalities: HashMap<(&str, &str), i64> = HashMap::new();
            for record in records {
                let region_id = match regions.get(record.region.as_str()) {
                    Some(&id) => id,
                    None => {
                        let (id, created) = upsert_region(conn, &record.region).await?;
                        summary.regions_created += usize::from(created);
                        regions.insert(&record.region, id);
                        id
                    }
                };
                let key = (record.region.as_str(), record.municipality.as_str());
                if !municipalities.contains_key(&key) {
                    let (id, created) =
                        upsert_municipality(conn, region_id, &record.municipality).await?;
                    summary.municipalities_created += usize::from(created);
                    municipalities.insert(key, id);
                }
            }
            let existing = school_ids(conn).await?;
            let mut rows = Vec::with_capacity(records.len());
            for record in records {
                let key = (record.region.as_str(), record.municipality.as_str());
                let municipality_id = municipalities[&key];
                if existing.contains(record.id.as_str()) {
                    summary.schools_updated += 1;
                } else {
                    summary.schools_created += 1;
                }
                rows.push((municipality_id, record));
            }
            upsert_schools(conn, &rows, now).await?;
            Ok(summary)
        }

        /// Appends status decisions after checking that every school is in the registry.
        pub async fn record_statuses(
            conn: &mut Conn,
            decisions: &[StatusDecisionRecord],
            now: DateTime<Utc>,
        ) -> Result<(), StoreError> {
            ensure_known_schools(conn, decisions.iter().map(|d| d.school_id.as_str())).await?;
            let mut years: Vec<SchoolYear> = decisions.iter().map(|d| d.year).collect();
            years.sort();
            years.dedup();
            ensure_years(conn, &years).await?;
            insert_statuses(conn, decisions, now).await
        }

        /// Writes the demo region: schools, statuses, people and their roles.
        pub async fn load_demo(
            conn: &mut Conn,
            demo: &DemoRegion,
            now: DateTime<Utc>,
        ) -> Result<DemoSummary, StoreError> {
            let imported = import_schools(conn, &demo.schools, now).await?;
            record_statuses(conn, &demo.decisions, now).await?;
            let (region_id, _) = upsert_region(conn, &demo.region).await?;
            for demo_person in &demo.people {
                let person_id = insert_person(conn, &demo_person.person).await?;
                for (role, scope) in &demo_person.roles {
                    match scope {
                        DemoScope::Region => {
                            insert_role(conn, person_id, *role, Some(region_id), None, None).await?
                        }
                        DemoScope::Municipality(name) => {
                            let (id, _) = upsert_municipality(conn, region_id, name).await?;
                            insert_role(conn, person_id, *role, None, Some(id), None).await?
                        }
                        DemoScope::School(id) => {
                            insert_role(conn, person_id, *role, None, None, Some(id.as_str()))
                                .await?
                        }
                    }
                }
            }
            Ok(DemoSummary {
                schools: imported.schools_created + imported.schools_updated,
                municipalities: imported.municipalities_created,
                status_records: demo.decisions.len(),
                people: demo.people.len(),
            })
        }

        /// Stores a road map for an owner as version 1, a draft, with its sections and activities.
        pub async fn save_road_map(
            conn: &mut Conn,
            owner: &OwnerColumns<'_>,
            map: &RoadMap,
            source_name: Option<&str>,
            now: DateTime<Utc>,
        ) -> Result<RoadMapRef, StoreError> {
            let found: i64 = match (owner.region_id, owner.municipality_id, owner.school_id) {
                (Some(id), _, _) => {
                    sqlx::query_scalar("SELECT COUNT(*) FROM regions WHERE id = $1")
                        .bind(id)
                        .fetch_one(&mut *conn)
                        .await?
                }
                (_, Some(id), _) => {
                    sqlx::query_scalar("SELECT COUNT(*) FROM municipalities WHERE id = $1")
                        .bind(id)
                        .fetch_one(&mut *conn)
                        .await?
                }
                (_, _, Some(id)) => {
                    sqlx::query_scalar("SELECT COUNT(*) FROM schools WHERE id = $1")
                        .bind(id)
                        .fetch_one(&mut *conn)
                        .await?
                }
                _ => 0,
            };
            if found == 0 {
                return Err(StoreError::UnknownOwner(owner.describe()));
            }
            let road_map_id: i64 = sqlx::query_scalar(
                "INSERT INTO road_maps (level, region_id, municipality_id, school_id, created_at) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(level_code(map.level))
            .bind(owner.region_id)
            .bind(owner.municipality_id)
            .bind(owner.school_id)
            .bind(now)
            .fetch_one(&mut *conn)
            .await?;
            let version_id: i64 = sqlx::query_scalar(
                "INSERT INTO road_map_versions (road_map_id, version, state, title, owner_text, \
                 period_from, period_to, order_json, goals, tasks, expected_results, source_name, \
                 created_at) VALUES ($1, 1, 'draft', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
                 RETURNING id",
            )
            .bind(road_map_id)
            .bind(&map.title)
            .bind(&map.owner)
            .bind(map.period.map(|w| w.from))
            .bind(map.period.map(|w| w.to))
            .bind(map.order.as_ref().map(to_json).transpose()?)
            .bind(to_json(&map.goals)?)
            .bind(to_json(&map.tasks)?)
            .bind(to_json(&map.expected_results)?)
            .bind(source_name)
            .bind(now)
            .fetch_one(&mut *conn)
            .await?;
            for (position, section) in map.sections.iter().enumerate() {
                let section_id: i64 = sqlx::query_scalar(
                    "INSERT INTO road_map_sections (version_id, position, title, tasks, \
                     planned_results) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(version_id)
                .bind(position as i64)
                .bind(&section.title)
                .bind(to_json(&section.tasks)?)
                .bind(to_json(&section.planned_results)?)
                .fetch_one(&mut *conn)
                .await?;
                let rows = section
                    .activities
                    .iter()
                    .enumerate()
                    .map(|(i, a)| {
                        Ok((
                            i as i64,
                            a,
                            a.period.as_ref().map(to_json).transpose()?,
                            to_json(&a.responsible)?,
                        ))
                    })
                    .collect::<Result<Vec<_>, StoreError>>()?;
                for chunk in rows.chunks(BATCH) {
                    let mut query = QueryBuilder::<$Db>::new(
                        "INSERT INTO road_map_activities (section_id, position, number, title, \
                         period_json, responsible, output, indicator, publicity, external_help) ",
                    );
                    query.push_values(chunk, |mut row, (position, a, period, responsible)| {
                        row.push_bind(section_id)
                            .push_bind(*position)
                            .push_bind(a.number.as_deref())
                            .push_bind(a.title.as_str())
                            .push_bind(period.as_deref())
                            .push_bind(responsible.as_str())
                            .push_bind(a.output.as_deref())
                            .push_bind(a.indicator.as_deref())
                            .push_bind(a.publicity.as_deref())
                            .push_bind(a.external_help.as_deref());
                    });
                    query.build().execute(&mut *conn).await?;
                }
            }
            Ok(RoadMapRef {
                id: road_map_id,
                version: 1,
            })
        }

        /// The latest version of each road map of an owner.
        pub async fn road_maps_of(
            conn: &mut Conn,
            owner: &OwnerColumns<'_>,
        ) -> Result<Vec<RawRoadMapSummary>, StoreError> {
            let mut query = QueryBuilder::<$Db>::new(
                "SELECT r.id, r.level, v.version, v.state, v.title, \
                 (SELECT COUNT(*) FROM road_map_activities a \
                  JOIN road_map_sections s ON s.id = a.section_id \
                  WHERE s.version_id = v.id) AS activities \
                 FROM road_maps r JOIN road_map_versions v ON v.road_map_id = r.id \
                 WHERE v.version = (SELECT MAX(w.version) FROM road_map_versions w \
                                    WHERE w.road_map_id = r.id) AND ",
            );
            match (owner.region_id, owner.municipality_id, owner.school_id) {
                (Some(id), _, _) => query.push("r.region_id = ").push_bind(id),
                (_, Some(id), _) => query.push("r.municipality_id = ").push_bind(id),
                (_, _, Some(id)) => query.push("r.school_id = ").push_bind(id),
                _ => query.push("1 = 0"),
            };
            query.push(" ORDER BY r.id");
            Ok(query.build_query_as().fetch_all(&mut *conn).await?)
        }

        /// One version of a road map (the latest when `version` is `None`), with its owner.
        pub async fn road_map_version(
            conn: &mut Conn,
            road_map_id: i64,
            version: Option<i64>,
        ) -> Result<Option<RawRoadMapVersion>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT v.id AS version_id, r.id, r.level, r.region_id, r.municipality_id, \
                 r.school_id, v.version, v.state, v.title, v.owner_text, v.period_from, \
                 v.period_to, v.order_json, v.goals, v.tasks, v.expected_results, v.source_name, \
                 v.created_at FROM road_maps r JOIN road_map_versions v ON v.road_map_id = r.id \
                 WHERE r.id = $1 AND v.version = COALESCE($2, (SELECT MAX(w.version) \
                 FROM road_map_versions w WHERE w.road_map_id = r.id))",
            )
            .bind(road_map_id)
            .bind(version)
            .fetch_optional(&mut *conn)
            .await?)
        }

        pub async fn road_map_sections(
            conn: &mut Conn,
            version_id: i64,
        ) -> Result<Vec<RawSection>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT id, title, tasks, planned_results FROM road_map_sections \
                 WHERE version_id = $1 ORDER BY position",
            )
            .bind(version_id)
            .fetch_all(&mut *conn)
            .await?)
        }

        pub async fn road_map_activities(
            conn: &mut Conn,
            version_id: i64,
        ) -> Result<Vec<RawActivity>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT a.section_id, COALESCE(a.origin_id, a.id) AS activity_key, a.number, a.title, \
                 a.period_json, a.responsible, a.output, \
                 a.indicator, a.publicity, a.external_help FROM road_map_activities a \
                 JOIN road_map_sections s ON s.id = a.section_id \
                 WHERE s.version_id = $1 ORDER BY s.position, a.position",
            )
            .bind(version_id)
            .fetch_all(&mut *conn)
            .await?)
        }

        // Assessment results (migrations 0003): aggregated cells and the imports that wrote them.

        use crate::results::{
            ImportResultsSummary, RawResultCell, RawResultImport, RawSchoolSocial, ResultCell,
            ResultsKind, RuleRunStatus, RuleRunSummary, ege_scores_column, stored_count,
        };
        use orientir_domain::registry::{StatusDecision, StatusKind};

        /// Rows per multi-row INSERT of result cells (17 parameters a row).
        const RESULT_BATCH: usize = 400;

        async fn count_result_cells(conn: &mut Conn, from: i64, to: i64) -> Result<i64, StoreError> {
            Ok(
                sqlx::query_scalar("SELECT COUNT(*) FROM result_cells WHERE year BETWEEN $1 AND $2")
                    .bind(from)
                    .bind(to)
                    .fetch_one(&mut *conn)
                    .await?,
            )
        }

        /// Records an import and upserts its cells. A cell already stored for the same (school,
        /// year, procedure, subject, grade) is replaced and points at this import; stored cells the
        /// import does not name stay. Unknown schools or a repeated cell reject the whole import.
        pub async fn import_results(
            conn: &mut Conn,
            file_name: &str,
            kind: ResultsKind,
            cells: &[ResultCell],
            rows: u64,
            skipped: u64,
            now: DateTime<Utc>,
        ) -> Result<ImportResultsSummary, StoreError> {
            ensure_known_schools(conn, cells.iter().map(|c| c.school_id.as_str())).await?;
            let mut keys = HashSet::with_capacity(cells.len());
            for cell in cells {
                if !keys.insert(cell.sort_key()) {
                    return Err(StoreError::DuplicateResultCell(cell.label()));
                }
            }
            // Every distribution is checked before anything is written.
            let written = cells
                .iter()
                .map(|c| Ok((c, ege_scores_column(c)?)))
                .collect::<Result<Vec<_>, StoreError>>()?;
            let mut years: Vec<i32> = cells.iter().map(|c| c.year).collect();
            years.sort_unstable();
            years.dedup();
            let schools: HashSet<&str> = cells.iter().map(|c| c.school_id.as_str()).collect();
            let span = (
                years.first().map_or(0, |y| i64::from(*y)),
                years.last().map_or(0, |y| i64::from(*y)),
            );
            let before = count_result_cells(conn, span.0, span.1).await?;
            let import_id: i64 = sqlx::query_scalar(
                "INSERT INTO result_imports (file_name, kind, rows_read, cells, skipped_rows, \
                 created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(file_name)
            .bind(kind.code())
            .bind(stored_count(rows))
            .bind(stored_count(cells.len() as u64))
            .bind(stored_count(skipped))
            .bind(now)
            .fetch_one(&mut *conn)
            .await?;
            for chunk in written.chunks(RESULT_BATCH) {
                let mut query = QueryBuilder::<$Db>::new(
                    "INSERT INTO result_cells (school_id, year, procedure, subject, grade, \
                     participants, failed, mark2, mark3, mark4, mark5, score_sum, score_min, \
                     score_max, ege_scores, import_id, imported_at) ",
                );
                query.push_values(chunk, |mut row, (c, ege_scores)| {
                    row.push_bind(c.school_id.as_str())
                        .push_bind(i64::from(c.year))
                        .push_bind(c.procedure.code())
                        .push_bind(c.subject.as_str())
                        .push_bind(i64::from(c.grade))
                        .push_bind(stored_count(c.participants))
                        .push_bind(stored_count(c.failed))
                        .push_bind(stored_count(c.mark2))
                        .push_bind(stored_count(c.mark3))
                        .push_bind(stored_count(c.mark4))
                        .push_bind(stored_count(c.mark5))
                        .push_bind(c.score_sum)
                        .push_bind(c.score_min)
                        .push_bind(c.score_max)
                        .push_bind(ege_scores.as_deref())
                        .push_bind(import_id)
                        .push_bind(now);
                });
                query.push(
                    " ON CONFLICT (school_id, year, procedure, subject, grade) DO UPDATE SET \
                     participants = excluded.participants, failed = excluded.failed, \
                     mark2 = excluded.mark2, mark3 = excluded.mark3, mark4 = excluded.mark4, \
                     mark5 = excluded.mark5, score_sum = excluded.score_sum, \
                     score_min = excluded.score_min, score_max = excluded.score_max, \
                     ege_scores = excluded.ege_scores, import_id = excluded.import_id, imported_at = excluded.imported_at",
                );
                query.build().execute(&mut *conn).await?;
            }
            let after = count_result_cells(conn, span.0, span.1).await?;
            let new_cells = usize::try_from(after - before).unwrap_or_default();
            Ok(ImportResultsSummary {
                import_id,
                cells: cells.len(),
                new_cells,
                replaced_cells: cells.len().saturating_sub(new_cells),
                schools: schools.len(),
                years,
            })
        }

        const RESULT_COLUMNS: &str = "SELECT school_id, year, procedure, subject, grade, \
             participants, failed, mark2, mark3, mark4, mark5, score_sum, score_min, score_max, \
             ege_scores, import_id, imported_at FROM result_cells ";

        /// Stored cells of the years `from..=to`.
        pub async fn result_cells(
            conn: &mut Conn,
            from: i64,
            to: i64,
        ) -> Result<Vec<RawResultCell>, StoreError> {
            let mut query = QueryBuilder::<$Db>::new(RESULT_COLUMNS);
            query.push("WHERE year BETWEEN ").push_bind(from);
            query.push(" AND ").push_bind(to);
            Ok(query.build_query_as().fetch_all(&mut *conn).await?)
        }

        /// Stored cells of one school, every year.
        pub async fn school_results(
            conn: &mut Conn,
            school_id: &str,
        ) -> Result<Vec<RawResultCell>, StoreError> {
            let mut query = QueryBuilder::<$Db>::new(RESULT_COLUMNS);
            query.push("WHERE school_id = ").push_bind(school_id);
            Ok(query.build_query_as().fetch_all(&mut *conn).await?)
        }

        /// Every recorded import of results, oldest first.
        pub async fn result_imports(conn: &mut Conn) -> Result<Vec<RawResultImport>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT id, file_name, kind, rows_read, cells, skipped_rows, created_at \
                 FROM result_imports ORDER BY id",
            )
            .fetch_all(&mut *conn)
            .await?)
        }

        /// Every school of the registry with its social-context shares.
        pub async fn school_social(conn: &mut Conn) -> Result<Vec<RawSchoolSocial>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT id, low_income, single_parent, non_native, disability, \
                 parents_higher_ed, on_register FROM schools",
            )
            .fetch_all(&mut *conn)
            .await?)
        }

        /// Statuses in force in a year whose latest record is a rule run's: (school id, status).
        pub async fn rule_statuses_in_force(
            conn: &mut Conn,
            year: i64,
        ) -> Result<Vec<(String, String)>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT s.school_id, s.status FROM school_statuses s \
                 WHERE s.school_year = $1 AND s.decision = 'assigned' \
                 AND s.source_kind = 'rule_run' \
                 AND s.id = (SELECT MAX(t.id) FROM school_statuses t \
                             WHERE t.school_id = s.school_id AND t.school_year = s.school_year \
                             AND t.status = s.status)",
            )
            .bind(year)
            .fetch_all(&mut *conn)
            .await?)
        }

        /// Appends a rule run's lists for a year: `assigned` for every listed (school, status);
        /// `removed` for every status an earlier rule run gave in that year that is not listed now.
        /// Statuses in force by a manual decision are left alone.
        pub async fn record_rule_run(
            conn: &mut Conn,
            year: SchoolYear,
            rule_version: &str,
            listed: &[RuleRunStatus],
            now: DateTime<Utc>,
        ) -> Result<RuleRunSummary, StoreError> {
            let source = StatusSource::RuleRun {
                rule_version: rule_version.to_owned(),
            };
            let on_list: HashSet<(&str, StatusKind)> = listed
                .iter()
                .map(|l| (l.school_id.as_str(), l.status))
                .collect();
            let mut records: Vec<StatusDecisionRecord> = listed
                .iter()
                .map(|l| StatusDecisionRecord {
                    school_id: l.school_id.clone(),
                    year,
                    status: l.status,
                    decision: StatusDecision::Assigned,
                    source: source.clone(),
                    note: l.note.clone(),
                })
                .collect();
            let assigned = records.len();
            let mut in_force = rule_statuses_in_force(conn, i64::from(year.start_year())).await?;
            in_force.sort();
            for (school_id, code) in in_force {
                let status = crate::convert::status(&code)?;
                if on_list.contains(&(school_id.as_str(), status)) {
                    continue;
                }
                let school_id = orientir_domain::registry::SchoolId::parse(&school_id)
                    .map_err(|_| StoreError::Corrupt(format!("код школы «{school_id}»")))?;
                records.push(StatusDecisionRecord {
                    school_id,
                    year,
                    status,
                    decision: StatusDecision::Removed,
                    source: source.clone(),
                    note: Some(format!(
                        "Не входит в список при выявлении по правилу версии {rule_version}"
                    )),
                });
            }
            let removed = records.len() - assigned;
            record_statuses(conn, &records, now).await?;
            Ok(RuleRunSummary { assigned, removed })
        }

        /// The latest version of a road map: (version row id, number, state code).
        pub async fn latest_version(
            conn: &mut Conn,
            road_map_id: i64,
        ) -> Result<Option<(i64, i64, String)>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT id, version, state FROM road_map_versions WHERE road_map_id = $1 \
                 ORDER BY version DESC LIMIT 1",
            )
            .bind(road_map_id)
            .fetch_optional(&mut *conn)
            .await?)
        }

        /// Copies a version with its sections and activities as the next draft; returns its id.
        pub async fn copy_version(
            conn: &mut Conn,
            from_id: i64,
            new_version: i64,
            now: DateTime<Utc>,
        ) -> Result<i64, StoreError> {
            let new_id: i64 = sqlx::query_scalar(
                "INSERT INTO road_map_versions (road_map_id, version, state, title, owner_text, \
                 period_from, period_to, order_json, goals, tasks, expected_results, source_name, \
                 created_at) SELECT road_map_id, $2, 'draft', title, owner_text, period_from, \
                 period_to, order_json, goals, tasks, expected_results, source_name, $3 \
                 FROM road_map_versions WHERE id = $1 RETURNING id",
            )
            .bind(from_id)
            .bind(new_version)
            .bind(now)
            .fetch_one(&mut *conn)
            .await?;
            let sections: Vec<i64> = sqlx::query_scalar(
                "SELECT id FROM road_map_sections WHERE version_id = $1 ORDER BY position",
            )
            .bind(from_id)
            .fetch_all(&mut *conn)
            .await?;
            for old_section in sections {
                let new_section: i64 = sqlx::query_scalar(
                    "INSERT INTO road_map_sections (version_id, position, title, tasks, \
                     planned_results) SELECT $1, position, title, tasks, planned_results \
                     FROM road_map_sections WHERE id = $2 RETURNING id",
                )
                .bind(new_id)
                .bind(old_section)
                .fetch_one(&mut *conn)
                .await?;
                sqlx::query(
                    "INSERT INTO road_map_activities (section_id, position, number, title, \
                     period_json, responsible, output, indicator, publicity, external_help, \
                     origin_id) SELECT $1, position, number, title, period_json, responsible, \
                     output, indicator, publicity, external_help, COALESCE(origin_id, id) \
                     FROM road_map_activities WHERE section_id = $2",
                )
                .bind(new_section)
                .bind(old_section)
                .execute(&mut *conn)
                .await?;
            }
            Ok(new_id)
        }

        /// The id of a version's section at a position.
        pub async fn section_id(
            conn: &mut Conn,
            version_id: i64,
            position: i64,
        ) -> Result<Option<i64>, StoreError> {
            Ok(sqlx::query_scalar(
                "SELECT id FROM road_map_sections WHERE version_id = $1 AND position = $2",
            )
            .bind(version_id)
            .bind(position)
            .fetch_optional(&mut *conn)
            .await?)
        }

        pub async fn activity_count(conn: &mut Conn, section_id: i64) -> Result<i64, StoreError> {
            Ok(
                sqlx::query_scalar("SELECT COUNT(*) FROM road_map_activities WHERE section_id = $1")
                    .bind(section_id)
                    .fetch_one(&mut *conn)
                    .await?,
            )
        }

        /// Writes an activity at a position, replacing what is there when `replace`.
        pub async fn write_activity(
            conn: &mut Conn,
            section_id: i64,
            position: i64,
            activity: &Activity,
            replace: bool,
        ) -> Result<(), StoreError> {
            let period = activity.period.as_ref().map(to_json).transpose()?;
            let responsible = to_json(&activity.responsible)?;
            let sql = if replace {
                "UPDATE road_map_activities SET number = $3, title = $4, period_json = $5, \
                 responsible = $6, output = $7, indicator = $8, publicity = $9, \
                 external_help = $10 WHERE section_id = $1 AND position = $2"
            } else {
                "INSERT INTO road_map_activities (section_id, position, number, title, \
                 period_json, responsible, output, indicator, publicity, external_help) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
            };
            sqlx::query(sql)
                .bind(section_id)
                .bind(position)
                .bind(activity.number.as_deref())
                .bind(activity.title.as_str())
                .bind(period)
                .bind(responsible)
                .bind(activity.output.as_deref())
                .bind(activity.indicator.as_deref())
                .bind(activity.publicity.as_deref())
                .bind(activity.external_help.as_deref())
                .execute(&mut *conn)
                .await?;
            Ok(())
        }

        /// Removes the activity at a position and closes the gap. Positions pass through negative
        /// values so the UNIQUE (section, position) constraint holds after every row update.
        pub async fn delete_activity(
            conn: &mut Conn,
            section_id: i64,
            position: i64,
        ) -> Result<(), StoreError> {
            sqlx::query("DELETE FROM road_map_activities WHERE section_id = $1 AND position = $2")
                .bind(section_id)
                .bind(position)
                .execute(&mut *conn)
                .await?;
            sqlx::query(
                "UPDATE road_map_activities SET position = -position WHERE section_id = $1 \
                 AND position > $2",
            )
            .bind(section_id)
            .bind(position)
            .execute(&mut *conn)
            .await?;
            sqlx::query(
                "UPDATE road_map_activities SET position = -position - 1 WHERE section_id = $1 \
                 AND position < 0",
            )
            .bind(section_id)
            .execute(&mut *conn)
            .await?;
            Ok(())
        }

        /// Swaps the activities at two positions of a section.
        pub async fn swap_activities(
            conn: &mut Conn,
            section_id: i64,
            a: i64,
            b: i64,
        ) -> Result<(), StoreError> {
            for (from, to) in [(a, -1), (b, a), (-1, b)] {
                sqlx::query(
                    "UPDATE road_map_activities SET position = $3 WHERE section_id = $1 \
                     AND position = $2",
                )
                .bind(section_id)
                .bind(from)
                .bind(to)
                .execute(&mut *conn)
                .await?;
            }
            Ok(())
        }

        pub async fn road_map_version_list(
            conn: &mut Conn,
            road_map_id: i64,
        ) -> Result<Vec<(i64, String)>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT version, state FROM road_map_versions WHERE road_map_id = $1 \
                 ORDER BY version DESC",
            )
            .bind(road_map_id)
            .fetch_all(&mut *conn)
            .await?)
        }

        /// The years that have stored results, latest first.
        pub async fn result_years(conn: &mut Conn) -> Result<Vec<i64>, StoreError> {
            Ok(sqlx::query_scalar(
                "SELECT DISTINCT year FROM result_cells ORDER BY year DESC",
            )
            .fetch_all(&mut *conn)
            .await?)
        }

        pub async fn approve_version(conn: &mut Conn, version_id: i64) -> Result<(), StoreError> {
            sqlx::query("UPDATE road_map_versions SET state = 'approved' WHERE id = $1")
                .bind(version_id)
                .execute(&mut *conn)
                .await?;
            Ok(())
        }
    };
}

pub mod sqlite {
    repository!(sqlx::Sqlite);

    pub mod access {
        access_repository!(sqlx::Sqlite);
    }

    pub mod execution {
        execution_repository!(sqlx::Sqlite);
    }

    pub mod monitoring {
        monitoring_repository!(sqlx::Sqlite);
    }

    pub mod curation {
        curation_repository!(sqlx::Sqlite);
    }
}

pub mod postgres {
    repository!(sqlx::Postgres);

    pub mod access {
        access_repository!(sqlx::Postgres);
    }

    pub mod execution {
        execution_repository!(sqlx::Postgres);
    }

    pub mod monitoring {
        monitoring_repository!(sqlx::Postgres);
    }

    pub mod curation {
        curation_repository!(sqlx::Postgres);
    }
}
