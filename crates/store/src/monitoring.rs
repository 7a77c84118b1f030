//! Monitoring reads and checkpoints: the execution data of a region, a municipality or a school
//! in four queries (road maps, activities, statuses, evidence counts), and checkpoints (срезы)
//! whose first computed snapshot is kept as the record; recomputing adds a snapshot.

use chrono::{DateTime, NaiveDate, Utc};
use orientir_domain::registry::SchoolId;

use crate::access::NewAudit;
use crate::{Db, Store, StoreError};

/// Whose execution to read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ExecutionScope {
    Region(i64),
    Municipality(i64),
    School(SchoolId),
}

/// A school road map in its latest version.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct RoadMapHead {
    pub road_map_id: i64,
    pub school_id: String,
    pub school_name: String,
    pub municipality_id: i64,
    pub municipality_name: String,
    pub region_id: i64,
    pub version_id: i64,
    pub title: String,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
}

/// An activity of a latest version, without its section (dashboards list activities flat).
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct FlatActivityRow {
    pub road_map_id: i64,
    pub activity_key: i64,
    pub number: Option<String>,
    pub title: String,
    pub period_json: Option<String>,
    pub output: Option<String>,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ProgressStatusRow {
    pub road_map_id: i64,
    pub activity_key: i64,
    pub occurrence: String,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct EvidenceCount {
    pub road_map_id: i64,
    pub activity_key: i64,
    pub occurrence: String,
    pub files: i64,
}

/// Everything a dashboard needs of the road maps in a scope.
#[derive(Debug, Clone, Default)]
pub struct ExecutionData {
    pub road_maps: Vec<RoadMapHead>,
    pub activities: Vec<FlatActivityRow>,
    pub progress: Vec<ProgressStatusRow>,
    pub evidence: Vec<EvidenceCount>,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct CheckpointRow {
    pub id: i64,
    pub municipality_id: i64,
    pub due_on: NaiveDate,
    pub title: String,
    pub snapshots: i64,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct SnapshotRow {
    pub id: i64,
    pub computed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct CheckpointResultRow {
    pub school_id: String,
    pub school_name: String,
    pub done: i64,
    pub due: i64,
}

/// A school's filling at a checkpoint, as computed by the caller (the domain's rule).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchoolFilling {
    pub school_id: SchoolId,
    pub done: i64,
    pub due: i64,
}

impl Store {
    /// The execution data of every school road map in a scope, in one read.
    pub async fn execution_data(
        &self,
        scope: &ExecutionScope,
    ) -> Result<ExecutionData, StoreError> {
        let generation = self.generation();
        if let Some(data) = self.caches.execution.get(scope, generation) {
            return Ok(data);
        }
        let data = read!(self, |repo, conn| {
            Ok::<_, StoreError>(ExecutionData {
                road_maps: repo::monitoring::road_map_heads(conn, scope).await?,
                activities: repo::monitoring::flat_activities(conn, scope).await?,
                progress: repo::monitoring::progress_in(conn, scope).await?,
                evidence: repo::monitoring::evidence_counts(conn, scope).await?,
            })
        })?;
        self.caches
            .execution
            .put(scope.clone(), generation, data.clone());
        Ok(data)
    }

    /// Adds a monitoring date to a municipality; `None` when the date is already there.
    pub async fn add_checkpoint(
        &self,
        municipality_id: i64,
        due_on: NaiveDate,
        title: &str,
    ) -> Result<Option<i64>, StoreError> {
        let now = Utc::now();
        let actor = self.actor.clone();
        write!(self, |repo, conn| {
            let id = repo::monitoring::insert_checkpoint(conn, municipality_id, due_on, title, now)
                .await?;
            if let Some(id) = id {
                repo::access::append_audit(
                    conn,
                    &NewAudit {
                        at: now,
                        actor: &actor,
                        object_kind: "municipality",
                        object_id: &municipality_id.to_string(),
                        action: "checkpoint",
                        before: None,
                        after: Some(
                            serde_json::json!({"checkpoint": id, "date": due_on, "title": title})
                                .to_string(),
                        ),
                    },
                )
                .await?;
            }
            Ok::<_, StoreError>(id)
        })
    }

    pub async fn checkpoints_of(
        &self,
        municipality_id: i64,
    ) -> Result<Vec<CheckpointRow>, StoreError> {
        read!(self, |repo, conn| {
            repo::monitoring::checkpoints_of(conn, municipality_id).await
        })
    }

    pub async fn checkpoint(&self, id: i64) -> Result<Option<CheckpointRow>, StoreError> {
        read!(self, |repo, conn| repo::monitoring::checkpoint(conn, id)
            .await)
    }

    /// Checkpoints whose date has come and that have no snapshot yet.
    pub async fn due_checkpoints(
        &self,
        today: NaiveDate,
    ) -> Result<Vec<CheckpointRow>, StoreError> {
        read!(self, |repo, conn| repo::monitoring::due_checkpoints(
            conn, today
        )
        .await)
    }

    /// Stores a checkpoint's first snapshot (the record) unless one is already taken; answers
    /// whether this call took it. Concurrent callers cannot both take it.
    pub async fn save_first_snapshot(
        &self,
        checkpoint_id: i64,
        results: &[SchoolFilling],
    ) -> Result<bool, StoreError> {
        let now = Utc::now();
        write!(self, |repo, conn| {
            if !repo::monitoring::claim_first_snapshot(conn, checkpoint_id, now).await? {
                return Ok(false);
            }
            let id = repo::monitoring::insert_snapshot(conn, checkpoint_id, now).await?;
            for r in results {
                repo::monitoring::insert_result(conn, id, r.school_id.as_str(), r.done, r.due)
                    .await?;
            }
            Ok::<_, StoreError>(true)
        })
    }

    /// Stores a recomputed snapshot of a checkpoint (every school's filling) in one transaction;
    /// the first one stays the record.
    pub async fn save_snapshot(
        &self,
        checkpoint_id: i64,
        results: &[SchoolFilling],
    ) -> Result<i64, StoreError> {
        let now = Utc::now();
        write!(self, |repo, conn| {
            let id = repo::monitoring::insert_snapshot(conn, checkpoint_id, now).await?;
            for r in results {
                repo::monitoring::insert_result(conn, id, r.school_id.as_str(), r.done, r.due)
                    .await?;
            }
            Ok::<_, StoreError>(id)
        })
    }

    /// The snapshots of a checkpoint, oldest (the record) first.
    pub async fn snapshots(&self, checkpoint_id: i64) -> Result<Vec<SnapshotRow>, StoreError> {
        read!(self, |repo, conn| repo::monitoring::snapshots(
            conn,
            checkpoint_id
        )
        .await)
    }

    pub async fn snapshot_results(
        &self,
        snapshot_id: i64,
    ) -> Result<Vec<CheckpointResultRow>, StoreError> {
        read!(self, |repo, conn| {
            repo::monitoring::snapshot_results(conn, snapshot_id).await
        })
    }
}
