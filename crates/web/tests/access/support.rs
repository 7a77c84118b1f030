//! Helpers of the access tests: the shared request and HTML helpers of `common`, evidence uploads,
//! and the fixture region every test starts from (its places, road maps, evidence, comments and
//! users).

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use orientir_domain::registry::{Role, SchoolId, Scope};
use orientir_domain::roadmap::{Activity, Level, RoadMap};
use orientir_store::{
    AuditEntry, CommentRow, EvidenceRow, NewEvidence, ProgressKey, ProgressRow, RoadMapSummary,
    Store, StoredRoadMap, VersionState,
};
use orientir_web::testing::{self, TestUser};

pub use crate::common::request::{Part, bearer, get, multipart, post_form, with_header};
pub use crate::common::{Answer, count, first_text, input_value, selector, send};
use crate::common::{DISTRICT, TOWN, city_school, save_map, town_and_district};

/// The content of every evidence file of the fixture: a PDF by its signature.
pub const PDF: &[u8] = b"%PDF-1.4\n% orientir access test\n%%EOF\n";

// ---------------------------------------------------------------------------------------------
// Requests

/// An evidence file posted as the activity page's form posts it.
pub fn evidence_upload(uri: &str, file_name: &str, bytes: &[u8]) -> Request<Body> {
    multipart(
        uri,
        &[
            Part::Text("occurrence", ""),
            Part::File {
                field: "file",
                file_name,
                content_type: "application/pdf",
                bytes,
            },
            Part::Text("url", ""),
        ],
    )
}

/// The path as the sign-in redirect carries it: `/login?next=%2Froad-maps%2F3`.
pub fn login_redirect(path_and_query: &str) -> String {
    format!(
        "/login?{}",
        serde_urlencoded::to_string([("next", path_and_query)]).expect("a query encodes")
    )
}

// ---------------------------------------------------------------------------------------------
// The fixture

/// The users of the matrix, in the order of its columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// Региональный координатор of the region.
    Regional,
    /// Муниципальный координатор of municipality 1.
    Municipal,
    /// Куратор with municipality 1 as the role's scope, assigned to school A only.
    Curator,
    /// Руководитель school A.
    LeadA,
    /// Эксперт of municipality 1.
    Reviewer,
    /// Наблюдатель of the region.
    Observer,
    /// Руководитель school B (municipality 1, like A).
    LeadB,
}

impl Who {
    pub const ALL: [Who; 7] = [
        Who::Regional,
        Who::Municipal,
        Who::Curator,
        Who::LeadA,
        Who::Reviewer,
        Who::Observer,
        Who::LeadB,
    ];

    pub fn login(self) -> &'static str {
        match self {
            Who::Regional => "regional",
            Who::Municipal => "municipal-1",
            Who::Curator => "curator-1",
            Who::LeadA => "lead-a",
            Who::Reviewer => "reviewer-1",
            Who::Observer => "observer",
            Who::LeadB => "lead-b",
        }
    }
}

/// Places of the fixture that own something: the region, its two municipalities, and three of
/// its four schools (A and B in municipality 1, C in municipality 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Region,
    M1,
    M2,
    A,
    B,
    C,
}

/// A stored road map of the fixture: two activities (the first for status, evidence and comments,
/// the second for review), one evidence file and one comment on the first.
#[derive(Debug, Clone)]
pub struct Map {
    pub id: i64,
    pub owner: Scope,
    /// The activity key of the first activity.
    pub work: i64,
    /// The activity key of the second activity.
    pub review: i64,
    /// The evidence file on the first activity.
    pub evidence: i64,
}

impl Map {
    pub fn work_key(&self) -> ProgressKey {
        ProgressKey {
            road_map_id: self.id,
            activity_key: self.work,
            occurrence: String::new(),
        }
    }

    pub fn review_key(&self) -> ProgressKey {
        ProgressKey {
            road_map_id: self.id,
            activity_key: self.review,
            occurrence: String::new(),
        }
    }

