//! The fixture of the reliability tests: one school with a road map whose first activity names an
//! output (so «Выполнено» needs evidence), its school lead, and requests sent as a browser without
//! JavaScript sends them: the session cookie, and the CSRF token as a form field in the body.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, header};
use orientir_domain::registry::{Role, SchoolId, Scope};
use orientir_domain::roadmap::{Activity, Level};
use orientir_store::Store;
use orientir_web::testing::{self, TestUser};

use crate::common::request::{self, Part};
use crate::common::{SavedMap, TOWN, city_school, road_map, save_map};

pub const SCHOOL: &str = "7701001";

pub struct World {
    pub app: Router,
    pub lead: TestUser,
    pub map: SavedMap,
}

impl World {
    pub async fn build(store: &Store) -> World {
        store
            .import_schools(&[city_school(SCHOOL, "МБОУ СОШ № 1", TOWN)])
            .await
            .expect("the registry");
        let school = Scope::School(SchoolId::parse(SCHOOL).expect("a valid school id"));
        let activity = Activity {
            number: Some("1".to_owned()),
            title: "Педагогический совет".to_owned(),
            period: None,
            responsible: vec![],
            output: Some("Протокол".to_owned()),
            indicator: None,
            publicity: None,
            external_help: None,
        };
        let map = save_map(
            store,
            &school,
            &road_map("Дорожная карта школы", Level::School, vec![activity]),
        )
        .await;
        let lead = testing::user(store, "lead", Role::SchoolLead, &school)
            .await
            .expect("the school lead");
        World {
            app: orientir_web::app(store.clone()),
            lead,
            map,
        }
    }

    pub fn evidence_uri(&self) -> String {
        format!(
            "/road-maps/{}/activities/{}/evidence",
            self.map.id, self.map.keys[0]
        )
    }

    /// A multipart form as a browser without JavaScript posts it: cookie, CSRF token in the body.
    pub fn form_post(&self, uri: &str, parts: &[Part<'_>]) -> Request<Body> {
        let mut all = vec![Part::Text("csrf", &self.lead.csrf)];
        all.extend(parts.iter().map(|p| match p {
            Part::Text(name, value) => Part::Text(name, value),
            Part::File {
                field,
                file_name,
                content_type,
                bytes,
            } => Part::File {
                field,
                file_name,
                content_type,
                bytes,
            },
        }));
        let request = request::multipart(uri, &all);
        request::with_header(request, header::COOKIE.as_str(), &self.lead.cookie)
    }
}

/// A PDF of about `bytes` bytes (the signature, then filler).
pub fn pdf(bytes: usize) -> Vec<u8> {
    let mut pdf = b"%PDF-1.4\n".to_vec();
    pdf.resize(bytes, b'0');
    pdf
}
