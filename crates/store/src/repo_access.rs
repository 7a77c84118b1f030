//! The SQL of accounts, sessions, API tokens, login throttling, places and the audit log, written
//! once and compiled for each backend like `repo.rs` (expanded there as `repo::<backend>::access`).

macro_rules! access_repository {
    ($Db:ty) => {
        use chrono::{DateTime, Utc};

        use crate::StoreError;
        use crate::access::{
            AuditEntry, NewAudit, RawGrant, RawPlace, SessionRow, UserCredentials, UserRow,
        };

        type Conn = <$Db as sqlx::Database>::Connection;

        pub async fn insert_user(
            conn: &mut Conn,
            login: &str,
            person_id: i64,
            password_hash: &str,
            now: DateTime<Utc>,
        ) -> Result<i64, StoreError> {
            Ok(sqlx::query_scalar(
                "INSERT INTO users (login, person_id, password_hash, created_at, \
                 password_changed_at) VALUES ($1, $2, $3, $4, $4) RETURNING id",
            )
            .bind(login)
            .bind(person_id)
            .bind(password_hash)
            .bind(now)
            .fetch_one(&mut *conn)
            .await?)
        }

        pub async fn login_taken(conn: &mut Conn, login: &str) -> Result<bool, StoreError> {
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE login = $1")
                .bind(login)
                .fetch_one(&mut *conn)
                .await?;
            Ok(n > 0)
        }

        pub async fn credentials(
            conn: &mut Conn,
            login: &str,
        ) -> Result<Option<UserCredentials>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT id, login, password_hash, disabled FROM users WHERE login = $1",
            )
            .bind(login)
            .fetch_optional(&mut *conn)
            .await?)
        }

        pub async fn credentials_by_id(
            conn: &mut Conn,
            id: i64,
        ) -> Result<Option<UserCredentials>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT id, login, password_hash, disabled FROM users WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?)
        }

        pub async fn set_password(
            conn: &mut Conn,
            id: i64,
            password_hash: &str,
            now: DateTime<Utc>,
        ) -> Result<(), StoreError> {
            sqlx::query(
                "UPDATE users SET password_hash = $2, password_changed_at = $3 WHERE id = $1",
            )
            .bind(id)
            .bind(password_hash)
            .bind(now)
            .execute(&mut *conn)
            .await?;
            Ok(())
        }

        pub async fn users(conn: &mut Conn) -> Result<Vec<UserRow>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT u.id, u.login, p.full_name, p.id AS person_id, u.disabled FROM users u \
                 JOIN people p ON p.id = u.person_id ORDER BY u.login",
            )
            .fetch_all(&mut *conn)
            .await?)
        }

        /// The user's role assignments and curator assignments, each resolved to a full path.
        pub async fn grants(conn: &mut Conn, user_id: i64) -> Result<Vec<RawGrant>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT ra.role, COALESCE(ra.region_id, m.region_id, sm.region_id) AS region_id, \
                 COALESCE(ra.municipality_id, s.municipality_id) AS municipality_id, \
                 ra.school_id FROM users u \
                 JOIN role_assignments ra ON ra.person_id = u.person_id \
                 LEFT JOIN municipalities m ON m.id = ra.municipality_id \
                 LEFT JOIN schools s ON s.id = ra.school_id \
                 LEFT JOIN municipalities sm ON sm.id = s.municipality_id \
                 WHERE u.id = $1 \
                 UNION ALL \
                 SELECT 'curator' AS role, m.region_id, s.municipality_id, s.id AS school_id \
                 FROM users u JOIN curator_assignments ca ON ca.person_id = u.person_id \
                 JOIN schools s ON s.id = ca.school_id \
                 JOIN municipalities m ON m.id = s.municipality_id WHERE u.id = $1",
            )
            .bind(user_id)
            .fetch_all(&mut *conn)
            .await?)
        }

        pub async fn insert_session(
            conn: &mut Conn,
            token_hash: &str,
            user_id: i64,
            csrf_token: &str,
            now: DateTime<Utc>,
            expires_at: DateTime<Utc>,
        ) -> Result<(), StoreError> {
            sqlx::query(
                "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(token_hash)
            .bind(user_id)
            .bind(csrf_token)
            .bind(now)
            .bind(expires_at)
            .execute(&mut *conn)
            .await?;
            Ok(())
        }

        pub async fn session(
            conn: &mut Conn,
            token_hash: &str,
        ) -> Result<Option<SessionRow>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT s.user_id, u.login, s.csrf_token, s.expires_at FROM sessions s \
                 JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND NOT u.disabled",
            )
            .bind(token_hash)
            .fetch_optional(&mut *conn)
            .await?)
        }

        pub async fn delete_session(conn: &mut Conn, token_hash: &str) -> Result<(), StoreError> {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(token_hash)
                .execute(&mut *conn)
                .await?;
            Ok(())
        }

        /// Ends every session of a user but one (`keep`, e.g. the one changing the password).
        pub async fn delete_sessions_of(
            conn: &mut Conn,
            user_id: i64,
            keep: &str,
        ) -> Result<(), StoreError> {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
                .bind(user_id)
                .bind(keep)
                .execute(&mut *conn)
                .await?;
            Ok(())
        }

        pub async fn delete_expired_sessions(
            conn: &mut Conn,
            now: DateTime<Utc>,
        ) -> Result<(), StoreError> {
            sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
                .bind(now)
                .execute(&mut *conn)
                .await?;
            Ok(())
        }

        pub async fn insert_api_token(
            conn: &mut Conn,
            user_id: i64,
            name: &str,
            token_hash: &str,
            now: DateTime<Utc>,
        ) -> Result<i64, StoreError> {
            Ok(sqlx::query_scalar(
                "INSERT INTO api_tokens (user_id, name, token_hash, created_at) \
                 VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(user_id)
            .bind(name)
            .bind(token_hash)
            .bind(now)
            .fetch_one(&mut *conn)
            .await?)
        }

        /// The user an API token belongs to, when the token is live and the user is enabled.
        pub async fn api_token_user(
            conn: &mut Conn,
            token_hash: &str,
        ) -> Result<Option<(i64, String)>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT u.id, u.login FROM api_tokens t JOIN users u ON u.id = t.user_id \
                 WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND NOT u.disabled",
            )
            .bind(token_hash)
            .fetch_optional(&mut *conn)
            .await?)
        }

        pub async fn insert_login_failure(
            conn: &mut Conn,
            login: &str,
            now: DateTime<Utc>,
        ) -> Result<(), StoreError> {
            sqlx::query("INSERT INTO login_failures (login, failed_at) VALUES ($1, $2)")
                .bind(login)
                .bind(now)
                .execute(&mut *conn)
                .await?;
            Ok(())
        }

        pub async fn login_failures_since(
            conn: &mut Conn,
            login: &str,
            since: DateTime<Utc>,
        ) -> Result<i64, StoreError> {
            Ok(sqlx::query_scalar(
                "SELECT COUNT(*) FROM login_failures WHERE login = $1 AND failed_at >= $2",
            )
            .bind(login)
            .bind(since)
            .fetch_one(&mut *conn)
            .await?)
        }

        pub async fn clear_login_failures(conn: &mut Conn, login: &str) -> Result<(), StoreError> {
            sqlx::query("DELETE FROM login_failures WHERE login = $1")
                .bind(login)
                .execute(&mut *conn)
                .await?;
            Ok(())
        }

        pub async fn place_of_school(
            conn: &mut Conn,
            school_id: &str,
        ) -> Result<Option<RawPlace>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT m.region_id, s.municipality_id, s.id AS school_id FROM schools s \
                 JOIN municipalities m ON m.id = s.municipality_id WHERE s.id = $1",
            )
            .bind(school_id)
            .fetch_optional(&mut *conn)
            .await?)
        }

        pub async fn place_of_municipality(
            conn: &mut Conn,
            id: i64,
        ) -> Result<Option<RawPlace>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT region_id, id AS municipality_id, CAST(NULL AS TEXT) AS school_id \
                 FROM municipalities WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?)
        }

        pub async fn place_of_road_map(
            conn: &mut Conn,
            id: i64,
        ) -> Result<Option<RawPlace>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT COALESCE(r.region_id, m.region_id, sm.region_id) AS region_id, \
                 COALESCE(r.municipality_id, s.municipality_id) AS municipality_id, \
                 r.school_id FROM road_maps r \
                 LEFT JOIN municipalities m ON m.id = r.municipality_id \
                 LEFT JOIN schools s ON s.id = r.school_id \
                 LEFT JOIN municipalities sm ON sm.id = s.municipality_id WHERE r.id = $1",
            )
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?)
        }

        pub async fn append_audit(conn: &mut Conn, entry: &NewAudit<'_>) -> Result<(), StoreError> {
            sqlx::query(
                "INSERT INTO audit_log (at, user_id, actor, object_kind, object_id, action, \
                 before_json, after_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(entry.at)
            .bind(entry.actor.user_id)
            .bind(entry.actor.name.as_str())
            .bind(entry.object_kind)
            .bind(entry.object_id)
            .bind(entry.action)
            .bind(entry.before.as_deref())
            .bind(entry.after.as_deref())
            .execute(&mut *conn)
            .await?;
            Ok(())
        }

        pub async fn history(
            conn: &mut Conn,
            object_kind: &str,
            object_id: &str,
        ) -> Result<Vec<AuditEntry>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT id, at, actor, object_kind, object_id, action, before_json, after_json \
                 FROM audit_log WHERE object_kind = $1 AND object_id = $2 ORDER BY id DESC",
            )
            .bind(object_kind)
            .bind(object_id)
            .fetch_all(&mut *conn)
            .await?)
        }

        /// «История» of an activity: its own records and those of its occurrences.
        pub async fn activity_history(
            conn: &mut Conn,
            object_id: &str,
        ) -> Result<Vec<AuditEntry>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT id, at, actor, object_kind, object_id, action, before_json, after_json \
                 FROM audit_log WHERE object_kind = 'activity' \
                 AND (object_id = $1 OR object_id LIKE $2) ORDER BY id DESC",
            )
            .bind(object_id)
            .bind(format!("{object_id}/%"))
            .fetch_all(&mut *conn)
            .await?)
        }

        pub async fn insert_curator_assignment(
            conn: &mut Conn,
            person_id: i64,
            school_id: &str,
            now: DateTime<Utc>,
        ) -> Result<bool, StoreError> {
            Ok(sqlx::query(
                "INSERT INTO curator_assignments (person_id, school_id, assigned_at) \
                 VALUES ($1, $2, $3) ON CONFLICT (person_id, school_id) DO NOTHING",
            )
            .bind(person_id)
            .bind(school_id)
            .bind(now)
            .execute(&mut *conn)
            .await?
            .rows_affected()
                > 0)
        }

        pub async fn person_of_user(conn: &mut Conn, user_id: i64) -> Result<Option<i64>, StoreError> {
            Ok(sqlx::query_scalar("SELECT person_id FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_optional(&mut *conn)
                .await?)
        }

        /// Whether a person already holds a role at exactly this scope.
        pub async fn holds_role(
            conn: &mut Conn,
            person_id: i64,
            role: &str,
            region: Option<i64>,
            municipality: Option<i64>,
            school: Option<&str>,
        ) -> Result<bool, StoreError> {
            let n: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM role_assignments WHERE person_id = $1 AND role = $2 \
                 AND COALESCE(region_id, -1) = COALESCE($3, -1) \
                 AND COALESCE(municipality_id, -1) = COALESCE($4, -1) \
                 AND COALESCE(school_id, '') = COALESCE($5, '')",
            )
            .bind(person_id)
            .bind(role)
            .bind(region)
            .bind(municipality)
            .bind(school)
            .fetch_one(&mut *conn)
            .await?;
            Ok(n > 0)
        }

        pub async fn delete_login_failures_before(
            conn: &mut Conn,
            before: DateTime<Utc>,
        ) -> Result<(), StoreError> {
            sqlx::query("DELETE FROM login_failures WHERE failed_at < $1")
                .bind(before)
                .execute(&mut *conn)
                .await?;
            Ok(())
        }

        /// Answers whether the account exists.
        pub async fn set_disabled(
            conn: &mut Conn,
            user_id: i64,
            disabled: bool,
        ) -> Result<bool, StoreError> {
            Ok(sqlx::query("UPDATE users SET disabled = $2 WHERE id = $1")
                .bind(user_id)
                .bind(disabled)
                .execute(&mut *conn)
                .await?
                .rows_affected()
                == 1)
        }
    };
}