    pub fn page(&self) -> String {
        format!("/road-maps/{}", self.id)
    }

    pub fn work_page(&self) -> String {
        format!("/road-maps/{}/activities/{}", self.id, self.work)
    }
}

pub struct World {
    pub store: Store,
    pub region: i64,
    pub m1: i64,
    pub m2: i64,
    pub a: SchoolId,
    pub b: SchoolId,
    pub c: SchoolId,
    maps: Vec<(Target, Map)>,
    users: Vec<(Who, TestUser)>,
}

fn activity(number: &str, title: &str) -> Activity {
    Activity {
        number: Some(number.to_owned()),
        title: title.to_owned(),
        period: None,
        responsible: vec!["Иванова А.А.".to_owned()],
        output: None,
        indicator: None,
        publicity: None,
        external_help: None,
    }
}

fn road_map(title: &str, level: Level) -> RoadMap {
    crate::common::road_map(
        title,
        level,
        vec![
            activity("1", "Анализ результатов ВПР"),
            activity("2", "Семинар для школ"),
        ],
    )
}

impl World {
    /// The region with two municipalities of two schools each, a road map for the region, each
    /// municipality and each school (each with an evidence file and a comment), and the seven
    /// users of the matrix, each signed in.
    pub async fn build(store: &Store) -> World {
        store
            .import_schools(&[
                city_school("1001", "МБОУ СОШ № 1", TOWN),
                city_school("1002", "МБОУ СОШ № 2", TOWN),
                city_school("2001", "Яровая СОШ", DISTRICT),
                city_school("2002", "Озёрная СОШ", DISTRICT),
            ])
            .await
            .expect("import schools");
        let region = store.regions().await.expect("regions")[0].id;
        let (m1, m2) = town_and_district(store, region).await;
        let id = |raw: &str| SchoolId::parse(raw).expect("a valid school id");
        let (a, b, c, d) = (id("1001"), id("1002"), id("2001"), id("2002"));

        let owners = [
            (Some(Target::Region), Scope::Region(region), Level::Regional),
            (Some(Target::M1), Scope::Municipality(m1), Level::Municipal),
            (Some(Target::M2), Scope::Municipality(m2), Level::Municipal),
            (Some(Target::A), Scope::School(a.clone()), Level::School),
            (Some(Target::B), Scope::School(b.clone()), Level::School),
            (Some(Target::C), Scope::School(c.clone()), Level::School),
            (None, Scope::School(d.clone()), Level::School),
        ];
        let mut maps = Vec::new();
        for (target, owner, level) in owners {
            let title = format!("Дорожная карта ({owner:?})");
            let saved = save_map(store, &owner, &road_map(&title, level)).await;
            let mut map = Map {
                id: saved.id,
                owner,
                work: saved.keys[0],
                review: saved.keys[1],
                evidence: 0,
            };
            map.evidence = store
                .add_evidence(
                    &map.work_key(),
                    &NewEvidence::File {
                        file_name: "справка.pdf",
                        content_type: "application/pdf",
                        bytes: PDF,
                        sha256: &orientir_web::auth::credentials::sha256_hex(PDF),
                    },
                )
                .await
                .expect("add evidence");
            store
                .add_comment(&map.work_key(), "Справка приложена, проверьте.")
                .await
                .expect("add a comment");
            if let Some(target) = target {
                maps.push((target, map));
            }
        }

        let mut users = Vec::new();
        for who in Who::ALL {
            let (role, scope) = match who {
                Who::Regional => (Role::RegionalCoordinator, Scope::Region(region)),
                Who::Municipal => (Role::MunicipalCoordinator, Scope::Municipality(m1)),
                Who::Curator => (Role::Curator, Scope::Municipality(m1)),
                Who::LeadA => (Role::SchoolLead, Scope::School(a.clone())),
                Who::Reviewer => (Role::Reviewer, Scope::Municipality(m1)),
                Who::Observer => (Role::Observer, Scope::Region(region)),
                Who::LeadB => (Role::SchoolLead, Scope::School(b.clone())),
            };
            let user = testing::user(store, who.login(), role, &scope)
                .await
                .expect("a test user");
            users.push((who, user));
        }
        let curator = users
            .iter()
            .find(|(who, _)| *who == Who::Curator)
            .map(|(_, u)| u.id)
            .expect("the curator");
        store
            .assign_curator(curator, &a)
            .await
            .expect("assign the curator to school A");

        World {
            store: store.clone(),
            region,
            m1,
            m2,
            a,
            b,
            c,
            maps,
            users,
        }
    }

