//! Persistence: one API over SQLite (the embedded default: one file, WAL, foreign keys on) and
//! PostgreSQL, with the same schema in two migration sets. Repositories return domain values;
//! every import is one transaction, so a failure leaves the database as it was.

pub mod cache;
mod convert;
pub mod error;
#[macro_use]
mod repo_access;
#[macro_use]
mod repo_execution;
#[macro_use]
mod repo_curation;
#[macro_use]
mod repo_monitoring;
mod repo;
pub mod results;
pub mod road_maps;
pub mod rows;
pub mod testing;

use std::ops::RangeInclusive;
use std::str::FromStr;
use std::time::Duration;

use chrono::Utc;
use orientir_domain::demo::DemoRegion;
use orientir_domain::registry::{
    PersonDraft, Role, SchoolId, SchoolRecord, SchoolYear, Scope, SocialContext,
    StatusDecisionRecord, StatusKind,
};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

pub use access::{Actor, AuditEntry, NewUser, SESSION_DAYS, UserRow};
pub use curation::{
    Account, AccountRole, AgreementRef, AgreementRow, CuratedSchool, CuratorCandidate, CuratorRow,
    NewAgreement, RegionSchool, VisitRow,
};
pub use error::{StoreError, redact_url};
pub use execution::{CommentRow, EvidenceRow, NewEvidence, ProgressKey, ProgressRow};
pub use results::{
    ImportResultsSummary, ResultCell, ResultImport, ResultsKind, RuleInputs, RuleRunStatus,
    RuleRunSummary, StoredResultCell,
};
pub use road_maps::{ActivityEdit, RoadMapRef, RoadMapSummary, StoredRoadMap, VersionState};
pub use rows::*;

/// The default database: a SQLite file next to where Orientir runs.
pub const DEFAULT_URL: &str = "sqlite://orientir.db";

#[derive(Clone)]
enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The database, whichever backend it is.
#[derive(Clone)]
pub struct Store {
    db: Db,
    /// Recorded as the author of every change this handle writes (see `acting_as`).
    actor: access::Actor,
    /// Counts committed writes; cached reads are valid only within one generation.
    generation: std::sync::Arc<std::sync::atomic::AtomicU64>,
    caches: std::sync::Arc<Caches>,
}

/// What the store caches of its most frequent reads (see `cache.rs`).
struct Caches {
    places: cache::Cache<String, Option<orientir_domain::access::Place>>,
    sessions: cache::Cache<String, Option<access::SessionRow>>,
    grants: cache::Cache<i64, Vec<access::RawGrant>>,
    execution: cache::Cache<monitoring::ExecutionScope, monitoring::ExecutionData>,
}

impl Caches {
    fn new() -> std::sync::Arc<Self> {
        std::sync::Arc::new(Self {
            places: cache::Cache::new(),
            sessions: cache::Cache::new(),
            grants: cache::Cache::new(),
            execution: cache::Cache::new(),
        })
    }
}

/// Runs `$body` on a pooled connection of whichever backend the store has, with `$repo` naming
/// that backend's repository module.
macro_rules! read {
    ($self:expr, |$repo:ident, $conn:ident| $body:expr) => {
        match &$self.db {
            Db::Sqlite(pool) => {
                use crate::repo::sqlite as $repo;
                let mut pooled = pool.acquire().await?;
                let $conn = &mut *pooled;
                $body
            }
            Db::Postgres(pool) => {
                use crate::repo::postgres as $repo;
                let mut pooled = pool.acquire().await?;
                let $conn = &mut *pooled;
                $body
            }
        }
    };
}

/// Like `read!`, inside one transaction that commits only if `$body` succeeds. On SQLite the
/// transaction takes the write lock at its start (`BEGIN IMMEDIATE`): a deferred transaction that
/// reads and then writes fails with `SQLITE_BUSY_SNAPSHOT` when another connection committed in
/// between, and no busy timeout can help it.
macro_rules! write {
    ($self:expr, |$repo:ident, $conn:ident| $body:expr) => {
        match &$self.db {
            Db::Sqlite(pool) => {
                use crate::repo::sqlite as $repo;
                let mut tx = crate::sqlite_write_transaction(pool).await?;
                let $conn = &mut *tx;
                let out = $body?;
                tx.commit().await?;
                $self
                    .generation
                    .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                Ok(out)
            }
            Db::Postgres(pool) => {
                use crate::repo::postgres as $repo;
                let mut tx = pool.begin().await?;
                let $conn = &mut *tx;
                let out = $body?;
                tx.commit().await?;
                $self
                    .generation
                    .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                Ok(out)
            }
        }
    };
}

