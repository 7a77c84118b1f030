//! The SQL of monitoring: execution data of many schools at once (for dashboards and checkpoints,
//! a handful of queries whatever the number of schools) and checkpoints with their kept
//! snapshots. Written once and compiled for each backend like `repo.rs` (as
//! `repo::<backend>::monitoring`).

macro_rules! monitoring_repository {
    ($Db:ty) => {
        use chrono::{DateTime, NaiveDate, Utc};

        use crate::StoreError;
        use crate::monitoring::{
            CheckpointResultRow, CheckpointRow, EvidenceCount, ExecutionScope, FlatActivityRow,
            ProgressStatusRow, RoadMapHead, SnapshotRow,
        };

        type Conn = <$Db as sqlx::Database>::Connection;

        /// School road maps in scope, each with its latest version.
        const HEADS: &str = "SELECT r.id AS road_map_id, r.school_id, s.name AS school_name, \
             s.municipality_id, m.name AS municipality_name, m.region_id, v.id AS version_id, \
             v.title, v.period_from, v.period_to \
             FROM road_maps r JOIN schools s ON s.id = r.school_id \
             JOIN municipalities m ON m.id = s.municipality_id \
             JOIN road_map_versions v ON v.road_map_id = r.id AND v.version = \
             (SELECT MAX(version) FROM road_map_versions WHERE road_map_id = r.id) WHERE ";

        /// `prefix` + the condition of a scope on `s` (schools) and `m` (municipalities) +
        /// `suffix`, with the scope's id bound.
        fn scoped<'a>(
            prefix: &str,
            scope: &'a ExecutionScope,
            suffix: &str,
        ) -> sqlx::QueryBuilder<'a, $Db> {
            let mut query = sqlx::QueryBuilder::<$Db>::new(prefix);
            match scope {
                ExecutionScope::Region(id) => {
                    query.push("m.region_id = ").push_bind(*id);
                }
                ExecutionScope::Municipality(id) => {
                    query.push("s.municipality_id = ").push_bind(*id);
                }
                ExecutionScope::School(id) => {
                    query.push("s.id = ").push_bind(id.as_str());
                }
            }
            query.push(suffix);
            query
        }

        pub async fn road_map_heads(
            conn: &mut Conn,
            scope: &ExecutionScope,
        ) -> Result<Vec<RoadMapHead>, StoreError> {
            let mut query = scoped(HEADS, scope, " ORDER BY m.sort_key, m.id, s.sort_key, s.id, r.id");
            Ok(query.build_query_as::<RoadMapHead>().fetch_all(&mut *conn).await?)
        }

        pub async fn flat_activities(
            conn: &mut Conn,
            scope: &ExecutionScope,
        ) -> Result<Vec<FlatActivityRow>, StoreError> {
            let prefix = format!(
                "SELECT h.road_map_id, COALESCE(a.origin_id, a.id) AS activity_key, a.number, \
                 a.title, a.period_json, a.output FROM ({HEADS}"
            );
            let mut query = scoped(
                &prefix,
                scope,
                ") h JOIN road_map_sections sec ON sec.version_id = h.version_id \
                 JOIN road_map_activities a ON a.section_id = sec.id \
                 ORDER BY h.road_map_id, sec.position, a.position",
            );
            Ok(query.build_query_as::<FlatActivityRow>().fetch_all(&mut *conn).await?)
        }

        pub async fn progress_in(
            conn: &mut Conn,
            scope: &ExecutionScope,
        ) -> Result<Vec<ProgressStatusRow>, StoreError> {
            let mut query = scoped(
                "SELECT p.road_map_id, p.activity_key, p.occurrence, p.status \
                 FROM activity_progress p JOIN road_maps r ON r.id = p.road_map_id \
                 JOIN schools s ON s.id = r.school_id \
                 JOIN municipalities m ON m.id = s.municipality_id WHERE ",
                scope,
                "",
            );
            Ok(query.build_query_as::<ProgressStatusRow>().fetch_all(&mut *conn).await?)
        }

        pub async fn evidence_counts(
            conn: &mut Conn,
            scope: &ExecutionScope,
        ) -> Result<Vec<EvidenceCount>, StoreError> {
            let mut query = scoped(
                "SELECT e.road_map_id, e.activity_key, e.occurrence, COUNT(*) AS files \
                 FROM evidence e JOIN road_maps r ON r.id = e.road_map_id \
                 JOIN schools s ON s.id = r.school_id \
                 JOIN municipalities m ON m.id = s.municipality_id WHERE ",
                scope,
                " GROUP BY e.road_map_id, e.activity_key, e.occurrence",
            );
            Ok(query.build_query_as::<EvidenceCount>().fetch_all(&mut *conn).await?)
        }

        pub async fn insert_checkpoint(
            conn: &mut Conn,
            municipality_id: i64,
            due_on: NaiveDate,
            title: &str,
            now: DateTime<Utc>,
        ) -> Result<Option<i64>, StoreError> {
            Ok(sqlx::query_scalar(
                "INSERT INTO checkpoints (municipality_id, due_on, title, created_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (municipality_id, due_on) DO NOTHING \
                 RETURNING id",
            )
            .bind(municipality_id)
            .bind(due_on)
            .bind(title)
            .bind(now)
            .fetch_optional(&mut *conn)
            .await?)
        }

        pub async fn checkpoints_of(
            conn: &mut Conn,
            municipality_id: i64,
        ) -> Result<Vec<CheckpointRow>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT c.id, c.municipality_id, c.due_on, c.title, \
                 (SELECT COUNT(*) FROM checkpoint_snapshots WHERE checkpoint_id = c.id) AS snapshots \
                 FROM checkpoints c WHERE c.municipality_id = $1 ORDER BY c.due_on",
            )
            .bind(municipality_id)
            .fetch_all(&mut *conn)
            .await?)
        }

        pub async fn checkpoint(
            conn: &mut Conn,
            id: i64,
        ) -> Result<Option<CheckpointRow>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT c.id, c.municipality_id, c.due_on, c.title, \
                 (SELECT COUNT(*) FROM checkpoint_snapshots WHERE checkpoint_id = c.id) AS snapshots \
                 FROM checkpoints c WHERE c.id = $1",
            )
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?)
        }

        /// Checkpoints whose date has come and that have no snapshot yet.
        pub async fn due_checkpoints(
            conn: &mut Conn,
            today: NaiveDate,
        ) -> Result<Vec<CheckpointRow>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT c.id, c.municipality_id, c.due_on, c.title, CAST(0 AS BIGINT) AS snapshots \
                 FROM checkpoints c WHERE c.due_on <= $1 AND c.frozen_at IS NULL ORDER BY c.id",
            )
            .bind(today)
            .fetch_all(&mut *conn)
            .await?)
        }

        /// Claims a checkpoint's first snapshot; false when it is already taken.
        pub async fn claim_first_snapshot(
            conn: &mut Conn,
            checkpoint_id: i64,
            now: DateTime<Utc>,
        ) -> Result<bool, StoreError> {
            Ok(sqlx::query(
                "UPDATE checkpoints SET frozen_at = $2 WHERE id = $1 AND frozen_at IS NULL",
            )
            .bind(checkpoint_id)
            .bind(now)
            .execute(&mut *conn)
            .await?
            .rows_affected()
                == 1)
        }

        pub async fn insert_snapshot(
            conn: &mut Conn,
            checkpoint_id: i64,
            now: DateTime<Utc>,
        ) -> Result<i64, StoreError> {
            Ok(sqlx::query_scalar(
                "INSERT INTO checkpoint_snapshots (checkpoint_id, computed_at) VALUES ($1, $2) \
                 RETURNING id",
            )
            .bind(checkpoint_id)
            .bind(now)
            .fetch_one(&mut *conn)
            .await?)
        }

        pub async fn insert_result(
            conn: &mut Conn,
            snapshot_id: i64,
            school_id: &str,
            done: i64,
            due: i64,
        ) -> Result<(), StoreError> {
            sqlx::query(
                "INSERT INTO checkpoint_results (snapshot_id, school_id, done, due) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(snapshot_id)
            .bind(school_id)
            .bind(done)
            .bind(due)
            .execute(&mut *conn)
            .await?;
            Ok(())
        }

        pub async fn snapshots(
            conn: &mut Conn,
            checkpoint_id: i64,
        ) -> Result<Vec<SnapshotRow>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT id, computed_at FROM checkpoint_snapshots WHERE checkpoint_id = $1 \
                 ORDER BY id",
            )
            .bind(checkpoint_id)
            .fetch_all(&mut *conn)
            .await?)
        }

        pub async fn snapshot_results(
            conn: &mut Conn,
            snapshot_id: i64,
        ) -> Result<Vec<CheckpointResultRow>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT r.school_id, s.name AS school_name, r.done, r.due \
                 FROM checkpoint_results r JOIN schools s ON s.id = r.school_id \
                 WHERE r.snapshot_id = $1 ORDER BY s.sort_key",
            )
            .bind(snapshot_id)
            .fetch_all(&mut *conn)
            .await?)
        }
    };
}
