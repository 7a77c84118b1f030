//! Execution of road maps: the status of each activity occurrence, evidence (files kept in the
//! database with their SHA-256, or links) and a comment thread per activity. Every change is
//! written together with its audit record, in one transaction. Which transitions are allowed is
//! the domain's rule (`orientir_domain::monitoring`); callers check it before writing.

use chrono::{DateTime, Utc};

use crate::access::{Actor, NewAudit};
use crate::{Db, Store, StoreError};

/// One activity occurrence of a road map: `occurrence` is '' for a one-off activity, else the ISO
/// date of the occurrence of a recurring one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ProgressKey {
    pub road_map_id: i64,
    pub activity_key: i64,
    pub occurrence: String,
}

impl ProgressKey {
    /// How the audit log names the object.
    pub fn object_id(&self) -> String {
        if self.occurrence.is_empty() {
            format!("{}/{}", self.road_map_id, self.activity_key)
        } else {
            format!(
                "{}/{}/{}",
                self.road_map_id, self.activity_key, self.occurrence
            )
        }
    }
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ProgressRow {
    pub activity_key: i64,
    pub occurrence: String,
    pub status: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct EvidenceRow {
    pub id: i64,
    pub activity_key: i64,
    pub occurrence: String,
    pub kind: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub size_bytes: Option<i64>,
    pub sha256: Option<String>,
    pub url: Option<String>,
    pub uploaded_by: Option<String>,
    pub uploaded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EvidenceFile {
    pub road_map_id: i64,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub content: Option<Vec<u8>>,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct CommentRow {
    pub id: i64,
    pub activity_key: i64,
    pub occurrence: String,
    pub author: Option<String>,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// Evidence about to be stored: a checked file or a link.
pub enum NewEvidence<'a> {
    File {
        file_name: &'a str,
        content_type: &'a str,
        bytes: &'a [u8],
        sha256: &'a str,
    },
    Link {
        url: &'a str,
    },
}

impl NewEvidence<'_> {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::File { .. } => "file",
            Self::Link { .. } => "link",
        }
    }
    pub fn file_name(&self) -> Option<&str> {
        match self {
            Self::File { file_name, .. } => Some(file_name),
            Self::Link { .. } => None,
        }
    }
    pub fn content_type(&self) -> Option<&str> {
        match self {
            Self::File { content_type, .. } => Some(content_type),
            Self::Link { .. } => None,
        }
    }
    pub fn size(&self) -> Option<i64> {
        match self {
            Self::File { bytes, .. } => Some(bytes.len() as i64),
            Self::Link { .. } => None,
        }
    }
    pub fn sha256(&self) -> Option<&str> {
        match self {
            Self::File { sha256, .. } => Some(sha256),
            Self::Link { .. } => None,
        }
    }
    pub fn content(&self) -> Option<&[u8]> {
        match self {
            Self::File { bytes, .. } => Some(bytes),
            Self::Link { .. } => None,
        }
    }
    pub fn url(&self) -> Option<&str> {
        match self {
            Self::File { .. } => None,
            Self::Link { url } => Some(url),
        }
    }
    fn describe(&self) -> serde_json::Value {
        match self {
            Self::File {
                file_name,
                bytes,
                sha256,
                ..
            } => serde_json::json!({"file": file_name, "size": bytes.len(), "sha256": sha256}),
            Self::Link { url } => serde_json::json!({"link": url}),
        }
    }
}

fn audit<'a>(
    actor: &'a Actor,
    at: DateTime<Utc>,
    object_id: &'a str,
    action: &'a str,
    before: Option<String>,
    after: Option<String>,
) -> NewAudit<'a> {
    NewAudit {
        at,
        actor,
        object_kind: "activity",
        object_id,
        action,
        before,
        after,
    }
}

impl Store {
    pub async fn progress_of(&self, road_map_id: i64) -> Result<Vec<ProgressRow>, StoreError> {
        read!(self, |repo, conn| repo::execution::progress_of(
            conn,
            road_map_id
        )
        .await)
    }

    pub async fn evidence_of(&self, road_map_id: i64) -> Result<Vec<EvidenceRow>, StoreError> {
        read!(self, |repo, conn| repo::execution::evidence_of(
            conn,
            road_map_id
        )
        .await)
    }