    pub fn user(&self, who: Who) -> &TestUser {
        self.users
            .iter()
            .find(|(w, _)| *w == who)
            .map(|(_, u)| u)
            .expect("every user of the matrix exists")
    }

    /// The application with nobody signed in.
    pub fn anonymous(&self) -> Router {
        orientir_web::app(self.store.clone())
    }

    /// The application as `who` sees it: their session cookie and CSRF header on every request.
    pub fn app_as(&self, who: Who) -> Router {
        testing::as_user(self.anonymous(), self.user(who))
    }

    pub fn map(&self, target: Target) -> &Map {
        self.maps
            .iter()
            .find(|(t, _)| *t == target)
            .map(|(_, m)| m)
            .expect("every target has a road map")
    }

    /// The school a school target is; `None` for the region and municipalities.
    pub fn school(&self, target: Target) -> Option<&SchoolId> {
        match target {
            Target::A => Some(&self.a),
            Target::B => Some(&self.b),
            Target::C => Some(&self.c),
            Target::Region | Target::M1 | Target::M2 => None,
        }
    }

    /// The municipal road map a school road map of `target` would be derived from, and the school.
    pub fn derive_source(&self, target: Target) -> (&Map, &SchoolId) {
        match target {
            Target::A => (self.map(Target::M1), &self.a),
            Target::B | Target::M1 | Target::Region => (self.map(Target::M1), &self.b),
            Target::C | Target::M2 => (self.map(Target::M2), &self.c),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// What the store holds about a road map

/// Everything a request could change about a road map: versions, content, statuses, evidence,
/// comments, its history, and the owner's list of road maps.
#[derive(Debug, PartialEq)]
pub struct Snapshot {
    pub versions: Vec<(i64, VersionState)>,
    pub latest: Option<StoredRoadMap>,
    pub progress: Vec<ProgressRow>,
    pub evidence: Vec<EvidenceRow>,
    pub comments: Vec<CommentRow>,
    pub history: Vec<AuditEntry>,
    pub owners_maps: Vec<RoadMapSummary>,
}

pub async fn snapshot(store: &Store, map: &Map) -> Snapshot {
    let mut history = store
        .history_of_activity(map.id, map.work)
        .await
        .expect("history");
    history.extend(
        store
            .history_of_activity(map.id, map.review)
            .await
            .expect("history"),
    );
    Snapshot {
        versions: store.road_map_versions(map.id).await.expect("versions"),
        latest: store.road_map(map.id, None).await.expect("road map"),
        progress: store.progress_of(map.id).await.expect("progress"),
        evidence: store.evidence_of(map.id).await.expect("evidence"),
        comments: store.comments_of(map.id).await.expect("comments"),
        history,
        owners_maps: store.road_maps_of(&map.owner).await.expect("road maps"),
    }
}

/// The stored status code of an occurrence ("planned" when none is stored).
pub async fn status_of(store: &Store, key: &ProgressKey) -> String {
    store
        .progress_of(key.road_map_id)
        .await
        .expect("progress")
        .into_iter()
        .find(|p| p.activity_key == key.activity_key && p.occurrence == key.occurrence)
        .map_or_else(|| "planned".to_owned(), |p| p.status)
}
