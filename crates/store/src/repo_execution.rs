//! The SQL of execution: activity statuses per occurrence, evidence (files and links) and comment
//! threads. Written once and compiled for each backend like `repo.rs` (as `repo::<backend>::execution`).

macro_rules! execution_repository {
    ($Db:ty) => {
        use chrono::{DateTime, Utc};

        use crate::StoreError;
        use crate::execution::{CommentRow, EvidenceFile, EvidenceRow, NewEvidence, ProgressKey, ProgressRow};

        type Conn = <$Db as sqlx::Database>::Connection;

        pub async fn progress_of(
            conn: &mut Conn,
            road_map_id: i64,
        ) -> Result<Vec<ProgressRow>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT p.activity_key, p.occurrence, p.status, p.updated_at, u.login AS updated_by \
                 FROM activity_progress p LEFT JOIN users u ON u.id = p.updated_by \
                 WHERE p.road_map_id = $1 ORDER BY p.activity_key, p.occurrence",
            )
            .bind(road_map_id)
            .fetch_all(&mut *conn)
            .await?)
        }

        pub async fn status(
            conn: &mut Conn,
            key: &ProgressKey,
        ) -> Result<Option<String>, StoreError> {
            Ok(sqlx::query_scalar(
                "SELECT status FROM activity_progress WHERE road_map_id = $1 \
                 AND activity_key = $2 AND occurrence = $3",
            )
            .bind(key.road_map_id)
            .bind(key.activity_key)
            .bind(key.occurrence.as_str())
            .fetch_optional(&mut *conn)
            .await?)
        }

        pub async fn upsert_status(
            conn: &mut Conn,
            key: &ProgressKey,
            status: &str,
            user_id: Option<i64>,
            now: DateTime<Utc>,
        ) -> Result<(), StoreError> {
            sqlx::query(
                "INSERT INTO activity_progress (road_map_id, activity_key, occurrence, status, \
                 updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (road_map_id, activity_key, occurrence) DO UPDATE SET \
                 status = excluded.status, updated_at = excluded.updated_at, \
                 updated_by = excluded.updated_by",
            )
            .bind(key.road_map_id)
            .bind(key.activity_key)
            .bind(key.occurrence.as_str())
            .bind(status)
            .bind(now)
            .bind(user_id)
            .execute(&mut *conn)
            .await?;
            Ok(())
        }

        pub async fn evidence_of(
            conn: &mut Conn,
            road_map_id: i64,
        ) -> Result<Vec<EvidenceRow>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT e.id, e.activity_key, e.occurrence, e.kind, e.file_name, e.content_type, \
                 e.size_bytes, e.sha256, e.url, u.login AS uploaded_by, e.uploaded_at \
                 FROM evidence e LEFT JOIN users u ON u.id = e.uploaded_by \
                 WHERE e.road_map_id = $1 ORDER BY e.id",
            )
            .bind(road_map_id)
            .fetch_all(&mut *conn)
            .await?)
        }

        pub async fn insert_evidence(
            conn: &mut Conn,
            key: &ProgressKey,
            evidence: &NewEvidence<'_>,
            user_id: Option<i64>,
            now: DateTime<Utc>,
        ) -> Result<i64, StoreError> {
            Ok(sqlx::query_scalar(
                "INSERT INTO evidence (road_map_id, activity_key, occurrence, kind, file_name, \
                 content_type, size_bytes, sha256, content, url, uploaded_by, uploaded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
            )
            .bind(key.road_map_id)
            .bind(key.activity_key)
            .bind(key.occurrence.as_str())
            .bind(evidence.kind())
            .bind(evidence.file_name())
            .bind(evidence.content_type())
            .bind(evidence.size())
            .bind(evidence.sha256())
            .bind(evidence.content())
            .bind(evidence.url())
            .bind(user_id)
            .bind(now)
            .fetch_one(&mut *conn)
            .await?)
        }

        pub async fn evidence_file(
            conn: &mut Conn,
            id: i64,
        ) -> Result<Option<EvidenceFile>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT road_map_id, file_name, content_type, content FROM evidence \
                 WHERE id = $1 AND kind = 'file'",
            )
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?)
        }

        pub async fn comments_of(
            conn: &mut Conn,
            road_map_id: i64,
        ) -> Result<Vec<CommentRow>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT c.id, c.activity_key, c.occurrence, u.login AS author, c.body, c.created_at \
                 FROM activity_comments c LEFT JOIN users u ON u.id = c.author_id \
                 WHERE c.road_map_id = $1 ORDER BY c.id",
            )
            .bind(road_map_id)
            .fetch_all(&mut *conn)
            .await?)
        }

        pub async fn insert_comment(
            conn: &mut Conn,
            key: &ProgressKey,
            body: &str,
            user_id: Option<i64>,
            now: DateTime<Utc>,
        ) -> Result<i64, StoreError> {
            Ok(sqlx::query_scalar(
                "INSERT INTO activity_comments (road_map_id, activity_key, occurrence, author_id, \
                 body, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(key.road_map_id)
            .bind(key.activity_key)
            .bind(key.occurrence.as_str())
            .bind(user_id)
            .bind(body)
            .bind(now)
            .fetch_one(&mut *conn)
            .await?)
        }
    };
}