/// How long a writer waits in all for SQLite's write lock (each attempt waits up to the busy
/// timeout): an import may hold the lock for many seconds while the server keeps writing.
const SQLITE_WRITE_WAIT: Duration = Duration::from_secs(60);

/// Begins a write transaction on SQLite with the write lock taken at once, retrying while another
/// connection (of this process or another one) holds the lock, for at most `SQLITE_WRITE_WAIT`.
async fn sqlite_write_transaction(
    pool: &SqlitePool,
) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
    let started = std::time::Instant::now();
    let mut pause = Duration::from_millis(5);
    loop {
        match pool.begin_with("BEGIN IMMEDIATE").await {
            Err(err) if is_sqlite_busy(&err) && started.elapsed() < SQLITE_WRITE_WAIT => {
                tracing::debug!(error = %err, "SQLite write lock busy, retrying");
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_millis(250));
            }
            other => return other,
        }
    }
}

/// `SQLITE_BUSY` and its extended codes (5, 261, 517), and `SQLITE_LOCKED` (6).
fn is_sqlite_busy(err: &sqlx::Error) -> bool {
    let sqlx::Error::Database(db) = err else {
        return false;
    };
    db.code()
        .and_then(|code| code.parse::<i64>().ok())
        .is_some_and(|code| matches!(code & 0xff, 5 | 6))
}

// Modules that add `impl Store` blocks come after `read!`/`write!`, which they use.
pub mod access;
pub mod curation;
pub mod execution;
pub mod monitoring;