    pub async fn comments_of(&self, road_map_id: i64) -> Result<Vec<CommentRow>, StoreError> {
        read!(self, |repo, conn| repo::execution::comments_of(
            conn,
            road_map_id
        )
        .await)
    }

    pub async fn evidence_file(&self, id: i64) -> Result<Option<EvidenceFile>, StoreError> {
        read!(self, |repo, conn| repo::execution::evidence_file(conn, id)
            .await)
    }

    /// Sets the status of an occurrence, with an optional comment, and audits the change; the
    /// status read inside the transaction must still be `expected` (else someone changed it
    /// meanwhile and the caller's transition check is stale).
    pub async fn set_status(
        &self,
        key: &ProgressKey,
        expected: &str,
        status: &str,
        comment: Option<&str>,
    ) -> Result<(), StoreError> {
        let now = Utc::now();
        let actor = self.actor.clone();
        let object_id = key.object_id();
        write!(self, |repo, conn| {
            let before = repo::execution::status(conn, key)
                .await?
                .unwrap_or_else(|| "planned".to_owned());
            if before != expected {
                return Err(StoreError::Conflict(
                    "Статус мероприятия уже изменил другой пользователь; обновите страницу."
                        .to_owned(),
                ));
            }
            repo::execution::upsert_status(conn, key, status, actor.user_id, now).await?;
            if let Some(body) = comment {
                repo::execution::insert_comment(conn, key, body, actor.user_id, now).await?;
            }
            let after = serde_json::json!({"status": status, "comment": comment});
            repo::access::append_audit(
                conn,
                &audit(
                    &actor,
                    now,
                    &object_id,
                    "status",
                    Some(serde_json::json!({"status": before}).to_string()),
                    Some(after.to_string()),
                ),
            )
            .await?;
            Ok::<_, StoreError>(())
        })
    }

    pub async fn add_evidence(
        &self,
        key: &ProgressKey,
        evidence: &NewEvidence<'_>,
    ) -> Result<i64, StoreError> {
        let now = Utc::now();
        let actor = self.actor.clone();
        let object_id = key.object_id();
        write!(self, |repo, conn| {
            let id =
                repo::execution::insert_evidence(conn, key, evidence, actor.user_id, now).await?;
            repo::access::append_audit(
                conn,
                &audit(
                    &actor,
                    now,
                    &object_id,
                    "evidence",
                    None,
                    Some(evidence.describe().to_string()),
                ),
            )
            .await?;
            Ok::<_, StoreError>(id)
        })
    }

    pub async fn add_comment(&self, key: &ProgressKey, body: &str) -> Result<i64, StoreError> {
        let now = Utc::now();
        let actor = self.actor.clone();
        let object_id = key.object_id();
        write!(self, |repo, conn| {
            let id = repo::execution::insert_comment(conn, key, body, actor.user_id, now).await?;
            repo::access::append_audit(
                conn,
                &audit(
                    &actor,
                    now,
                    &object_id,
                    "comment",
                    None,
                    Some(serde_json::json!({"comment": body}).to_string()),
                ),
            )
            .await?;
            Ok::<_, StoreError>(id)
        })
    }

    /// Writes prepared execution records (the demo's) in one transaction, audited as the actor.
    pub async fn seed_progress(&self, records: &[SeedProgress]) -> Result<(), StoreError> {
        let now = Utc::now();
        let actor = self.actor.clone();
        write!(self, |repo, conn| {
            for r in records {
                repo::execution::upsert_status(conn, &r.key, &r.status, actor.user_id, now).await?;
                if let Some(url) = &r.evidence_url {
                    let link = NewEvidence::Link { url };
                    repo::execution::insert_evidence(conn, &r.key, &link, actor.user_id, now)
                        .await?;
                }
                if let Some(comment) = &r.comment {
                    repo::execution::insert_comment(conn, &r.key, comment, actor.user_id, now)
                        .await?;
                }
            }
            Ok::<_, StoreError>(())
        })
    }
}

/// An execution record prepared in advance (demo data).
#[derive(Debug, Clone)]
pub struct SeedProgress {
    pub key: ProgressKey,
    pub status: String,
    pub evidence_url: Option<String>,
    pub comment: Option<String>,
}
