//! The SQL of сопровождение: curator assignments, mentor agreements (соглашения) with their joint
//! plans, curators' visits, and the accounts list with roles. Written once and compiled for each
//! backend like `repo.rs` (expanded there as `repo::<backend>::curation`).

macro_rules! curation_repository {
    ($Db:ty) => {
        use chrono::{DateTime, NaiveDate, Utc};

        use crate::StoreError;
        use crate::curation::{
            AgreementRow, CuratedSchool, CuratorCandidate, CuratorRow, RegionSchool, UserRoleRow,
            VisitRow,
        };

        type Conn = <$Db as sqlx::Database>::Connection;

        pub async fn curators_of(
            conn: &mut Conn,
            school_id: &str,
        ) -> Result<Vec<CuratorRow>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT u.id AS user_id, u.login, p.id AS person_id, p.full_name, ca.assigned_at \
                 FROM curator_assignments ca JOIN people p ON p.id = ca.person_id \
                 LEFT JOIN users u ON u.person_id = p.id \
                 WHERE ca.school_id = $1 ORDER BY p.sort_key, p.id, u.id",
            )
            .bind(school_id)
            .fetch_all(&mut *conn)
            .await?)
        }

        /// Enabled accounts holding the curator role in the municipality or in its whole region.
        pub async fn curator_candidates(
            conn: &mut Conn,
            municipality_id: i64,
        ) -> Result<Vec<CuratorCandidate>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT DISTINCT u.id AS user_id, u.login, p.full_name, p.sort_key \
                 FROM users u JOIN people p ON p.id = u.person_id \
                 JOIN role_assignments ra ON ra.person_id = u.person_id \
                 WHERE ra.role = 'curator' AND NOT u.disabled \
                 AND (ra.municipality_id = $1 OR ra.region_id = \
                      (SELECT region_id FROM municipalities WHERE id = $1)) \
                 ORDER BY p.sort_key, u.login",
            )
            .bind(municipality_id)
            .fetch_all(&mut *conn)
            .await?)
        }

        pub async fn schools_of_curator(
            conn: &mut Conn,
            user_id: i64,
        ) -> Result<Vec<CuratedSchool>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT s.id AS school_id, s.name AS school_name, s.municipality_id, \
                 m.name AS municipality_name, ca.assigned_at \
                 FROM users u JOIN curator_assignments ca ON ca.person_id = u.person_id \
                 JOIN schools s ON s.id = ca.school_id \
                 JOIN municipalities m ON m.id = s.municipality_id \
                 WHERE u.id = $1 ORDER BY m.sort_key, s.sort_key",
            )
            .bind(user_id)
            .fetch_all(&mut *conn)
            .await?)
        }

        pub async fn is_curator_of(
            conn: &mut Conn,
            user_id: i64,
            school_id: &str,
        ) -> Result<bool, StoreError> {
            let n: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM users u \
                 JOIN curator_assignments ca ON ca.person_id = u.person_id \
                 WHERE u.id = $1 AND ca.school_id = $2",
            )
            .bind(user_id)
            .bind(school_id)
            .fetch_one(&mut *conn)
            .await?;
            Ok(n > 0)
        }

        pub async fn delete_curator_assignment(
            conn: &mut Conn,
            person_id: i64,
            school_id: &str,
        ) -> Result<bool, StoreError> {
            Ok(sqlx::query(
                "DELETE FROM curator_assignments WHERE person_id = $1 AND school_id = $2",
            )
            .bind(person_id)
            .bind(school_id)
            .execute(&mut *conn)
            .await?
            .rows_affected()
                > 0)
        }

        /// (login, full name) of an account, for audit records people can read.
        pub async fn user_name(
            conn: &mut Conn,
            user_id: i64,
        ) -> Result<Option<(String, String)>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT u.login, p.full_name FROM users u JOIN people p ON p.id = u.person_id \
                 WHERE u.id = $1",
            )
            .bind(user_id)
            .fetch_optional(&mut *conn)
            .await?)
        }

        /// Every school of a region, mentors in force (in the latest year with statuses) first.
        pub async fn region_schools(
            conn: &mut Conn,
            region_id: i64,
        ) -> Result<Vec<RegionSchool>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT s.id, s.name, s.municipality_id, m.name AS municipality_name, \
                 CAST(CASE WHEN EXISTS (SELECT 1 FROM current_statuses c \
                   WHERE c.school_id = s.id AND c.status = 'mentor' \
                   AND c.school_year = (SELECT MAX(school_year) FROM school_statuses)) \
                 THEN 1 ELSE 0 END AS BIGINT) AS mentor \
                 FROM schools s JOIN municipalities m ON m.id = s.municipality_id \
                 WHERE m.region_id = $1 ORDER BY mentor DESC, m.sort_key, s.sort_key",
            )
            .bind(region_id)
            .fetch_all(&mut *conn)
            .await?)
        }

        /// (region id, name) of a school.
        pub async fn school_region_and_name(
            conn: &mut Conn,
            school_id: &str,
        ) -> Result<Option<(i64, String)>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT m.region_id, s.name FROM schools s \
                 JOIN municipalities m ON m.id = s.municipality_id WHERE s.id = $1",
            )
            .bind(school_id)
            .fetch_optional(&mut *conn)
            .await?)
        }

        #[allow(clippy::too_many_arguments)]
        pub async fn insert_agreement(
            conn: &mut Conn,
            school_id: &str,
            mentor_school_id: &str,
            number: &str,
            signed_on: NaiveDate,
            valid_from: NaiveDate,
            valid_to: NaiveDate,
            road_map_id: i64,
            now: DateTime<Utc>,
        ) -> Result<i64, StoreError> {
            Ok(sqlx::query_scalar(
                "INSERT INTO agreements (school_id, mentor_school_id, number, signed_on, \
                 valid_from, valid_to, road_map_id, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(school_id)
            .bind(mentor_school_id)
            .bind(number)
            .bind(signed_on)
            .bind(valid_from)
            .bind(valid_to)
            .bind(road_map_id)
            .bind(now)
            .fetch_one(&mut *conn)
            .await?)
        }

        /// Agreements the school is a party of, as the supported or as the mentor school.
        pub async fn agreements_of(
            conn: &mut Conn,
            school_id: &str,
        ) -> Result<Vec<AgreementRow>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT a.id, a.school_id, s.name AS school_name, a.mentor_school_id, \
                 ms.name AS mentor_school_name, a.number, a.signed_on, a.valid_from, a.valid_to, \
                 a.road_map_id, a.created_at FROM agreements a \
                 JOIN schools s ON s.id = a.school_id \
                 JOIN schools ms ON ms.id = a.mentor_school_id \
                 WHERE a.school_id = $1 OR a.mentor_school_id = $1 \
                 ORDER BY a.signed_on DESC, a.id DESC",
            )
            .bind(school_id)
            .fetch_all(&mut *conn)
            .await?)
        }

        pub async fn insert_visit(
            conn: &mut Conn,
            school_id: &str,
            curator_person_id: i64,
            planned_on: NaiveDate,
            purpose: &str,
            now: DateTime<Utc>,
        ) -> Result<i64, StoreError> {
            Ok(sqlx::query_scalar(
                "INSERT INTO visits (school_id, curator_person_id, planned_on, purpose, notes, \
                 created_at) VALUES ($1, $2, $3, $4, '', $5) RETURNING id",
            )
            .bind(school_id)
            .bind(curator_person_id)
            .bind(planned_on)
            .bind(purpose)
            .bind(now)
            .fetch_one(&mut *conn)
            .await?)
        }

        pub async fn set_visit_done(
            conn: &mut Conn,
            id: i64,
            visited_on: NaiveDate,
            notes: &str,
        ) -> Result<(), StoreError> {
            sqlx::query("UPDATE visits SET visited_on = $2, notes = $3 WHERE id = $1")
                .bind(id)
                .bind(visited_on)
                .bind(notes)
                .execute(&mut *conn)
                .await?;
            Ok(())
        }

        const VISIT_COLUMNS: &str = "SELECT v.id, v.school_id, s.name AS school_name, \
             v.curator_person_id, p.full_name AS curator_name, v.planned_on, v.visited_on, \
             v.purpose, v.notes, v.created_at FROM visits v \
             JOIN schools s ON s.id = v.school_id JOIN people p ON p.id = v.curator_person_id";

        pub async fn visit(conn: &mut Conn, id: i64) -> Result<Option<VisitRow>, StoreError> {
            Ok(sqlx::query_as(&format!("{VISIT_COLUMNS} WHERE v.id = $1"))
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?)
        }

        pub async fn visits_of(
            conn: &mut Conn,
            school_id: &str,
        ) -> Result<Vec<VisitRow>, StoreError> {
            Ok(sqlx::query_as(&format!(
                "{VISIT_COLUMNS} WHERE v.school_id = $1 ORDER BY v.planned_on, v.id"
            ))
            .bind(school_id)
            .fetch_all(&mut *conn)
            .await?)
        }

        pub async fn visits_of_curator(
            conn: &mut Conn,
            user_id: i64,
        ) -> Result<Vec<VisitRow>, StoreError> {
            Ok(sqlx::query_as(&format!(
                "{VISIT_COLUMNS} WHERE v.curator_person_id = \
                 (SELECT person_id FROM users WHERE id = $1) ORDER BY v.planned_on, v.id"
            ))
            .bind(user_id)
            .fetch_all(&mut *conn)
            .await?)
        }

        /// Every account with each of its roles (an account without roles has one line of NULLs).
        pub async fn user_roles(conn: &mut Conn) -> Result<Vec<UserRoleRow>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT u.id AS user_id, u.login, p.full_name, u.disabled, ra.role, \
                 COALESCE(ra.region_id, m.region_id, sm.region_id) AS region_id, \
                 ra.municipality_id, ra.school_id, \
                 COALESCE(r.name, m.name, s.name) AS scope_name \
                 FROM users u JOIN people p ON p.id = u.person_id \
                 LEFT JOIN role_assignments ra ON ra.person_id = u.person_id \
                 LEFT JOIN regions r ON r.id = ra.region_id \
                 LEFT JOIN municipalities m ON m.id = ra.municipality_id \
                 LEFT JOIN schools s ON s.id = ra.school_id \
                 LEFT JOIN municipalities sm ON sm.id = s.municipality_id \
                 ORDER BY u.login, ra.id",
            )
            .fetch_all(&mut *conn)
            .await?)
        }
    };
}