impl Store {
    /// Connects without migrating. `url` is `sqlite://FILE` (created if missing) or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let open_error = |source| StoreError::Open {
            url: redact_url(url),
            source,
        };
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .map_err(open_error)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .connect_with(options)
                .await
                .map_err(open_error)?;
            Ok(Self {
                db: Db::Sqlite(pool),
                actor: access::Actor::system(),
                generation: Default::default(),
                caches: Caches::new(),
            })
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(url).map_err(open_error)?;
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(5))
                .connect_with(options)
                .await
                .map_err(open_error)?;
            Ok(Self {
                db: Db::Postgres(pool),
                actor: access::Actor::system(),
                generation: Default::default(),
                caches: Caches::new(),
            })
        } else {
            Err(StoreError::UnsupportedUrl(redact_url(url)))
        }
    }

    /// Connects and brings the schema up to date.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let store = Self::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Applies the migrations this build knows and the database has not seen yet.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match &self.db {
            Db::Sqlite(pool) => sqlx::migrate!("./migrations/sqlite").run(pool).await?,
            Db::Postgres(pool) => sqlx::migrate!("./migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    pub fn backend(&self) -> &'static str {
        match &self.db {
            Db::Sqlite(_) => "SQLite",
            Db::Postgres(_) => "PostgreSQL",
        }
    }

    /// Runs one statement outside a transaction (CREATE/DROP DATABASE in test set-up).
    #[doc(hidden)]
    pub async fn execute_admin(&self, sql: &str) -> Result<(), StoreError> {
        match &self.db {
            Db::Sqlite(pool) => {
                sqlx::raw_sql(sql).execute(pool).await?;
            }
            Db::Postgres(pool) => {
                sqlx::raw_sql(sql).execute(pool).await?;
            }
        }
        Ok(())
    }

    pub async fn close(&self) {
        match &self.db {
            Db::Sqlite(pool) => pool.close().await,
            Db::Postgres(pool) => pool.close().await,
        }
    }

    /// Whether the registry has no schools yet (the demo only fills an empty database).
    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        read!(self, |repo, conn| Ok(repo::count_schools(conn).await? == 0))
    }

    /// Upserts schools by id, creating regions and municipalities by name, in one transaction.
    pub async fn import_schools(
        &self,
        records: &[SchoolRecord],
    ) -> Result<ImportSummary, StoreError> {
        let now = Utc::now();
        write!(self, |repo, conn| repo::import_schools(conn, records, now)
            .await)
    }

    /// Appends status decisions to the history, in one transaction; unknown schools reject all.
    pub async fn record_statuses(
        &self,
        decisions: &[StatusDecisionRecord],
    ) -> Result<(), StoreError> {
        let now = Utc::now();
        write!(self, |repo, conn| repo::record_statuses(
            conn, decisions, now
        )
        .await)
    }

    /// Writes the generated demo region in one transaction.
    pub async fn load_demo(&self, demo: &DemoRegion) -> Result<DemoSummary, StoreError> {
        let now = Utc::now();
        write!(self, |repo, conn| repo::load_demo(conn, demo, now).await)
    }

    pub async fn add_person(&self, person: &PersonDraft) -> Result<i64, StoreError> {
        write!(self, |repo, conn| repo::insert_person(conn, person).await)
    }

    pub async fn assign_role(
        &self,
        person_id: i64,
        role: Role,
        scope: &Scope,
    ) -> Result<(), StoreError> {
        let c = road_maps::OwnerColumns::from(scope);
        write!(self, |repo, conn| {
            repo::insert_role(
                conn,
                person_id,
                role,
                c.region_id,
                c.municipality_id,
                c.school_id,
            )
            .await
        })
    }

    /// Stores an imported road map for its owner as version 1 (a draft), in one transaction.
    pub async fn save_road_map(
        &self,
        owner: &Scope,
        map: &orientir_domain::roadmap::RoadMap,
        source_name: Option<&str>,
    ) -> Result<RoadMapRef, StoreError> {
        let now = Utc::now();
        let columns = road_maps::OwnerColumns::from(owner);
        let actor = self.actor.clone();
        write!(self, |repo, conn| {
            let saved = repo::save_road_map(conn, &columns, map, source_name, now).await?;
            let after = serde_json::json!({
                "title": map.title, "activities": map.activities().count(), "file": source_name,
            });
            road_map_audit(conn, &actor, now, saved.id, "create", None, Some(after)).await?;
            Ok::<_, StoreError>(saved)
        })
    }

    /// Applies one edit to a road map's latest version, in one transaction. When that version is
    /// approved (frozen), it is first copied into a new draft, which receives the edit.
    pub async fn edit_road_map(
        &self,
        id: i64,
        edit: &ActivityEdit,
    ) -> Result<RoadMapRef, StoreError> {
        let now = Utc::now();
        let actor = self.actor.clone();
        // What the activity was, for «История» (before → after).
        let before = match edit {
            ActivityEdit::Update { section, index, .. }
            | ActivityEdit::Delete { section, index } => self
                .road_map(id, None)
                .await?
                .and_then(|m| {
                    m.map
                        .sections
                        .get(*section)?
                        .activities
                        .get(*index)
                        .cloned()
                })
                .map(|a| serde_json::json!(a)),
            _ => None,
        };
        write!(self, |repo, conn| {
            let (mut version_id, mut version, state) = repo::latest_version(conn, id)
                .await?
                .ok_or(StoreError::NoSuchRoadMap(id))?;
            if state == "approved" {
                version += 1;
                version_id = repo::copy_version(conn, version_id, version, now).await?;
            }
            let section = edit.section();
            let section_id = repo::section_id(conn, version_id, section as i64)
                .await?
                .ok_or(StoreError::NoSuchSection(section))?;
            let count = repo::activity_count(conn, section_id).await?;
            let existing = |index: usize| {
                if (index as i64) < count {
                    Ok(index as i64)
                } else {
                    Err(StoreError::NoSuchActivity { section, index })
                }
            };
            match edit {
                ActivityEdit::Update {
                    index, activity, ..
                } => {
                    let position = existing(*index)?;
                    repo::write_activity(conn, section_id, position, activity, true).await?
                }
                ActivityEdit::Add { activity, .. } => {
                    repo::write_activity(conn, section_id, count, activity, false).await?
                }
                ActivityEdit::Delete { index, .. } => {
                    let position = existing(*index)?;
                    repo::delete_activity(conn, section_id, position).await?
                }
                ActivityEdit::Move { index, up, .. } => {
                    let position = existing(*index)?;
                    let other = if *up { position - 1 } else { position + 1 };
                    if other < 0 || other >= count {
                        return Err(StoreError::NoSuchActivity {
                            section,
                            index: other.max(0) as usize,
                        });
                    }
                    repo::swap_activities(conn, section_id, position, other).await?
                }
            }
            let (action, after) = match edit {
                ActivityEdit::Update { activity, .. } => {
                    ("edit", Some(serde_json::json!(activity)))
                }
                ActivityEdit::Add { activity, .. } => ("add", Some(serde_json::json!(activity))),
                ActivityEdit::Delete { .. } => ("delete", None),
                ActivityEdit::Move { section, index, up } => (
                    "move",
                    Some(serde_json::json!({"section": section, "index": index, "up": up})),
                ),
            };
            road_map_audit(conn, &actor, now, id, action, before, after).await?;
            Ok::<_, StoreError>(RoadMapRef { id, version })
        })
    }

    /// Approves (freezes) a road map's latest version; approving an approved one changes nothing.
    pub async fn approve_road_map(&self, id: i64) -> Result<RoadMapRef, StoreError> {
        let actor = self.actor.clone();
        write!(self, |repo, conn| {
            let (version_id, version, state) = repo::latest_version(conn, id)
                .await?
                .ok_or(StoreError::NoSuchRoadMap(id))?;
            if state == "draft" {
                repo::approve_version(conn, version_id).await?;
                let after = serde_json::json!({"version": version, "state": "approved"});
                road_map_audit(conn, &actor, Utc::now(), id, "approve", None, Some(after)).await?;
            }
            Ok::<_, StoreError>(RoadMapRef { id, version })
        })
    }

    /// The version numbers of a road map with their states, latest first.
    pub async fn road_map_versions(&self, id: i64) -> Result<Vec<(i64, VersionState)>, StoreError> {
        let raw = read!(self, |repo, conn| repo::road_map_version_list(conn, id)
            .await)?;
        raw.into_iter()
            .map(|(version, state)| Ok((version, road_maps::parse_state(&state)?)))
            .collect()
    }

    /// The road maps of an owner, each in its latest version.
    pub async fn road_maps_of(&self, owner: &Scope) -> Result<Vec<RoadMapSummary>, StoreError> {
        let columns = road_maps::OwnerColumns::from(owner);
        let raw = read!(self, |repo, conn| repo::road_maps_of(conn, &columns).await)?;
        raw.into_iter().map(RoadMapSummary::try_from).collect()
    }

    /// A road map in one version (the latest when `version` is `None`).
    pub async fn road_map(
        &self,
        id: i64,
        version: Option<i64>,
    ) -> Result<Option<StoredRoadMap>, StoreError> {
        read!(self, |repo, conn| {
            let Some(raw) = repo::road_map_version(conn, id, version).await? else {
                return Ok(None);
            };
            let sections = repo::road_map_sections(conn, raw.version_id).await?;
            let activities = repo::road_map_activities(conn, raw.version_id).await?;
            road_maps::assemble(raw, sections, activities).map(Some)
        })
    }

    pub async fn regions(&self) -> Result<Vec<RegionRow>, StoreError> {
        read!(self, |repo, conn| repo::regions(conn).await)
    }

    pub async fn region(&self, id: i64) -> Result<Option<RegionRow>, StoreError> {
        read!(self, |repo, conn| repo::region(conn, id).await)
    }

    /// Municipalities of a region with counts of schools by status in force in `year`.
    pub async fn municipality_overview(
        &self,
        region_id: i64,
        year: Option<SchoolYear>,
    ) -> Result<Vec<MunicipalitySummary>, StoreError> {
        let year = year.map_or(0, |y| i64::from(y.start_year()));
        read!(self, |repo, conn| repo::municipality_overview(
            conn, region_id, year
        )
        .await)
    }

    pub async fn municipality(&self, id: i64) -> Result<Option<MunicipalityRow>, StoreError> {
        read!(self, |repo, conn| repo::municipality(conn, id).await)
    }

    /// The schools of a municipality, filtered and sorted, with their statuses in the filter's year.
    pub async fn schools(&self, filter: &SchoolFilter) -> Result<Vec<SchoolRow>, StoreError> {
        let year = filter.year.map_or(0, |y| i64::from(y.start_year()));
        let (raw, statuses) = read!(self, |repo, conn| {
            let raw = repo::schools(conn, filter).await?;
            let statuses = repo::municipality_statuses(conn, filter.municipality_id, year).await?;
            Ok::<_, StoreError>((raw, statuses))
        })?;
        let mut by_school: std::collections::HashMap<String, Vec<StatusKind>> =
            std::collections::HashMap::new();
        for (school_id, code) in statuses {
            by_school
                .entry(school_id)
                .or_default()
                .push(convert::status(&code)?);
        }
        raw.into_iter()
            .map(|school| {
                let mut statuses = by_school.remove(&school.id).unwrap_or_default();
                statuses.sort();
                school.into_row(statuses)
            })
            .collect()
    }

    /// The kinds of school present in a municipality, for the filter's choices.
    pub async fn school_kinds(&self, municipality_id: i64) -> Result<Vec<String>, StoreError> {
        read!(self, |repo, conn| repo::school_kinds(conn, municipality_id)
            .await)
    }

    pub async fn school(&self, id: &SchoolId) -> Result<Option<SchoolCard>, StoreError> {
        let raw = read!(self, |repo, conn| repo::school(conn, id.as_str()).await)?;
        raw.map(SchoolCard::try_from).transpose()
    }

    /// A school's status records, oldest first, with the ones in force marked.
    pub async fn status_history(&self, id: &SchoolId) -> Result<Vec<StatusEntry>, StoreError> {
        let raw = read!(self, |repo, conn| repo::status_history(conn, id.as_str())
            .await)?;
        convert::history(raw)
    }

    /// School years that have statuses, latest first.
    pub async fn years(&self) -> Result<Vec<SchoolYear>, StoreError> {
        let raw = read!(self, |repo, conn| repo::years(conn).await)?;
        Ok(raw
            .into_iter()
            .filter_map(|y| i32::try_from(y).ok().and_then(|y| SchoolYear::new(y).ok()))
            .collect())
    }

    pub async fn people_at_school(&self, id: &SchoolId) -> Result<Vec<PersonRole>, StoreError> {
        let raw = read!(self, |repo, conn| repo::people_at_school(conn, id.as_str())
            .await)?;
        raw.into_iter().map(PersonRole::try_from).collect()
    }

    /// Stores the cells of one results file in one transaction, recording the import. A cell of the
    /// same (school, year, procedure, subject, grade) as a stored one replaces it: re-importing a
    /// year's file replaces those cells, and cells the new file does not name stay as they were.
    /// Cells of schools not in the registry reject the whole import; nothing is written then.
    pub async fn import_results(
        &self,
        file_name: &str,
        kind: ResultsKind,
        cells: &[ResultCell],
        rows: u64,
        skipped: u64,
    ) -> Result<ImportResultsSummary, StoreError> {
        let now = Utc::now();
        write!(self, |repo, conn| repo::import_results(
            conn, file_name, kind, cells, rows, skipped, now
        )
        .await)
    }

    /// Stored result cells of the given years (for the rule engine), ordered by school, year,
    /// procedure (ВПР, ОГЭ, ЕГЭ), subject and grade.
    pub async fn result_cells(
        &self,
        years: RangeInclusive<i32>,
    ) -> Result<Vec<StoredResultCell>, StoreError> {
        let (from, to) = (i64::from(*years.start()), i64::from(*years.end()));
        let raw = read!(self, |repo, conn| repo::result_cells(conn, from, to).await)?;
        results::cells(raw)
    }

    /// A school's stored result cells, every year, in the order of [`Store::result_cells`].
    pub async fn school_results(&self, id: &SchoolId) -> Result<Vec<StoredResultCell>, StoreError> {
        let raw = read!(self, |repo, conn| repo::school_results(conn, id.as_str())
            .await)?;
        results::cells(raw)
    }

    /// The years that have stored results, latest first.
    pub async fn result_years(&self) -> Result<Vec<i32>, StoreError> {
        let raw = read!(self, |repo, conn| repo::result_years(conn).await)?;
        Ok(raw
            .into_iter()
            .filter_map(|y| i32::try_from(y).ok())
            .collect())
    }

    /// What `rule` needs for a year: the stored cells of `years` as the rule judges them (a ЕГЭ
    /// cell with its scores kept counts its failures with the rule's minimum scores), every
    /// school's social context, and which ЕГЭ cells keep the count of their file.
    pub async fn rule_inputs(
        &self,
        years: RangeInclusive<i32>,
        rule: &orientir_domain::identify::RuleConfig,
    ) -> Result<RuleInputs, StoreError> {
        let stored = self.result_cells(years).await?;
        let mut ege_without_scores = std::collections::BTreeMap::new();
        for s in &stored {
            if s.cell.procedure == orientir_domain::identify::Procedure::Ege
                && s.cell.ege_scores.is_none()
            {
                *ege_without_scores
                    .entry(s.cell.subject.clone())
                    .or_insert(0) += 1;
            }
        }
        let cells = stored.iter().map(|s| s.cell.rule_cell_for(rule)).collect();
        let contexts = self
            .school_contexts()
            .await?
            .into_iter()
            .map(|(id, social)| {
                orientir_domain::identify::SchoolContext::from_registry(&id, &social)
            })
            .collect();
        Ok(RuleInputs {
            cells,
            contexts,
            ege_without_scores,
        })
    }

    /// Every recorded import of results, oldest first.
    pub async fn result_imports(&self) -> Result<Vec<ResultImport>, StoreError> {
        let raw = read!(self, |repo, conn| repo::result_imports(conn).await)?;
        raw.into_iter().map(ResultImport::try_from).collect()
    }

    /// Every school of the registry with its social context, by id (for identification).
    pub async fn school_contexts(&self) -> Result<Vec<(SchoolId, SocialContext)>, StoreError> {
        let raw = read!(self, |repo, conn| repo::school_social(conn).await)?;
        let mut schools = raw
            .into_iter()
            .map(<(SchoolId, SocialContext)>::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        schools.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
        Ok(schools)
    }

    /// Appends a rule run's lists for `year` to the status history, in one transaction: an
    /// `assigned` record (source: the rule version) for each listed (school, status), and a
    /// `removed` record with the same source for each status that an earlier rule run gave in
    /// that year and that is no longer listed, so the statuses in force follow the latest run.
    /// Statuses in force by a manual decision are not touched.
    pub async fn record_rule_run(
        &self,
        year: SchoolYear,
        rule_version: &str,
        listed: &[RuleRunStatus],
    ) -> Result<RuleRunSummary, StoreError> {
        let now = Utc::now();
        write!(self, |repo, conn| repo::record_rule_run(
            conn,
            year,
            rule_version,
            listed,
            now
        )
        .await)
    }
}

/// Writes one «История» record of a road map inside the caller's transaction.
async fn road_map_audit<C>(
    conn: &mut C,
    actor: &access::Actor,
    at: chrono::DateTime<Utc>,
    id: i64,
    action: &str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<(), StoreError>
where
    C: AuditConn,
{
    conn.audit(&access::NewAudit {
        at,
        actor,
        object_kind: "road_map",
        object_id: &id.to_string(),
        action,
        before: before.map(|v| v.to_string()),
        after: after.map(|v| v.to_string()),
    })
    .await
}

/// A connection of either backend that can append to the audit log.
trait AuditConn {
    async fn audit(&mut self, entry: &access::NewAudit<'_>) -> Result<(), StoreError>;
}

impl AuditConn for sqlx::SqliteConnection {
    async fn audit(&mut self, entry: &access::NewAudit<'_>) -> Result<(), StoreError> {
        repo::sqlite::access::append_audit(self, entry).await
    }
}

impl AuditConn for sqlx::PgConnection {
    async fn audit(&mut self, entry: &access::NewAudit<'_>) -> Result<(), StoreError> {
        repo::postgres::access::append_audit(self, entry).await
    }
}
