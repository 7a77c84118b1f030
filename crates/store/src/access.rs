//! Accounts, sessions, API tokens, login throttling, where things live (places for the one
//! permission check) and the append-only audit log. Secrets arrive here already hashed: the store
//! never sees a password or a token, only their hashes.

use chrono::{DateTime, Duration, Utc};
use orientir_domain::access::{Grant, Place, Principal};
use orientir_domain::registry::{PersonDraft, Role, SchoolId, Scope};

use crate::road_maps::OwnerColumns;
use crate::{Db, Store, StoreError};

/// Who is changing things: a signed-in user, or the system (CLI, demo, migrations).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub name: String,
}

impl Actor {
    pub fn system() -> Self {
        Self {
            user_id: None,
            name: "система".to_owned(),
        }
    }

    pub fn user(id: i64, login: &str) -> Self {
        Self {
            user_id: Some(id),
            name: login.to_owned(),
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserCredentials {
    pub id: i64,
    pub login: String,
    pub password_hash: String,
    pub disabled: bool,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub login: String,
    pub full_name: String,
    pub person_id: i64,
    pub disabled: bool,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub user_id: i64,
    pub login: String,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RawGrant {
    pub role: String,
    pub region_id: i64,
    pub municipality_id: Option<i64>,
    pub school_id: Option<String>,
}

#[derive(Debug, sqlx::FromRow)]
pub struct RawPlace {
    pub region_id: i64,
    pub municipality_id: Option<i64>,
    pub school_id: Option<String>,
}

impl RawPlace {
    fn into_place(self) -> Result<Place, StoreError> {
        let school = self
            .school_id
            .map(|id| {
                SchoolId::parse(&id).map_err(|_| StoreError::Corrupt(format!("код школы «{id}»")))
            })
            .transpose()?;
        match (self.municipality_id, school) {
            (Some(m), Some(s)) => Ok(Place::school(self.region_id, m, s)),
            (Some(m), None) => Ok(Place::municipality(self.region_id, m)),
            (None, None) => Ok(Place::region(self.region_id)),
            (None, Some(s)) => Err(StoreError::Corrupt(format!("школа {s} без муниципалитета"))),
        }
    }
}

/// A change about to be written to the audit log.
pub struct NewAudit<'a> {
    pub at: DateTime<Utc>,
    pub actor: &'a Actor,
    pub object_kind: &'a str,
    pub object_id: &'a str,
    pub action: &'a str,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// One line of «История».
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub object_kind: String,
    pub object_id: String,
    pub action: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
}

/// A new account: the person it belongs to, one role, and the password's hash.
pub struct NewUser<'a> {
    pub login: &'a str,
    pub full_name: &'a str,
    pub role: Role,
    pub scope: &'a Scope,
    pub password_hash: &'a str,
}

/// How long a session lives without signing in again.
pub const SESSION_DAYS: i64 = 14;

impl Store {
    /// The same store, recording `actor` as the author of every change it writes.
    pub fn acting_as(&self, actor: Actor) -> Store {
        Store {
            db: self.db.clone(),
            actor,
            generation: self.generation.clone(),
            caches: self.caches.clone(),
        }
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// How many writes this process has committed: cached reads are tagged with it (callers may
    /// tag their own derived values the same way).
    pub fn generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Creates a person, their role and their account in one transaction.
    pub async fn add_user(&self, user: &NewUser<'_>) -> Result<i64, StoreError> {
        let now = Utc::now();
        let actor = self.actor.clone();
        write!(self, |repo, conn| {
            if repo::access::login_taken(conn, user.login).await? {
                return Err(StoreError::Conflict(format!(
                    "пользователь с логином «{}» уже есть",
                    user.login
                )));
            }
            let person_id = repo::insert_person(
                conn,
                &PersonDraft {
                    full_name: user.full_name.to_owned(),
                    position: None,
                    email: None,
                },
            )
            .await?;
            let c = OwnerColumns::from(user.scope);
            repo::insert_role(
                conn,
                person_id,
                user.role,
                c.region_id,
                c.municipality_id,
                c.school_id,
            )
            .await?;
            let id =
                repo::access::insert_user(conn, user.login, person_id, user.password_hash, now)
                    .await?;
            let after = serde_json::json!({
                "login": user.login, "full_name": user.full_name,
                "role": user.role.code(), "scope": user.scope.code(),
            });
            repo::access::append_audit(
                conn,
                &NewAudit {
                    at: now,
                    actor: &actor,
                    object_kind: "user",
                    object_id: &id.to_string(),
                    action: "create",
                    before: None,
                    after: Some(after.to_string()),
                },
            )
            .await?;
            Ok::<_, StoreError>(id)
        })
    }

    /// Disables or enables an account, audited; a disabled account cannot sign in and its sessions
    /// and API tokens stop working at once.
    pub async fn set_disabled(&self, user_id: i64, disabled: bool) -> Result<(), StoreError> {
        let now = Utc::now();
        let actor = self.actor.clone();
        write!(self, |repo, conn| {
            if !repo::access::set_disabled(conn, user_id, disabled).await? {
                return Err(StoreError::Conflict(format!(
                    "нет пользователя № {user_id}"
                )));
            }
            repo::access::append_audit(
                conn,
                &NewAudit {
                    at: now,
                    actor: &actor,
                    object_kind: "user",
                    object_id: &user_id.to_string(),
                    action: if disabled { "disable" } else { "enable" },
                    before: None,
                    after: Some(serde_json::json!({"disabled": disabled}).to_string()),
                },
            )
            .await?;
            Ok::<_, StoreError>(())
        })
    }

    /// Gives an existing account one more role, audited; a role it already holds is refused.
    pub async fn grant_role(
        &self,
        user_id: i64,
        role: Role,
        scope: &Scope,
    ) -> Result<(), StoreError> {
        let now = Utc::now();
        let actor = self.actor.clone();
        let OwnerColumns {
            region_id: region,
            municipality_id: municipality,
            school_id: school,
        } = OwnerColumns::from(scope);
        write!(self, |repo, conn| {
            let person = repo::access::person_of_user(conn, user_id)
                .await?
                .ok_or_else(|| StoreError::Conflict(format!("нет пользователя № {user_id}")))?;
            if repo::access::holds_role(conn, person, role.code(), region, municipality, school)
                .await?
            {
                return Err(StoreError::Conflict(
                    "эта роль с этой областью действия у пользователя уже есть".to_owned(),
                ));
            }
            repo::insert_role(conn, person, role, region, municipality, school).await?;
            repo::access::append_audit(
                conn,
                &NewAudit {
                    at: now,
                    actor: &actor,
                    object_kind: "user",
                    object_id: &user_id.to_string(),
                    action: "role",
                    before: None,
                    after: Some(
                        serde_json::json!({"role": role.code(), "scope": scope.code()}).to_string(),
                    ),
                },
            )
            .await?;
            Ok::<_, StoreError>(())
        })
    }

    pub async fn users(&self) -> Result<Vec<UserRow>, StoreError> {
        read!(self, |repo, conn| repo::access::users(conn).await)
    }

    pub async fn credentials(&self, login: &str) -> Result<Option<UserCredentials>, StoreError> {
        read!(self, |repo, conn| repo::access::credentials(conn, login)
            .await)
    }

    pub async fn credentials_by_id(&self, id: i64) -> Result<Option<UserCredentials>, StoreError> {
        read!(self, |repo, conn| repo::access::credentials_by_id(conn, id)
            .await)
    }

    /// Replaces a password and ends the user's other sessions.
    pub async fn change_password(
        &self,
        user_id: i64,
        password_hash: &str,
        keep_session: &str,
    ) -> Result<(), StoreError> {
        let now = Utc::now();
        let actor = self.actor.clone();
        write!(self, |repo, conn| {
            repo::access::set_password(conn, user_id, password_hash, now).await?;
            repo::access::delete_sessions_of(conn, user_id, keep_session).await?;
            repo::access::append_audit(
                conn,
                &NewAudit {
                    at: now,
                    actor: &actor,
                    object_kind: "user",
                    object_id: &user_id.to_string(),
                    action: "password",
                    before: None,
                    after: None,
                },
            )
            .await
        })
    }

    /// Who the user is to the permission check: every grant resolved to a full place.
    pub async fn principal(&self, user_id: i64, login: &str) -> Result<Principal, StoreError> {
        let generation = self.generation();
        let raw = match self.caches.grants.get(&user_id, generation) {
            Some(raw) => raw,
            None => {
                let raw = read!(self, |repo, conn| repo::access::grants(conn, user_id).await)?;
                self.caches.grants.put(user_id, generation, raw.clone());
                raw
            }
        };
        let grants = raw
            .into_iter()
            .map(|g| {
                let role = Role::parse(&g.role)
                    .map_err(|_| StoreError::Corrupt(format!("роль «{}»", g.role)))?;
                let place = RawPlace {
                    region_id: g.region_id,
                    municipality_id: g.municipality_id,
                    school_id: g.school_id,
                }
                .into_place()?;
                Ok(Grant { role, place })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Principal {
            user_id,
            login: login.to_owned(),
            grants,
        })
    }

    /// Starts a session: the cookie token's hash and the form token. Expired sessions go first.
    pub async fn start_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf_token: &str,
    ) -> Result<(), StoreError> {
        let now = Utc::now();
        let expires = now + Duration::days(SESSION_DAYS);
        write!(self, |repo, conn| {
            repo::access::delete_expired_sessions(conn, now).await?;
            repo::access::insert_session(conn, token_hash, user_id, csrf_token, now, expires).await
        })
    }

    /// A live session by its token's hash.
    pub async fn session(&self, token_hash: &str) -> Result<Option<SessionRow>, StoreError> {
        let generation = self.generation();
        let row = match self.caches.sessions.get(&token_hash.to_owned(), generation) {
            Some(row) => row,
            None => {
                let row = read!(self, |repo, conn| repo::access::session(conn, token_hash)
                    .await)?;
                self.caches
                    .sessions
                    .put(token_hash.to_owned(), generation, row.clone());
                row
            }
        };
        Ok(row.filter(|s| s.expires_at > Utc::now()))
    }

    pub async fn end_session(&self, token_hash: &str) -> Result<(), StoreError> {
        write!(self, |repo, conn| repo::access::delete_session(
            conn, token_hash
        )
        .await)
    }

    pub async fn add_api_token(
        &self,
        user_id: i64,
        name: &str,
        token_hash: &str,
    ) -> Result<i64, StoreError> {
        let now = Utc::now();
        write!(self, |repo, conn| {
            repo::access::insert_api_token(conn, user_id, name, token_hash, now).await
        })
    }

    /// (user id, login) of a live API token.
    pub async fn api_token_user(
        &self,
        token_hash: &str,
    ) -> Result<Option<(i64, String)>, StoreError> {
        read!(self, |repo, conn| repo::access::api_token_user(
            conn, token_hash
        )
        .await)
    }

    /// Failed sign-ins of a login within the last `window`.
    pub async fn recent_login_failures(
        &self,
        login: &str,
        window: Duration,
    ) -> Result<i64, StoreError> {
        let since = Utc::now() - window;
        read!(self, |repo, conn| {
            repo::access::login_failures_since(conn, login, since).await
        })
    }

    /// Records a failed sign-in; failures older than a day go first, so logins tried by a
    /// password sprayer do not pile up.
    pub async fn record_login_failure(&self, login: &str) -> Result<(), StoreError> {
        let now = Utc::now();
        write!(self, |repo, conn| {
            repo::access::delete_login_failures_before(conn, now - Duration::days(1)).await?;
            repo::access::insert_login_failure(conn, login, now).await
        })
    }

    pub async fn clear_login_failures(&self, login: &str) -> Result<(), StoreError> {
        write!(self, |repo, conn| repo::access::clear_login_failures(
            conn, login
        )
        .await)
    }

    pub async fn place_of_school(&self, id: &SchoolId) -> Result<Option<Place>, StoreError> {
        self.cached_place(format!("s:{id}"), async {
            read!(self, |repo, conn| repo::access::place_of_school(
                conn,
                id.as_str()
            )
            .await)
        })
        .await
    }

    pub async fn place_of_municipality(&self, id: i64) -> Result<Option<Place>, StoreError> {
        self.cached_place(format!("m:{id}"), async {
            read!(self, |repo, conn| repo::access::place_of_municipality(
                conn, id
            )
            .await)
        })
        .await
    }

    pub async fn place_of_road_map(&self, id: i64) -> Result<Option<Place>, StoreError> {
        self.cached_place(format!("r:{id}"), async {
            read!(self, |repo, conn| repo::access::place_of_road_map(conn, id)
                .await)
        })
        .await
    }

    /// Places change only with the registry and are asked on every request: cached.
    async fn cached_place(
        &self,
        key: String,
        read: impl std::future::Future<Output = Result<Option<RawPlace>, StoreError>>,
    ) -> Result<Option<Place>, StoreError> {
        let generation = self.generation();
        if let Some(place) = self.caches.places.get(&key, generation) {
            return Ok(place);
        }
        let place = read.await?.map(RawPlace::into_place).transpose()?;
        self.caches.places.put(key, generation, place.clone());
        Ok(place)
    }

    /// Where a road-map owner lives.
    pub async fn place_of_owner(&self, owner: &Scope) -> Result<Option<Place>, StoreError> {
        match owner {
            Scope::Region(id) => Ok(Some(Place::region(*id))),
            Scope::Municipality(id) => self.place_of_municipality(*id).await,
            Scope::School(id) => self.place_of_school(id).await,
        }
    }

    /// Makes the user (a curator) responsible for a school; assigning twice changes nothing.
    pub async fn assign_curator(&self, user_id: i64, school: &SchoolId) -> Result<(), StoreError> {
        let now = Utc::now();
        let actor = self.actor.clone();
        write!(self, |repo, conn| {
            let person = repo::access::person_of_user(conn, user_id)
                .await?
                .ok_or_else(|| StoreError::Conflict(format!("нет пользователя № {user_id}")))?;
            repo::ensure_known_schools(conn, std::iter::once(school.as_str())).await?;
            if repo::access::insert_curator_assignment(conn, person, school.as_str(), now).await? {
                repo::access::append_audit(
                    conn,
                    &NewAudit {
                        at: now,
                        actor: &actor,
                        object_kind: "school",
                        object_id: school.as_str(),
                        action: "curator",
                        before: None,
                        after: Some(serde_json::json!({"curator_user": user_id}).to_string()),
                    },
                )
                .await?;
            }
            Ok::<_, StoreError>(())
        })
    }

    /// «История» of a road-map activity (all its occurrences), newest first.
    pub async fn history_of_activity(
        &self,
        road_map_id: i64,
        activity_key: i64,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let object_id = format!("{road_map_id}/{activity_key}");
        read!(self, |repo, conn| {
            repo::access::activity_history(conn, &object_id).await
        })
    }

    /// «История» of one object, newest first.
    pub async fn history(
        &self,
        object_kind: &str,
        object_id: &str,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        read!(self, |repo, conn| {
            repo::access::history(conn, object_kind, object_id).await
        })
    }
}
